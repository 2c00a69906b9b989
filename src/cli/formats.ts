/**
 * The output formats of `--format`, keyed by name. Each entry turns a stream of records into text:
 * `begin()` once, `record()` per record (its line ending included), `end()` once. `json` and `jsonl`
 * are built here from the records' plain views; `csv`, `cef`, `leef` and `keyval` plug in from
 * `src/formats` (decisions.md 3) by filling their entries below. Until then they are `undefined`, and
 * asking for one is an error: "format csv is not available yet".
 */
import { type CompatMode, csvHeader, type Group, type Indicator } from '../index.js';
import type { GroupRecord, IndicatorRecord, OwnerRecord, RecordKind } from './records.js';
import { viewOf } from './records.js';

export const FORMAT_NAMES = ['json', 'jsonl', 'csv', 'cef', 'leef', 'keyval'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Any record a listing command prints. */
export type AnyRecord = IndicatorRecord | GroupRecord | OwnerRecord;

/** What a format is asked to print. */
export interface FormatContext {
  readonly kind: RecordKind;
  /** `--compat python-sdk`, as `tc.config.compat` holds it. */
  readonly compat: CompatMode | undefined;
}

/** Text for a stream of records of one kind. A writer may keep state (a separator, a count). */
export interface RecordWriter {
  /** Before the first record (a JSON `[`, a CSV header line). */
  begin(): string;
  /** One record, with its line ending. */
  record(record: AnyRecord): string;
  /** After the last record (a JSON `]`). */
  end(): string;
}

export interface FormatEntry {
  /** The record kinds the format prints; another kind is a usage error. */
  readonly kinds: readonly RecordKind[];
  create(context: FormatContext): RecordWriter;
}

/** One JSON object per line. */
const jsonl: FormatEntry = {
  kinds: ['indicator', 'group', 'owner'],
  create: ({ kind }) => ({
    begin: () => '',
    record: (record) => `${JSON.stringify(viewOf(kind, record))}\n`,
    end: () => '',
  }),
};

/** One JSON array, streamed: `[`, then the objects one per line separated by commas, then `]`. */
const json: FormatEntry = {
  kinds: ['indicator', 'group', 'owner'],
  create: ({ kind }) => {
    let count = 0;
    return {
      begin: () => '[',
      record: (record) => {
        count += 1;
        return `${count === 1 ? '\n' : ',\n'}${JSON.stringify(viewOf(kind, record))}`;
      },
      end: () => (count === 0 ? ']\n' : '\n]\n'),
    };
  },
};

/**
 * The registry. To wire a format of `src/formats`, replace its `undefined` with an entry, e.g.
 *
 *     csv: {
 *       kinds: ['indicator', 'group'],
 *       create: ({ kind, compat }) => ({
 *         begin: () => `${csvHeader(kind)}\r\n`,
 *         record: (record) => `${formatCsv(record, { compat })}\r\n`,
 *         end: () => '',
 *       }),
 *     },
 *
 * and likewise `cef` and `leef` (`kinds: ['indicator']`, one record per line) and `keyval`.
 */
export const FORMATS: Readonly<Record<FormatName, FormatEntry | undefined>> = {
  json,
  jsonl,
  csv: {
    kinds: ['indicator', 'group'],
    create: ({ kind, compat }) => {
      const options = compat === undefined ? {} : { compat };
      // RFC 4180: CRLF after every record, the header included; the original wrote LF.
      const end = compat === undefined ? '\r\n' : '\n';
      return {
        begin: () => `${csvHeader(kind === 'group' ? 'group' : 'indicator', options)}${end}`,
        record: (record) => `${(record as Indicator | Group).toCsv(options)}${end}`,
        end: () => '',
      };
    },
  },
  cef: {
    kinds: ['indicator'],
    create: ({ compat }) => {
      const options = compat === undefined ? {} : { compat };
      return {
        begin: () => '',
        record: (record) => `${(record as Indicator).toCef(options)}\n`,
        end: () => '',
      };
    },
  },
  leef: {
    kinds: ['indicator'],
    create: ({ compat }) => {
      const options = compat === undefined ? {} : { compat };
      return {
        begin: () => '',
        record: (record) => `${(record as Indicator).toLeef(options)}\n`,
        end: () => '',
      };
    },
  },
  keyval: {
    kinds: ['indicator', 'group'],
    create: ({ compat }) => {
      const options = compat === undefined ? {} : { compat };
      return {
        begin: () => '',
        record: (record) => `${(record as Indicator | Group).toKeyval(options)}\n`,
        end: () => '',
      };
    },
  },
};

/** Why a format cannot print: not built yet (exit 1), or not for this kind of record (usage, exit 2). */
export type FormatProblem = { reason: 'unavailable'; message: string } | { reason: 'kind'; message: string };

const PLURAL: Readonly<Record<RecordKind, string>> = {
  indicator: 'indicators',
  group: 'groups',
  owner: 'owners',
};

/** The writer of format `name` for `context`, or what stands in the way. */
export function createWriter(
  name: FormatName,
  context: FormatContext,
): { writer: RecordWriter } | { problem: FormatProblem } {
  const entry = FORMATS[name];
  if (entry === undefined) {
    return { problem: { reason: 'unavailable', message: `format ${name} is not available yet` } };
  }
  if (!entry.kinds.includes(context.kind)) {
    return {
      problem: { reason: 'kind', message: `format ${name} does not apply to ${PLURAL[context.kind]}` },
    };
  }
  return { writer: entry.create(context) };
}
