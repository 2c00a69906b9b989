/**
 * Hostile records for the format tests: values built from the characters the formats treat specially
 * (`| = \ " , ;`, tab, CR, LF, NUL and other controls, DEL, non-BMP characters, lone surrogates,
 * U+2028), empty strings and very long values; every indicator and group type; null and missing
 * fields; numbers including non-finite ones. `arbRecord` is for fast-check; `randomRecord` is a fast
 * seeded generator for the 100,000-record fuzz run.
 */
import fc from 'fast-check';
import type { FormatRecord } from '../../src/formats/index.js';
import { GROUP_TYPES, INDICATOR_TYPES } from './format-model.js';

export const ALPHABET = [
  '|',
  '=',
  '\\',
  '"',
  ',',
  ';',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\0',
  '\x01',
  '\x1b',
  '\x1f',
  '\x7f',
  ' ',
  '  ',
  'a',
  'Z',
  '7',
  ':',
  '-',
  'é',
  '😀',
  '\u2028',
  '\ud800',
  '\udc00',
  ' cs1=x',
  ' msg=',
  '\tsev=9',
  '\nCEF:0|evil|evil|1|1|forged|10|',
  '\r\nLEEF:1.0|evil|evil|1|1|',
  '" injected="1',
  '\\=',
  '\\|',
];

const ALPHABET_ARB = fc.constantFrom(...ALPHABET);

/** A hostile text: empty, short mixes of the alphabet, any Unicode, or a very long run. */
export const arbText: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 6, arbitrary: fc.array(ALPHABET_ARB, { maxLength: 24 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(ALPHABET_ARB, fc.integer({ min: 2_000, max: 40_000 }))
      .map(([piece, length]) =>
        `long${piece}`.repeat(Math.ceil(length / (4 + piece.length))).slice(0, length),
      ),
  },
);

function nullable<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
  return fc.oneof({ weight: 4, arbitrary: arb }, fc.constant(null), fc.constant(undefined));
}

const OFFSETS = ['Z', 'z', '-05:00', '+01:00', '+05:30', '-0800', '+00', ''];

