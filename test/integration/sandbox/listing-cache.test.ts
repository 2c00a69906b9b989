/**
 * The listing cache (issue 7 section 4, docs/sandbox.md "Listing cache"): pages served from cached item
 * texts are byte for byte the pages built as objects, before and after writes of every kind.
 *
 * Three sandboxes hold the same data and get the same writes at the same (fixed) clock: one with the
 * cache, one with it off (`listingCacheBytes: 0`, every item built as an object and encoded with its
 * page: the reference), and one whose cache holds only a few dozen items, so that windows are partly
 * cached and entries are evicted. After each write every listing of indicators is read in full from all
 * three and compared. The only difference allowed is the origin in webLinks (each sandbox has its own
 * port), which is replaced before comparing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Sandbox, sampleData } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { type RawResponse, call } from '../../helpers/signer.js';

const N = 300;
const START_MS = Date.now();
const PAGE = 40;
const OWNERS = ['Example Org', 'Example Community', 'Common Community'];
const TYPED = ['addresses', 'emailAddresses', 'files', 'hosts', 'urls', 'asns'];
const ALL_FLAGS = [
  '',
  '&includeTags=true',
  '&includeAttributes=true',
  '&includeAdditional=true',
  '&includeTags=true&includeAttributes=true&includeAdditional=true',
];

const enc = encodeURIComponent;

/** Every indicator listing the comparison reads, without paging parameters. */
function listings(): string[] {
  const out: string[] = [];
  for (const owner of OWNERS) {
    const o = `owner=${enc(owner)}`;
    out.push(`/v2/indicators?${o}`);
    for (const branch of TYPED) out.push(`/v2/indicators/${branch}?${o}`);
    out.push(`/v2/tags/APT/indicators?${o}`, `/v2/tags/APT/indicators/hosts?${o}`);
    out.push(`/v2/securityLabels/${enc('TLP Red')}/indicators?${o}`);
    out.push(`/v2/securityLabels/${enc('TLP:RED')}/indicators?${o}`);
  }
  out.push('/v2/groups/threats/38/indicators', '/v2/groups/threats/38/indicators/addresses');
  out.push('/v2/victims/10/indicators', '/v2/groups/adversaries/5/indicators');
  return out;
}

