/**
 * JSON of a response body, with a faster path for a large v2 listing.
 *
 * `JSON.parse(buffer.toString())` of a page of 500 indicators first builds one string of about
 * 180 KB. V8 puts every object above 128 KB in its large-object space, each in fresh memory of its own,
 * and writing that memory costs more than decoding it: the string of each page takes about as long as
 * a third of its `JSON.parse`. A listing body of the usual shape,
 * `{"status":"Success","data":{"resultCount":N,"indicator":[…]}}`, is therefore parsed in slices:
 * its items in runs of about {@link SLICE_BYTES}, each run's text small enough for the young
 * generation, then the envelope around them.
 *
 * Where the runs are cut:
 * - A cut is a `}` followed by `,{"`. Where the items start alike (`{"id":…,"ownerName":`), only a cut
 *   followed by such a start counts, which keeps cuts out of inline tags and attributes.
 * - The search for a cut stops {@link SCAN_BYTES} on; the rest of the items is then one run (an item
 *   that long, or items that start otherwise, would be scanned match after match).
 * - A run that fails to parse is extended to the next cut, at most {@link MAX_RETRIES} times a body;
 *   then the rest of the items is one run.
 *
 * The result is always the one `JSON.parse` gives for the whole body:
 * - The envelope's start must match {@link LISTING_HEAD} exactly (no string in it holds a bracket,
 *   so its `[` opens the items), and the body must end with `]}}`.
 * - The comma between two runs is skipped, so the runs and their commas are exactly the items' text.
 *   Each run is parsed as the items of an array. The first run starts at an item's start, and a run
 *   that parses ends at an item's end (one that ends inside a string or a nested value leaves it open,
 *   and fails), so the next run starts at an item's start too. Runs that parse, joined by commas, are
 *   valid items with the same values; where the cuts fall only decides how many runs fail.
 * - When the last run (the rest of the items) fails, the body is not JSON or not of this shape: the
 *   whole body is parsed then, which gives the usual `SyntaxError`.
 * - The cuts are at ASCII bytes, which UTF-8 never uses inside a character, so each run decodes as it
 *   would within the whole body (an invalid byte becomes U+FFFD either way).
 * - One difference, on purpose: a listing longer than V8's longest string (about 512 MB,
 *   `buffer.constants.MAX_STRING_LENGTH`) is read when each of its runs is shorter than that, where
 *   the whole body could not even be decoded for `JSON.parse` (`Cannot create a string longer than …`).
 */

/** A body smaller than this is parsed whole: its string stays out of the large-object space. */
const SLICED_ABOVE_BYTES = 96 * 1024;
/** The length of a run of items (more when an item is longer). */
const SLICE_BYTES = 32 * 1024;
/** How far past its start {@link findCut} looks for a cut. */
const SCAN_BYTES = 4 * SLICE_BYTES;
/** How many runs of one body may fail before the rest is parsed as one run. */
const MAX_RETRIES = 2;
/** How far {@link itemStart} reads a key (up to 39 letters) and an integer (up to 20 digits). */
const START_KEY_BYTES = 40;
const START_NUMBER_BYTES = 20;
/**
 * The start of a listing body up to the `[` of its items, without white space, as ThreatConnect and
 * the sandbox write it. `resultCount` is optional; the key is letters only (`indicator`, `adversary`…).
 */
