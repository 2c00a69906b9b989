/**
 * Chunks written to a sink, encoded as one buffer per batch: the line and severity of each chunk are
 * read, the header comes from the sink's {@link HeaderCache} (one timestamp per batch: the messages of
 * a batch leave together), the frames are assembled as one string, and that string is encoded once.
 * The byte length of a message is its header's length (ASCII) plus the line's UTF-8 length, so it is
 * known before encoding: octet counting (TCP/TLS) and `maxBytes` need no Buffer per message.
 */
import type { ResolvedClock } from '../core/clock.js';
import { ValidationError } from '../core/errors.js';
import { HeaderCache, type MessageHeader } from './message.js';
import { UNKNOWN_RATING_SEVERITY, severityOfRating } from './severity.js';

/** A line with what its severity is made of. */
export interface SyslogRecord {
  /** The message text (a CEF, LEEF or KeyVal line); a trailing line break is dropped. */
  readonly line: string;
  /** The record's threat rating (0–5), mapped to the severity; none means unknown (notice). */
  readonly rating?: number | null | undefined;
  /** An explicit severity 0–7, which wins over `rating`. */
  readonly severity?: number | undefined;
}

/** What `sink.write()` takes. */
export type SyslogChunk = string | SyslogRecord;

/** Messages encoded together, as a transport takes them. */
export interface EncodedBatch {
  /** The messages one after the other: octet-counted frames, or bare messages (`ends` says where). */
  readonly data: Buffer;
  /** How many messages. */
  readonly count: number;
  /** Bare messages only: where each message ends in `data`. */
  readonly ends: readonly number[] | undefined;
  /**
   * Gives `data`'s memory back for later batches: called once, by the transport, when no socket can
   * read `data` any more (TCP/TLS: when its messages are confirmed; UDP: when every datagram is sent).
   */
  readonly release: () => void;
}

/** What {@link BatchEncoder.encode} made of the chunks from `from` on. */
export interface Encoded {
  /** The messages, or undefined when there is none. */
  readonly batch: EncodedBatch | undefined;
  /** The index of the first chunk not taken: a stop chunk, a bad chunk, or the length. */
  readonly next: number;
  /** The byte sizes of the messages refused for `maxBytes`. */
  readonly refused: readonly number[];
  /** The chunk at `next` is neither a line nor a record. */
  readonly error: ValidationError | undefined;
}

/**
 * The size of a batch at most, and of the buffers reused for batches: a batch ends before the
 * message that would not fit, so a big write becomes several batches. A message longer than this
 * alone gets a buffer of its own.
 */
const SLAB_BYTES = 64 * 1024;

/**
 * Buffers of {@link SLAB_BYTES}, reused: the batches a transport holds (the unacknowledged tail)
 * come back when released, so the memory is that of the largest tail, not garbage that grows until
 * the next full collection. At most `maxFree` are kept unused.
 */
class SlabPool {
  readonly #free: Buffer[] = [];
  readonly #maxFree: number;

  constructor(maxBytes: number) {
    this.#maxFree = Math.ceil(maxBytes / SLAB_BYTES) + 2;
  }