describe('listing cache', () => {
  const sample = sampleData(N);
  const sandboxes: { name: string; sandbox: Sandbox }[] = [];
  let offsetSeconds = 0;
  const timestamp = (): number => Math.floor(START_MS / 1000) + offsetSeconds;

  const signed = (sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<RawResponse> =>
    call(sandbox, method, path, {
      timestamp: timestamp(),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** The text of an answer with this sandbox's origin replaced, so answers of two sandboxes compare. */
  const normalised = (sandbox: Sandbox, r: RawResponse): string =>
    `${String(r.status)} ${r.text.replaceAll(new URL(sandbox.baseUrl).origin, 'http://sandbox')}`;

  /** Every window of a listing, and the window after the last, as normalised texts. */
  async function readAll(sandbox: Sandbox, path: string): Promise<string[]> {
    const out: string[] = [];
    for (let start = 0; ; start += PAGE) {
      const r = await signed(
        sandbox,
        'GET',
        `${path}&resultStart=${String(start)}&resultLimit=${String(PAGE)}`,
      );
      out.push(normalised(sandbox, r));
      // A pivot on a tag, label or group that a write removed is a 404; anything else is a failure.
      assert.ok(r.status === 200 || r.status === 404, `${path}: ${String(r.status)} ${r.text}`);
      if (r.status !== 200) return out;
      const data = (r.json() as { data: Record<string, unknown> }).data;
      const items = Object.values(data).find(Array.isArray) as unknown[] | undefined;
      if (!items || items.length < PAGE) return out;
    }
  }

  /** Reads every listing (with each of `flags`) from every sandbox and asserts they are the same. */
  async function compare(flags: readonly string[]): Promise<number> {
    let windows = 0;
    for (const path of listings()) {
      for (const flag of flags) {
        const full = path + flag;
        const texts = await Promise.all(sandboxes.map(({ sandbox }) => readAll(sandbox, full)));
        const [reference, ...others] = texts;
        for (const [i, text] of others.entries()) {
          assert.deepEqual(
            text,
            reference,
            `${full}: ${sandboxes[i + 1]?.name ?? ''} differs from the reference`,
          );
        }
        windows += reference?.length ?? 0;
      }
    }
    return windows;
  }

  /** Sends the same write to every sandbox; they must answer alike. */
  async function write(method: string, path: string, body?: unknown): Promise<RawResponse> {
    const answers = await Promise.all(sandboxes.map(({ sandbox }) => signed(sandbox, method, path, body)));
    const texts = answers.map((r, i) => normalised(sandboxes[i]?.sandbox as Sandbox, r));
    for (const text of texts.slice(1)) assert.equal(text, texts[0], `${method} ${path}`);
    const first = answers[0] as RawResponse;
    assert.ok(first.status < 300, `${method} ${path}: ${String(first.status)} ${first.text}`);
    return first;
  }

  const generated = (owner: string, type: string) =>
    sample.indicators.find((i) => i.id > 1_000_000 && i.active && i.ownerName === owner && i.type === type);
  const orgHost = generated('Example Org', 'Host');
  const orgUrl = generated('Example Org', 'URL');
  const ecHost = generated('Example Community', 'Host');
  const orgFile = sample.indicators.find(
    (i) => i.active && i.ownerName === 'Example Org' && i.type === 'File' && i.md5 && !i.sha256,
  );
  const EO = `owner=${enc('Example Org')}`;
  const EC = `owner=${enc('Example Community')}`;

  before(async () => {
    const common = {
      seedIndicators: N,
      clock: () => START_MS,
      accessId: 'LISTCACHE',
      secretKey: 'cache-secret',
    };
    sandboxes.push({ name: 'reference', sandbox: await withSandbox({ ...common, listingCacheBytes: 0 }) });
    sandboxes.push({ name: 'cached', sandbox: await withSandbox(common) });
    sandboxes.push({
      name: 'small cache',
      sandbox: await withSandbox({ ...common, listingCacheBytes: 20_000 }),
    });
    assert.ok(orgHost && orgUrl && ecHost && orgFile, 'the sample data has the records the writes need');
  });

  after(async () => {
    await Promise.all(sandboxes.map(({ sandbox }) => sandbox.close()));
  });

  it('serves the same pages with and without the cache, in every variant', async () => {
    const windows = await compare(ALL_FLAGS);
    assert.ok(windows > 200, `${String(windows)} windows compared`);
    // Read again: now from a warm cache.
    await compare(ALL_FLAGS);
  });

  const writes: [string, () => Promise<unknown>][] = [
    [
      'an indicator edit',
      () =>
        write('PUT', `/v2/indicators/hosts/${orgHost?.summary ?? ''}?${EO}`, { rating: 4.5, confidence: 77 }),
    ],
    [
      'a new indicator',
      () => write('POST', `/v2/indicators/addresses?${EO}`, { ip: '192.0.2.77', rating: 2 }),
    ],
    [
      'an existing value posted again',
      () => write('POST', `/v2/indicators/urls?${EO}`, { text: orgUrl?.summary, confidence: 3 }),
    ],
    [
      'a file merged with a new hash',
      () => write('POST', `/v2/indicators/files?${EO}`, { md5: orgFile?.md5, sha256: 'AB'.repeat(32) }),
    ],
    [
      'a tag attached',
      () => write('POST', `/v2/indicators/hosts/${orgHost?.summary ?? ''}/tags/FreshTag?${EO}`),
    ],
    [
      'a tag attached from its own side',
      () => write('POST', `/v2/tags/FreshTag/indicators/urls/${enc(orgUrl?.summary ?? '')}?${EO}`),
    ],
    [
      'a tag removed',
      () => write('DELETE', `/v2/indicators/hosts/${orgHost?.summary ?? ''}/tags/FreshTag?${EO}`),
    ],
    [
      'an owner-scoped tag renamed',
      () => write('PUT', `/v2/tags/APT?${EC}`, { name: 'APT renamed', description: 'Renamed' }),
    ],
    ['an owner-scoped tag deleted', () => write('DELETE', `/v2/tags/EXAMPLE?${EC}`)],
    [
      'a security label attached',
      () => write('POST', `/v2/indicators/addresses/10.20.30.40/securityLabels/${enc('TLP:RED')}?${EC}`),
    ],
    [
      'a security label removed',
      () => write('DELETE', `/v2/indicators/addresses/10.20.30.40/securityLabels/${enc('TLP:RED')}?${EC}`),
    ],
    ['a security label deleted', () => write('DELETE', `/v2/securityLabels/${enc('TLP Red')}?${EC}`)],
    [
      'attributes added, edited and removed',
      async () => {
        const path = `/v2/indicators/addresses/10.20.30.40/attributes?${EC}`;
        const added = await write('POST', path, {
          type: 'Description',
          value: 'Now described',
          displayed: true,
        });
        const id = (added.json() as { data: { attribute: { id: number } } }).data.attribute.id;
        await compare(['', '&includeAttributes=true']);
        const one = `/v2/indicators/addresses/10.20.30.40/attributes/${String(id)}?${EC}`;
        await write('PUT', one, { value: 'Described again' });
        await compare(['', '&includeAttributes=true']);
        await write('DELETE', one);
      },
    ],
    [
      'an association added',
      () => write('POST', `/v2/groups/threats/38/indicators/hosts/${ecHost?.summary ?? ''}?${EC}`),
    ],
    [
      'an association removed',
      () => write('DELETE', `/v2/groups/threats/38/indicators/hosts/${ecHost?.summary ?? ''}?${EC}`),
    ],
    [
      'an indicator deleted',
      () => write('DELETE', `/v2/indicators/urls/${enc(orgUrl?.summary ?? '')}?${EO}`),
    ],
    [
      'a write after the clock moved',
      async () => {
        for (const { sandbox } of sandboxes) {
          const r = await signed(sandbox, 'POST', '/_sandbox/clock', { offsetSeconds: 120 });
          assert.equal(r.status, 200, r.text);
        }
        offsetSeconds = 120;
        // The clock alone changes no listing.
        await compare(['']);
        await write('PUT', `/v2/indicators/hosts/${ecHost?.summary ?? ''}?${EC}`, { rating: 1 });
      },
    ],
    ['a group deleted', () => write('DELETE', `/v2/groups/threats/38?${EC}`)],
  ];

  for (const [what, run] of writes) {
    it(`serves the same pages after ${what}`, async () => {
      await run();
      await compare(['', '&includeTags=true&includeAttributes=true&includeAdditional=true']);
    });
  }
});
