/**
 * The state file of `threatconnect sync` (JSON, versioned): the checkpoint, the changes already
 * delivered inside the overlap window, and, between an output's preparation and its publication, the
 * journal entry that tells the next run whether the output appeared (docs/sync.md, "State file").
 */
import { promises as fs } from 'node:fs';
import { writeFileDurably } from './durable.js';
import { SyncStateError } from './errors.js';

export const STATE_VERSION = 1;

/** A deletion as the API lists it (it has no id): owner, type, summary, dateAdded. */
export type DeletionKey = readonly [ownerName: string, type: string, summary: string, dateAdded: string];

/** What a committed run leaves for the next one. */
export interface Committed {
  /** Runs committed so far; the next run is `seq + 1` (it names that run's output file). */
  readonly seq: number;
  /** The next run lists changes with `modifiedSince` = this (ISO 8601); null before the first run. */
  readonly checkpoint: string | null;
  /**
   * `[id, lastModified]` of changes delivered whose lastModified is at or after the checkpoint (an
   * array when read from the file; a run's progress passes an iterable, written as it is walked).
   */
  readonly delivered: Iterable<readonly [number, string]>;
  /** Deletions listed by the last run (the next one lists from the checkpoint and skips these). */
  readonly deletions: readonly DeletionKey[];
}

/** A file output written and fsynced under `temp`, about to be renamed to `target`. */
export interface Pending {
  readonly temp: string;
  readonly target: string;
  /** The state once the output has appeared. */
  readonly next: Committed;
}

export interface SyncState extends Committed {
  readonly version: typeof STATE_VERSION;
  /** What the runs select and how they print it; a run with another selection refuses the state. */
  readonly selection: string;
  readonly pending: Pending | null;
}

export function initialState(selection: string): SyncState {
  return {
    version: STATE_VERSION,
    selection,
    seq: 0,
    checkpoint: null,
    delivered: [],
    deletions: [],
    pending: null,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';

function checkCommitted(value: unknown, where: string): Committed {
  const v = value as Record<string, unknown> | null;
  const delivered = v?.delivered;
  const deletions = v?.deletions;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Number.isSafeInteger(v.seq) &&
    (v.checkpoint === null || (isString(v.checkpoint) && Number.isFinite(Date.parse(v.checkpoint)))) &&
    Array.isArray(delivered) &&
    delivered.every(
      (d) => Array.isArray(d) && d.length === 2 && Number.isSafeInteger(d[0]) && isString(d[1]),
    ) &&
    Array.isArray(deletions) &&
    deletions.every((d) => Array.isArray(d) && d.length === 4 && d.every(isString));
  if (!ok)
    throw new SyncStateError(`${where} is not a sync state: its checkpoint or delivered lists are malformed`);
  return v as unknown as Committed;
}

/** Reads the state, or the initial state when the file does not exist. */
export async function loadState(file: string, selection: string): Promise<SyncState> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return initialState(selection);
    throw new SyncStateError(`cannot read the state ${file}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SyncStateError(`the state ${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const raw = parsed as Record<string, unknown> | null;
  if (typeof raw !== 'object' || raw === null || raw.version !== STATE_VERSION) {
    throw new SyncStateError(
      `the state ${file} has version ${JSON.stringify(raw?.version)}; this threatconnect reads version ${STATE_VERSION}`,
    );
  }
  if (raw.selection !== selection) {
    throw new SyncStateError(
      // The selection is JSON text already: shown as it is, not quoted again.
      `the state ${file} was made for other filters, format or --deletions (${typeof raw.selection === 'string' ? raw.selection : JSON.stringify(raw.selection)}); ` +
        'use a new --state file for a new selection',
    );
  }
  const committed = checkCommitted(raw, `the state ${file}`);
  let pending: Pending | null = null;
  if (raw.pending !== null && raw.pending !== undefined) {
    const p = raw.pending as Record<string, unknown>;
    if (!isString(p.temp) || !isString(p.target)) {
      throw new SyncStateError(`the state ${file} has a malformed pending output`);
    }
    pending = { temp: p.temp, target: p.target, next: checkCommitted(p.next, `the state ${file}`) };
  }
  return { version: STATE_VERSION, selection, ...pick(committed), pending };
}

function pick(c: Committed): Committed {
  return { seq: c.seq, checkpoint: c.checkpoint, delivered: c.delivered, deletions: c.deletions };
}

/** Text chunks of about this many characters: the state is written without its whole text in memory. */
const CHUNK = 64 * 1024;

/** `"delivered":[…]` of a committed state, a chunk at a time. */
function* deliveredJson(delivered: Iterable<readonly [number, string]>): Generator<string> {
  let out = '"delivered":[';
  let first = true;
  for (const [id, lastModified] of delivered) {
    out += `${first ? '' : ','}[${JSON.stringify(id)},${JSON.stringify(lastModified)}]`;
    first = false;
    if (out.length >= CHUNK) {
      yield out;
      out = '';
    }
  }
  yield `${out}]`;
}

/** The fields of a committed state as JSON text chunks, in the file's key order. */
function* committedJson(c: Committed): Generator<string> {
  yield `"seq":${JSON.stringify(c.seq)},"checkpoint":${JSON.stringify(c.checkpoint)},`;
  yield* deliveredJson(c.delivered);
  yield `,"deletions":${JSON.stringify(c.deletions)}`;
}

/** The state file's text, a chunk at a time: what `JSON.stringify` gives, plus a line ending. */
export function* stateJson(state: SyncState): Generator<string> {
  yield `{"version":${JSON.stringify(state.version)},"selection":${JSON.stringify(state.selection)},`;
  yield* committedJson(state);
  const pending = state.pending;
  if (pending === null) {
    yield ',"pending":null}\n';
    return;
  }
  yield `,"pending":{"temp":${JSON.stringify(pending.temp)},"target":${JSON.stringify(pending.target)},"next":{`;
  yield* committedJson(pending.next);
  yield '}}}\n';
}

/** Writes the state durably (temporary file, fsync, rename, fsync of the folder). */
export async function saveState(file: string, state: SyncState): Promise<void> {
  await writeFileDurably(file, stateJson(state));
}

/** The state once `committed` is the last committed run. */
export function withCommitted(
  state: SyncState,
  committed: Committed,
  pending: Pending | null = null,
): SyncState {
  return { version: STATE_VERSION, selection: state.selection, ...pick(committed), pending };
}
