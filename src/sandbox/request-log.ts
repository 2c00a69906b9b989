/**
 * The request log of `/_sandbox/requests` and `/_sandbox/activity` (decisions.md 2.2), bounded in
 * entries and in bytes: a target is kept to its first 2,048 characters, so a flood of junk requests
 * with 16 KB targets cannot fill memory.
 */

export const LOG_CAPACITY = 10_000;
/** decisions.md 2.2: `target` is cut to its first 2,048 characters, with `…` appended when longer. */
export const TARGET_LIMIT = 2048;
const ELLIPSIS = '…';

/** One request as the sandbox's request log (`GET /_sandbox/requests`) shows it. */
export interface RequestLogEntry {
  /** Position in the log, from 1. */
  seq: number;
  /** The HTTP method. */
  method: string;
  /** The request target (path and query), shortened with `…` when very long. */
  target: string;
  /** The status answered, or null when the socket was reset before an answer. */
  status: number | null;
  /** The API user that signed the request, if any. */
  accessId: string | null;
  /** When it arrived, by the sandbox's clock (ISO 8601). */
  time: string;
  /** The fault rule that fired, if any. */
  fault: string | null;
}

/**
 * An entry as kept. The `…` is added only when the log is read: appended to the one-byte string Node
 * gives for a request target, it would make every long target a two-byte string of twice the size.
 */
interface StoredEntry extends RequestLogEntry {
  cut: boolean;
}

/**
 * A copy of the first {@link TARGET_LIMIT} characters that does not keep the whole target alive:
 * V8 represents `slice()` of a long string as a view onto its parent. Node builds request targets
 * from bytes, so they are one-byte strings, and the latin1 copy is exact and one byte a character;
 * anything else is copied as UTF-16.
 */
function cutTarget(target: string): string {
  const head = target.slice(0, TARGET_LIMIT);
  const oneByte = Buffer.from(head, 'latin1').toString('latin1');
  return oneByte === head ? oneByte : Buffer.from(head, 'utf16le').toString('utf16le');
}

export class RequestLog {
  readonly #entries: StoredEntry[] = [];
  readonly #capacity: number;
  #seq = 0;

  constructor(capacity = LOG_CAPACITY) {
    this.#capacity = capacity;
  }

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.#seq += 1;
    const long = entry.target.length > TARGET_LIMIT;
    const target = long ? cutTarget(entry.target) : entry.target;
    // The keys in the order of decisions.md 2.2: `{"seq","method","target","status","accessId","time","fault"}`.
    this.#entries.push({
      seq: this.#seq,
      method: entry.method,
      target,
      status: entry.status,
      accessId: entry.accessId,
      time: entry.time,
      fault: entry.fault,
      cut: long,
    });
    if (this.#entries.length > this.#capacity) {
      this.#entries.splice(0, this.#entries.length - this.#capacity);
    }
  }

  /** The entries in wire shape, oldest first. */
  list(): RequestLogEntry[] {
    return this.#entries.map(({ cut, ...entry }) =>
      cut ? { ...entry, target: `${entry.target}${ELLIPSIS}` } : entry,
    );
  }

  get size(): number {
    return this.#entries.length;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
