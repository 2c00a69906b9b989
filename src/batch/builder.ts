/** One job's file being filled, under both limits of a job (decisions.md 1.8). */
import { indicatorKey } from './records.js';
import type { WireRecord } from './records.js';

/** Most indicators in one job. */
export const MAX_JOB_INDICATORS = 25_000;
/** Largest job file the server takes. */
export const MAX_JOB_BYTES = 2_000_000;

const HEAD = '{"indicator":[';
const MIDDLE = '],"group":[';
const TAIL = ']}';
const FRAME_BYTES = HEAD.length + MIDDLE.length + TAIL.length;

export class JobBuilder {
  readonly firstIndex: number;
  readonly #indicators: string[] = [];
  readonly #groups: string[] = [];
  #bytes = FRAME_BYTES;
  /** Input indexes by the key the server's errors name a record by. */
  readonly keys = new Map<string, number[]>();
  /** The input records of this job, by index (for the result's errors). */
  readonly records = new Map<number, unknown>();

  constructor(firstIndex: number) {
    this.firstIndex = firstIndex;
  }

  get size(): number {
    return this.records.size;
  }

  get indicatorCount(): number {
    return this.#indicators.length;
  }

  /** Whether a record alone would be over the byte limit of a job. */
  static tooLarge(wire: WireRecord): number | undefined {
    const bytes = Buffer.byteLength(wire.json) + FRAME_BYTES;
    return bytes > MAX_JOB_BYTES ? bytes : undefined;
  }

  fits(wire: WireRecord): boolean {
    if (wire.kind === 'indicator' && this.#indicators.length >= MAX_JOB_INDICATORS) return false;
    return this.#bytes + Buffer.byteLength(wire.json) + 1 <= MAX_JOB_BYTES;
  }

  add(wire: WireRecord, index: number, record: unknown): void {
    (wire.kind === 'indicator' ? this.#indicators : this.#groups).push(wire.json);
    this.#bytes += Buffer.byteLength(wire.json) + 1;
    const list = this.keys.get(wire.key);
    if (list) list.push(index);
    else this.keys.set(wire.key, [index]);
    this.records.set(index, record);
  }

  content(): Buffer {
    return Buffer.from(
      `${HEAD}${this.#indicators.join(',')}${MIDDLE}${this.#groups.join(',')}${TAIL}`,
      'utf8',
    );
  }
}

/** The key of a server error entry: from its own fields, else from the `Type "summary"` in its message. */
export function errorKey(entry: {
  itemType?: string;
  type?: string;
  summary?: string;
  xid?: string;
  errorMessage?: string;
}): string | undefined {
  if (typeof entry.xid === 'string') return `g|${entry.xid}`;
  if (typeof entry.type === 'string' && typeof entry.summary === 'string')
    return indicatorKey(entry.type, entry.summary);
  const match = /processing (\w+) "((?:[^"\\]|\\.)*)"/.exec(entry.errorMessage ?? '');
  if (match?.[1] !== undefined && match[2] !== undefined) {
    try {
      return indicatorKey(match[1], JSON.parse(`"${match[2]}"`) as string);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