/** An ISO date as the API writes it, or a variant the formats accept, or text that is no date. */
export const arbDate: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.date({
          min: new Date('1000-01-01T00:00:00Z'),
          max: new Date('9999-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...OFFSETS),
        fc.constantFrom(0, 3, 6),
      )
      .map(([date, offset, fraction]) => {
        const iso = date.toISOString();
        return `${iso.slice(0, 19)}${fraction === 0 ? '' : `.${iso.slice(20, 23)}${'123'.slice(0, fraction - 3)}`}${offset}`;
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2015-06-21',
      '2015-02-30T00:00:00Z',
      '2015-13-01T00:00:00Z',
      'not a date',
      '2015-06-21T24:00:00Z',
    ),
  },
  { weight: 1, arbitrary: arbText },
);

const arbRating = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 10 }).map((k) => k / 2) },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(-1, 7.75, 2.25, 1e-7, 1e16, 1e22) },
);
const arbInt = fc.oneof(
  fc.integer({ min: 0, max: 100 }),
  fc.maxSafeNat(),
  fc.constantFrom(-3, Number.NaN, Number.POSITIVE_INFINITY),
);
const arbHash = fc.oneof(
  fc.constantFrom('422AD421127685E3EF4A44B546258107', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', ''),
  arbText,
);
const arbIp = fc.oneof(fc.ipV4(), fc.ipV6(), arbText);

const common = {
  id: nullable(arbInt),
  ownerName: nullable(arbText),
  dateAdded: nullable(arbDate),
  weblink: nullable(arbText),
};

const indicatorCommon = {
  ...common,
  lastModified: nullable(arbDate),
  description: nullable(arbText),
  confidence: nullable(arbInt),
  rating: nullable(arbRating),
};

const customType = fc.oneof(
  fc.constantFrom('ASN', 'CIDR', 'Mutex', 'Registry Key', 'User Agent'),
  arbText.filter((t) => !INDICATOR_TYPES.includes(t) && !GROUP_TYPES.includes(t)),
);

export const arbIndicator: fc.Arbitrary<FormatRecord> = fc.oneof(
  fc.record({ type: fc.constant('Address' as const), ...indicatorCommon, ip: nullable(arbIp) }),
  fc.record({ type: fc.constant('EmailAddress' as const), ...indicatorCommon, address: nullable(arbText) }),
  fc.record({
    type: fc.constant('File' as const),
    ...indicatorCommon,
    md5: nullable(arbHash),
    sha1: nullable(arbHash),
    sha256: nullable(arbHash),
    size: nullable(arbInt),
  }),
  fc.record({
    type: fc.constant('Host' as const),
    ...indicatorCommon,
    hostName: nullable(arbText),
    dnsActive: nullable(fc.boolean()),
    whoisActive: nullable(fc.boolean()),
  }),
  fc.record({
    type: fc.constant('URL' as const),
    ...indicatorCommon,
    text: nullable(arbText),
    source: nullable(arbText),
  }),
  fc.record({ type: customType, ...indicatorCommon, summary: nullable(arbText) }),
);

export const arbGroup: fc.Arbitrary<FormatRecord> = fc.oneof(
  fc.record({ type: fc.constant('Adversary' as const), ...common, name: nullable(arbText) }),
  fc.record({ type: fc.constant('Threat' as const), ...common, name: nullable(arbText) }),
  fc.record({
    type: fc.constant('Campaign' as const),
    ...common,
    name: nullable(arbText),
    firstSeen: nullable(arbDate),
  }),
  fc.record({
    type: fc.constant('Document' as const),
    ...common,
    name: nullable(arbText),
    fileName: nullable(arbText),
    fileSize: nullable(arbInt),
    malware: nullable(fc.boolean()),
    password: nullable(arbText),
  }),
  fc.record({
    type: fc.constant('Email' as const),
    ...common,
    name: nullable(arbText),
    body: nullable(arbText),
    from: nullable(arbText),
    header: nullable(arbText),
    score: nullable(arbInt),
    subject: nullable(arbText),
    to: nullable(arbText),
  }),
  fc.record({
    type: fc.constant('Incident' as const),
    ...common,
    name: nullable(arbText),
    eventDate: nullable(arbDate),
  }),
  fc.record({
    type: fc.constant('Signature' as const),
    ...common,
    name: nullable(arbText),
    fileName: nullable(arbText),
    fileText: nullable(arbText),
    fileType: nullable(arbText),
  }),
);

export const arbRecord: fc.Arbitrary<FormatRecord> = fc.oneof(
  { weight: 3, arbitrary: arbIndicator },
  arbGroup,
);

// ---------------------------------------------------------------------------------------------------
// Seeded generator for the fuzz run
// ---------------------------------------------------------------------------------------------------

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUZZ_TYPES = [
  'Address',
  'EmailAddress',
  'File',
  'Host',
  'URL',
  'ASN',
  'Adversary',
  'Document',
  'Email',
  'Signature',
];

/** The fuzz run's pieces: the hostile alphabet, and plain text as often, as real values mix them. */
const FUZZ_PIECES = [
  ...ALPHABET,
  ...['host', '.example.com', 'Example Community', 'https://tc.example.com/auth/x.xhtml?', 'a b', '10.0.0.1'],
  ...['Callback ', 'C2', 'seen', 'twice', 'AS1234', '422AD421127685E3EF4A44B546258107', '-', '_', '/', '?'],
  ...[
    '&owner=',
    'Incident ',
    '2015',
    'description ',
    'über',
    'ñ',
    '漢字',
    '#14',
    '(x)',
    '[y]',
    '{z}',
    '%40',
    '+',
  ],
];

/** One random record; `random` drives every choice, so a seed and an index name a record. */
export function randomRecord(random: () => number): FormatRecord {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const text = (): string | null => {
    const r = random();
    if (r < 0.1) return null;
    if (r < 0.15) return '';
    let out = '';
    const parts = 1 + Math.floor(random() * 12);
    for (let i = 0; i < parts; i += 1) out += pick(FUZZ_PIECES);
    return out;
  };
  const num = (): number | null => {
    const r = random();
    if (r < 0.1) return null;
    if (r < 0.15) return pick([Number.NaN, Number.POSITIVE_INFINITY, -1, 1e22]);
    return Math.floor(random() * 101);
  };
  const date = (): string | null => {
    const r = random();
    if (r < 0.1) return null;
    if (r < 0.2) return text();
    const ms = Math.floor(random() * 4e12);
    return new Date(ms).toISOString().replace('.000Z', pick(['Z', '-05:00', '+01:00']));
  };
  const type = pick(FUZZ_TYPES);
  if (GROUP_TYPES.includes(type)) {
    const group: Record<string, unknown> = {
      type,
      id: num(),
      name: text(),
      ownerName: text(),
      dateAdded: date(),
      weblink: text(),
    };
    if (type === 'Document')
      Object.assign(group, { fileName: text(), fileSize: num(), malware: random() < 0.5, password: text() });
    if (type === 'Email')
      Object.assign(group, {
        body: text(),
        from: text(),
        header: text(),
        score: num(),
        subject: text(),
        to: text(),
      });
    if (type === 'Signature') Object.assign(group, { fileName: text(), fileText: text(), fileType: text() });
    return group as unknown as FormatRecord;
  }
  const rating = random() < 0.2 ? null : random() < 0.8 ? Math.floor(random() * 11) / 2 : random() * 6;
  const record: Record<string, unknown> = {
    type,
    id: num(),
    ownerName: text(),
    dateAdded: date(),
    lastModified: date(),
    description: text(),
    confidence: num(),
    rating,
    weblink: text(),
  };
  switch (type) {
    case 'Address':
      record.ip = random() < 0.3 ? '2001:db8::1' : text();
      break;
    case 'EmailAddress':
      record.address = text();
      break;
    case 'File':
      Object.assign(record, { md5: text(), sha1: text(), sha256: text(), size: num() });
      break;
    case 'Host':
      Object.assign(record, {
        hostName: text(),
        dnsActive: random() < 0.5,
        whoisActive: random() < 0.3 ? null : false,
      });
      break;
    case 'URL':
      Object.assign(record, { text: text(), source: text() });
      break;
    default:
      record.summary = text();
  }
  return record as unknown as FormatRecord;
}