  /**
   * A buffer of `bytes` bytes: part of a reused one when it fills at least half of one, so that a
   * reused buffer is never mostly empty; otherwise one of its own.
   */
  take(bytes: number): { data: Buffer; release: () => void } {
    if (bytes > SLAB_BYTES || bytes < SLAB_BYTES / 2) {
      return { data: Buffer.allocUnsafe(bytes), release: () => undefined };
    }
    const slab = this.#free.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
    let released = false;
    return {
      data: slab.subarray(0, bytes),
      release: () => {
        if (released) return;
        released = true;
        if (this.#free.length < this.#maxFree) this.#free.push(slab);
      },
    };
  }
}

/** How many decimal digits `n` (a positive integer) has. */
function decimalDigits(n: number): number {
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  return digits;
}

/** Writes `n` in decimal ASCII at `at`; returns the offset after it. */
function putDecimal(buffer: Buffer, at: number, n: number): number {
  const end = at + decimalDigits(n);
  let rest = n;
  for (let i = end - 1; i >= at; i -= 1) {
    buffer[i] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return end;
}

function stripLineEnd(line: string): string {
  const n = line.length;
  if (n === 0 || line.charCodeAt(n - 1) !== 10) return line;
  return n > 1 && line.charCodeAt(n - 2) === 13 ? line.slice(0, -2) : line.slice(0, -1);
}

function badChunk(chunk: unknown): ValidationError {
  return new ValidationError(
    `a syslog sink takes strings or { line, rating?, severity? } records, got ${chunk === null ? 'null' : typeof chunk}`,
  );
}

/** The severity of a record (checked), after its line was found to be a string. */
function recordSeverity(record: SyslogRecord): number {
  const { severity, rating } = record;
  if (severity !== undefined) {
    if (!Number.isInteger(severity) || severity < 0 || severity > 7) {
      throw new ValidationError(
        `syslog record severity must be an integer from 0 to 7, got ${String(severity)}`,
      );
    }
    return severity;
  }
  if (rating !== undefined && rating !== null && typeof rating !== 'number') {
    throw new ValidationError(`syslog record rating must be a number or null, got ${typeof rating}`);
  }
  return severityOfRating(rating);
}

export class BatchEncoder {
  readonly #heads: HeaderCache;
  readonly #framed: boolean;
  readonly #maxBytes: number | undefined;
  readonly #clock: ResolvedClock;
  readonly #pool: SlabPool;

  /**
   * `framed`: octet counting (TCP/TLS); otherwise bare messages (UDP datagrams). `heldBytes`: how
   * many bytes of batches the transport may hold at once, the most the pool keeps for reuse.
   */
  constructor(
    header: MessageHeader,
    options: { framed: boolean; maxBytes: number | undefined; clock: ResolvedClock; heldBytes: number },
  ) {
    this.#heads = new HeaderCache(header);
    this.#framed = options.framed;
    this.#maxBytes = options.maxBytes;
    this.#clock = options.clock;
    this.#pool = new SlabPool(options.heldBytes);
  }

  /** The lines, headers and byte sizes of the batch being encoded (reused from batch to batch). */
  readonly #lines: string[] = [];
  readonly #headsOf: string[] = [];
  readonly #sizes: number[] = [];

  /**
   * Encodes the chunks from `from` up to the first chunk `stop` accepts, a bad chunk, or a batch's
   * size. The sizes come first (the header's length plus the line's UTF-8 length), then the frames
   * are written straight into the batch's buffer: no string or Buffer per message.
   */
  encode(chunks: readonly unknown[], from: number, stop: (chunk: unknown) => boolean): Encoded {
    const heads = this.#heads;
    heads.at(this.#clock.now());
    const framed = this.#framed;
    const max = this.#maxBytes;
    const lines = this.#lines;
    const headsOf = this.#headsOf;
    const sizes = this.#sizes;
    const refused: number[] = [];
    let count = 0;
    let total = 0;
    let error: ValidationError | undefined;
    let i = from;
    for (; i < chunks.length; i += 1) {
      const chunk = chunks[i];
      let line: string;
      let severity: number = UNKNOWN_RATING_SEVERITY;
      if (typeof chunk === 'string') line = chunk;
      else if (
        typeof chunk === 'object' &&
        chunk !== null &&
        typeof (chunk as SyslogRecord).line === 'string'
      ) {
        line = (chunk as SyslogRecord).line;
        try {
          severity = recordSeverity(chunk as SyslogRecord);
        } catch (bad) {
          error = bad as ValidationError;
          break;
        }
      } else {
        if (stop(chunk)) break;
        error = badChunk(chunk);
        break;
      }
      line = stripLineEnd(line);
      const head = heads.head(severity);
      const bytes = head.length + Buffer.byteLength(line, 'utf8');
      if (max !== undefined && bytes > max) {
        refused.push(bytes);
        continue;
      }
      const size = framed ? decimalDigits(bytes) + 1 + bytes : bytes;
      if (count > 0 && total + size > SLAB_BYTES) break;
      lines[count] = line;
      headsOf[count] = head;
      sizes[count] = bytes;
      count += 1;
      total += size;
    }
    let batch: EncodedBatch | undefined;
    if (count > 0) {
      const { data, release } = this.#pool.take(total);
      const ends: number[] | undefined = framed ? undefined : [];
      let at = 0;
      for (let k = 0; k < count; k += 1) {
        if (framed) {
          at = putDecimal(data, at, sizes[k] as number);
          data[at] = 0x20;
          at += 1;
        }
        at += data.write(headsOf[k] as string, at, 'latin1');
        at += data.write(lines[k] as string, at, 'utf8');
        ends?.push(at);
      }
      // Let the lines go: the arrays are reused, their strings need not live on.
      lines.fill('', 0, count);
      batch = { data, count, ends, release };
    }
    return { batch, next: i, refused, error };
  }
}