const LISTING_HEAD =
  /^\{"status":"[A-Za-z]+","data":\{(?:"resultCount":(?:0|[1-9][0-9]{0,15}),)?"([A-Za-z]+)":\[/;
/** How much of the body's start {@link LISTING_HEAD} is matched against. */
const HEAD_BYTES = 128;
const CUT = Buffer.from('},{"');
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const QUOTE = 0x22; // "
const COLON = 0x3a; // :
const COMMA = 0x2c; // ,

/**
 * A scratch buffer for a run with its brackets: the run is copied in, then decoded once. Its text is at
 * most 120 KB as two-byte text, below V8's 128 KB; a longer run (an item above its size) is decoded on
 * its own and bracketed as a string instead.
 */
const scratch = Buffer.allocUnsafe(60 * 1024);

/** The JSON value of `body` (UTF-8). Throws the `SyntaxError` of `JSON.parse` when it is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length > SLICED_ABOVE_BYTES) {
    const sliced = parseListing(body);
    if (sliced !== undefined) return sliced;
  }
  return JSON.parse(body.toString('utf8'));
}

/** What {@link parseListing} did, for the tests: runs parsed, and whether one failed. */
export interface SliceStats {
  runs: number;
  failed: boolean;
}

/**
 * A listing parsed in slices of `sliceBytes` (tests use small ones), or undefined when the body is not
 * of the expected shape or its last run fails (see the module's comment).
 * @internal
 */
export function parseListing(body: Buffer, sliceBytes = SLICE_BYTES, stats?: SliceStats): unknown {
  const end = body.length - 3;
  if (body[end] !== CLOSE_BRACKET || body[end + 1] !== CLOSE_BRACE || body[end + 2] !== CLOSE_BRACE)
    return undefined;
  const head = LISTING_HEAD.exec(body.toString('latin1', 0, Math.min(HEAD_BYTES, body.length)));
  const key = head?.[1];
  if (head === null || key === undefined) return undefined;
  const walk: Walk = {
    body,
    end,
    sliceBytes,
    start: itemStart(body, head[0].length, end),
    stats,
    failures: 0,
  };
  const items: unknown[] = [];
  for (let from = head[0].length; from < end; ) {
    const to = takeRun(walk, from, items);
    if (to === -1) return undefined;
    from = to + 1;
  }
  // The envelope, with its items taken out: `{"status":…,"data":{…,"indicator":[]}}`.
  const envelope = JSON.parse(`${head[0]}]}}`) as { data: Record<string, unknown> };
  // The key is letters only, never `__proto__`: a plain assignment replaces the empty array.
  envelope.data[key] = items;
  return envelope;
}

/** One listing body being parsed in runs. */
interface Walk {
  readonly body: Buffer;
  /** The index of the items' closing `]`. */
  readonly end: number;
  readonly sliceBytes: number;
  readonly start: ItemStart;
  readonly stats: SliceStats | undefined;
  /** Runs that failed so far. */
  failures: number;
}

/**
 * Parses the run that starts at `from` (an item's start) into `items`, a failed run extended to the
 * next cut as long as retries are left; returns the index where the run ended (the next comma, or
 * the items' `]`), or -1 when the rest of the items fails as one run.
 */
function takeRun(walk: Walk, from: number, items: unknown[]): number {
  const { body, end, stats } = walk;
  let cut = end - from > walk.sliceBytes ? findCut(body, from + walk.sliceBytes, end, walk.start) : -1;
  for (;;) {
    const to = cut === -1 ? end : cut + 1;
    try {
      const run = parseRun(body, from, to);
      if (stats !== undefined) stats.runs += 1;
      for (const item of run) items.push(item);
      return to;
    } catch {
      if (to === end) return -1;
      if (stats !== undefined) stats.failed = true;
      walk.failures += 1;
      cut = walk.failures > MAX_RETRIES ? -1 : findCut(body, cut + 1, end, walk.start);
    }
  }
}

/**
 * What a cut looks like. Where the first item starts `{"id":123,"ownerName":` (a key, an integer, a
 * second key), only the same start counts: items of a listing start alike, and the objects nested in
 * them mostly do not (a tag starts with `"name"`, an attribute with `"id"` and then `"type"`).
 */
interface ItemStart {
  /** `},{"id":`: the end of an item, its comma, and the start of the next; `},{"` alone for any start. */
  readonly needle: Buffer;
  /** `,"ownerName":`, after the integer; undefined for any start. */
  readonly then: Buffer | undefined;
}

/** The cut where items do not start alike. */
const ANY_START: ItemStart = { needle: CUT, then: undefined };

/** The {@link ItemStart} of the item at `at`: {@link ANY_START} when it starts otherwise. */
function itemStart(body: Buffer, at: number, end: number): ItemStart {
  if (body[at] !== OPEN_BRACE || body[at + 1] !== QUOTE) return ANY_START;
  const first = keyEnd(body, at + 2, end);
  if (first === -1 || body[first + 1] !== COLON) return ANY_START;
  const digits = digitsEnd(body, first + 2, end);
  if (digits === first + 2 || body[digits] !== COMMA || body[digits + 1] !== QUOTE) return ANY_START;
  const second = keyEnd(body, digits + 2, end);
  if (second === -1 || body[second + 1] !== COLON) return ANY_START;
  return {
    needle: Buffer.concat([CUT, body.subarray(at + 2, first + 2)]),
    then: Buffer.from(body.subarray(digits, second + 2)),
  };
}

/** The index of the quote that ends a key of letters starting at `at`, or -1. */
function keyEnd(body: Buffer, at: number, end: number): number {
  const limit = Math.min(end, at + START_KEY_BYTES);
  for (let i = at; i < limit; i += 1) {
    const c = body[i] ?? 0;
    if (c === QUOTE) return i > at ? i : -1;
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return -1;
  }
  return -1;
}

/** The index after the ASCII digits starting at `at` (at most {@link START_NUMBER_BYTES}). */
function digitsEnd(body: Buffer, at: number, end: number): number {
  const limit = Math.min(end, at + START_NUMBER_BYTES);
  let i = at;
  while (i < limit && (body[i] ?? 0) >= 0x30 && (body[i] ?? 0) <= 0x39) i += 1;
  return i;
}

/**
 * The index of the `}` of the next cut at or after `from` (before `end`), or -1: the needle of
 * `start`, then, where items start alike, an integer and the first item's second key. The search
 * stops {@link SCAN_BYTES} after `from`: past that, an item longer than that (or an item of another
 * look) is under way, and the rest of the items is parsed as one run rather than scanned match after
 * match.
 */
function findCut(body: Buffer, from: number, end: number, start: ItemStart): number {
  const limit = Math.min(end, from + SCAN_BYTES);
  const { needle, then } = start;
  for (let at = from; ; ) {
    const cut = body.indexOf(needle, at);
    if (cut === -1 || cut >= limit) return -1;
    if (then === undefined) return cut;
    const digits = digitsEnd(body, cut + needle.length, end);
    if (
      digits > cut + needle.length &&
      digits + then.length <= end &&
      body.compare(then, 0, then.length, digits, digits + then.length) === 0
    )
      return cut;
    at = cut + 1;
  }
}

/** The items of `body[from, to)` as an array: `[` + the run + `]`, decoded from the scratch buffer. */
function parseRun(body: Buffer, from: number, to: number): unknown[] {
  const length = to - from + 2;
  if (length > scratch.length) return JSON.parse(`[${body.toString('utf8', from, to)}]`) as unknown[];
  scratch[0] = OPEN_BRACKET;
  body.copy(scratch, 1, from, to);
  scratch[length - 1] = CLOSE_BRACKET;
  return JSON.parse(scratch.toString('utf8', 0, length)) as unknown[];
}
