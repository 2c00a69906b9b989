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
 * The result is always the one `JSON.parse` gives for the whole body:
 * - The envelope's start must match {@link LISTING_HEAD} exactly (no string in it holds a bracket,
 *   so its `[` opens the items), and the body must end with `]}}`.
 * - A run ends at a `}` followed by `,{"`; the comma between two runs is skipped, so the runs and
 *   their commas are exactly the items' text. Each run is parsed as the items of an array. The first
 *   run starts at an item's start, and a run that parses ends at an item's end (a run that ends inside
 *   a string or a nested value leaves it open, and fails), so the next run starts at an item's start
 *   too. Runs that parse, joined by commas, are valid items, with the same values.
 * - A run that fails leaves the rest of the items to one run, which fails only when the body is not
 *   JSON or not of this shape; then the whole body is parsed, which gives the usual `SyntaxError`.
 * - The cuts are at ASCII bytes, which UTF-8 never uses inside a character, so each run decodes as it
 *   would within the whole body (an invalid byte becomes U+FFFD either way).
 * - One difference, on purpose: a listing longer than V8's longest string (about 512 MB,
 *   `buffer.constants.MAX_STRING_LENGTH`) is read, where the whole body could not even be decoded for
 *   `JSON.parse` (`Cannot create a string longer than …`).
 */

/** A body smaller than this is parsed whole: its string stays out of the large-object space. */
const SLICED_ABOVE_BYTES = 96 * 1024;
/** The length of a run of items (more when one item is longer): well below 128 KB in two-byte text. */
const SLICE_BYTES = 32 * 1024;
/**
 * The start of a listing body up to the `[` of its items, without white space, as ThreatConnect and
 * the sandbox write it. `resultCount` is optional; the key is letters only (`indicator`, `adversary`…).
 */
const LISTING_HEAD =
  /^\{"status":"[A-Za-z]+","data":\{(?:"resultCount":(?:0|[1-9][0-9]{0,15}),)?"([A-Za-z]+)":\[/;
/** How much of the body's start {@link LISTING_HEAD} is matched against. */
const HEAD_BYTES = 128;
const CUT = Buffer.from('},{"');
const CLOSE = 0x5d; // ]
const BRACE = 0x7d; // }

/**
 * A scratch buffer for a run with its brackets: the run is copied in, then decoded once. A longer run
 * (one item above its size) is decoded on its own and bracketed as a string instead.
 */
const scratch = Buffer.allocUnsafe(SLICE_BYTES * 2);

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
 * of the expected shape. A run that fails to parse (its cut fell in a string or a nested array, as
 * inline attributes make likely) leaves the rest of the items to one last run, so that a body costs at
 * most one slice more than a whole parse; when that run fails too, the body is not JSON.
 * @internal
 */
export function parseListing(body: Buffer, sliceBytes = SLICE_BYTES, stats?: SliceStats): unknown {
  const end = body.length - 3;
  if (body[end] !== CLOSE || body[end + 1] !== BRACE || body[end + 2] !== BRACE) return undefined;
  const head = LISTING_HEAD.exec(body.toString('latin1', 0, Math.min(HEAD_BYTES, body.length)));
  const key = head?.[1];
  if (head === null || key === undefined) return undefined;
  const items: unknown[] = [];
  let from = head[0].length;
  let sliced = true;
  while (from < end) {
    let to = end;
    if (sliced && end - from > sliceBytes) {
      const cut = body.indexOf(CUT, from + sliceBytes);
      if (cut !== -1 && cut < end) to = cut + 1;
    }
    let run: unknown[];
    try {
      run = parseRun(body, from, to);
    } catch {
      // Every run before this one ended at an item's end (see above): the rest starts at an item.
      if (to === end) return undefined;
      sliced = false;
      if (stats !== undefined) stats.failed = true;
      continue;
    }
    if (stats !== undefined) stats.runs += 1;
    for (const item of run) items.push(item);
    from = to + 1;
  }
  // The envelope, with its items taken out: `{"status":…,"data":{…,"indicator":[]}}`.
  const envelope = JSON.parse(`${head[0]}]}}`) as { data: Record<string, unknown> };
  // The key is letters only, never `__proto__`: a plain assignment replaces the empty array.
  envelope.data[key] = items;
  return envelope;
}

/** The items of `body[from, to)` as an array: `[` + the run + `]`, decoded from the scratch buffer. */
function parseRun(body: Buffer, from: number, to: number): unknown[] {
  const length = to - from + 2;
  if (length > scratch.length) return JSON.parse(`[${body.toString('utf8', from, to)}]`) as unknown[];
  scratch[0] = 0x5b; // [
  body.copy(scratch, 1, from, to);
  scratch[length - 1] = CLOSE;
  return JSON.parse(scratch.toString('utf8', 0, length)) as unknown[];
}
