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

/** About this many bytes of text make one batch at most, so a big write becomes several. */
const BATCH_CHARS = 256 * 1024;

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

  /** `framed`: octet counting (TCP/TLS); otherwise bare messages (UDP datagrams). */
  constructor(header: MessageHeader, framed: boolean, maxBytes: number | undefined, clock: ResolvedClock) {
    this.#heads = new HeaderCache(header);
    this.#framed = framed;
    this.#maxBytes = maxBytes;
    this.#clock = clock;
  }

  /** Encodes the chunks from `from` up to the first chunk `stop` accepts, a bad chunk, or a batch's size. */
  encode(chunks: readonly unknown[], from: number, stop: (chunk: unknown) => boolean): Encoded {
    const heads = this.#heads;
    heads.at(this.#clock.now());
    const framed = this.#framed;
    const max = this.#maxBytes;
    const ends: number[] | undefined = framed ? undefined : [];
    const refused: number[] = [];
    let text = '';
    let count = 0;
    let offset = 0;
    let error: ValidationError | undefined;
    let i = from;
    for (; i < chunks.length && text.length < BATCH_CHARS; i += 1) {
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
      count += 1;
      if (framed) text += `${bytes} ${head}${line}`;
      else {
        text += head + line;
        offset += bytes;
        ends?.push(offset);
      }
    }
    return {
      batch: count === 0 ? undefined : { data: Buffer.from(text, 'utf8'), count, ends },
      next: i,
      refused,
      error,
    };
  }
}
