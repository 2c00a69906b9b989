/**
 * An incremental reader of one array member of a large JSON object, such as the bulk report
 * `{"indicator":[{...},{...}]}` (rest-api-v2.md 11.1), fed in chunks of bytes as they arrive.
 *
 * It scans bytes, not text: every byte that JSON's structure depends on (`{ } [ ] , : "` and `\`) is
 * ASCII, and in UTF-8 no byte of a multi-byte character is below 0x80, so a character split across two
 * chunks is never mistaken for structure. The scanner only finds where each element starts and ends
 * (tracking depth, strings and escapes across chunk boundaries); each element's bytes are then decoded
 * (UTF-8, strictly) and given to `JSON.parse`, which checks everything inside it. Memory is one chunk
 * plus the element being read. Other members of the object are read the same way and dropped.
 *
 * Anything that is not such a document (bad syntax, a missing or repeated array member, bytes after
 * the object, an end before the object closes) throws {@link InvalidResponseError}.
 */
import { InvalidResponseError } from '../core/errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Where the scanner is in the document. */
const enum At {
  /** Before the opening `{`. */
  Start,
  /** After `{`: a key or `}`. */
  FirstKey,
  /** After `,` between members: a key. */
  Key,
  /** Inside a key string. */
  InKey,
  /** After a key: `:`. */
  Colon,
  /** After `:`: the member's value. */
  MemberValue,
  /** After a member's value: `,` or `}`. */
  AfterMember,
  /** After `[` of the array: an element or `]`. */
  FirstElement,
  /** After `,` in the array: an element. */
  Element,
  /** After an element: `,` or `]`. */
  AfterElement,
  /** Inside a value (an element, or another member's value). */
  InValue,
  /** After the closing `}`: only whitespace. */
  Done,
}

/** Options of {@link JsonArrayScanner}. */
export interface JsonArrayScannerOptions {
  /** The member whose array elements are wanted (`indicator`). */
  readonly key: string;
  /** What the document is, for messages: `the bulk JSON report of owner "X"`. */
  readonly what: string;
  /** The HTTP status and content type of the answer, for the error. */
  readonly status: number;
  readonly contentType?: string | undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Feed it with {@link push} (each call returns the elements completed by that chunk, in order) and
 * call {@link end} after the last chunk.
 */
export class JsonArrayScanner {
  readonly #options: JsonArrayScannerOptions;
  #at: At = At.Start;
  /** Where a value's end returns to: AfterElement (an array element) or AfterMember (another member). */
  #valueOf: At.AfterElement | At.AfterMember = At.AfterMember;
  /** Bytes of the value (or key) being read, from earlier chunks. */
  #pieces: Uint8Array[] = [];
  #piecesBytes = 0;
  /** Nesting depth inside the current value; 0 for a bare string, number or literal. */
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Whether the current value is a bare number or literal (it ends at a delimiter). */
  #bare = false;
  #memberIsTarget = false;
  #seenTarget = false;
  /** Bytes consumed before the current chunk. */
  #offset = 0;
  /** An error met after elements that were returned first; thrown by the next call. */
  #failure: InvalidResponseError | undefined;

  constructor(options: JsonArrayScannerOptions) {
    this.#options = options;
  }

  /**
   * Elements completed by `chunk`. When the chunk goes wrong after some elements, those are returned
   * and the error is thrown by the next call (so that a caller handles every element before it).
   */
  push(chunk: Uint8Array): unknown[] {
    this.#throwFailure();
    const out: unknown[] = [];
    try {
      this.#scan(chunk, out);
    } catch (error) {
      if (out.length === 0 || !(error instanceof InvalidResponseError)) throw error;
      this.#failure = error;
    }
    return out;
  }

  #throwFailure(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  #scan(chunk: Uint8Array, out: unknown[]): void {
    /** Start of the value or key in this chunk, or -1 when it began in an earlier chunk. */
    let start = this.#at === At.InValue || this.#at === At.InKey ? -1 : 0;
    const length = chunk.length;
    /** The next backslash at or after the string being read; -1 when there is none in the chunk. */
    let nextBackslash = -2;
    let i = 0;
    while (i < length) {
      const byte = chunk[i] as number;
      switch (this.#at) {
        case At.InValue: {
          if (this.#inString) {
            if (this.#escaped) {
              this.#escaped = false;
              i += 1;
              continue;
            }
            // Most bytes are string content: jump (natively) to the next quote or backslash.
            if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i);
            let quote = chunk.indexOf(QUOTE, i);
            if (quote === -1) quote = length;
            if (nextBackslash !== -1 && nextBackslash < quote) {
              this.#escaped = true;
              i = nextBackslash + 1;
              continue;
            }
            if (quote === length) {
              i = length;
              continue;
            }
            this.#inString = false;
            if (this.#depth === 0) this.#finishValue(chunk, start, quote + 1, out);
            i = quote + 1;
            continue;
          }
          if (this.#bare) {
            if (isWhitespace(byte) || byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
              // The delimiter belongs to the container: read it again in the state after the value.
              this.#finishValue(chunk, start, i, out);
              continue;
            }
            i += 1;
            continue;
          }
          if (byte === QUOTE) this.#inString = true;
          else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.#depth += 1;
          else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
            this.#depth -= 1;
            if (this.#depth === 0) this.#finishValue(chunk, start, i + 1, out);
          }
          i += 1;
          continue;
        }
        case At.InKey: {
          if (this.#escaped) this.#escaped = false;
          else if (byte === BACKSLASH) this.#escaped = true;
          else if (byte === QUOTE) {
            const key = this.#parse(this.#take(chunk, start, i + 1), 'a member name', i + 1);
            this.#memberIsTarget = key === this.#options.key;
            if (this.#memberIsTarget && this.#seenTarget) {
              throw this.#error(`has a second "${this.#options.key}" member at byte ${this.#offset + i}`);
            }
            this.#at = At.Colon;
          }
          i += 1;
          continue;
        }
        default:
          break;
      }
      if (isWhitespace(byte)) {
        i += 1;
        continue;
      }
      switch (this.#at) {
        case At.Start:
          if (byte !== OPEN_BRACE) throw this.#unexpected(byte, i, 'a JSON object');
          this.#at = At.FirstKey;
          break;
        case At.FirstKey:
        case At.Key:
          if (byte === CLOSE_BRACE && this.#at === At.FirstKey) this.#at = At.Done;
          else if (byte === QUOTE) {
            this.#at = At.InKey;
            this.#escaped = false;
            start = i;
          } else throw this.#unexpected(byte, i, 'a member name');
          break;
        case At.Colon:
          if (byte !== COLON) throw this.#unexpected(byte, i, '":"');
          this.#at = At.MemberValue;
          break;
        case At.MemberValue:
          if (this.#memberIsTarget) {
            if (byte !== OPEN_BRACKET) {
              throw this.#error(`has a "${this.#options.key}" member that is not an array`);
            }
            this.#seenTarget = true;
            this.#at = At.FirstElement;
          } else {
            this.#valueOf = At.AfterMember;
            start = this.#beginValue(byte, i);
            continue;
          }
          break;
        case At.AfterMember:
          if (byte === COMMA) this.#at = At.Key;
          else if (byte === CLOSE_BRACE) this.#at = At.Done;
          else throw this.#unexpected(byte, i, '"," or "}"');
          break;
        case At.FirstElement:
        case At.Element:
          if (byte === CLOSE_BRACKET && this.#at === At.FirstElement) {
            this.#at = At.AfterMember;
            break;
          }
          if (byte === CLOSE_BRACKET || byte === COMMA || byte === CLOSE_BRACE || byte === COLON) {
            throw this.#unexpected(byte, i, 'an array element');
          }
          this.#valueOf = At.AfterElement;
          start = this.#beginValue(byte, i);
          continue;
        case At.AfterElement:
          if (byte === COMMA) this.#at = At.Element;
          else if (byte === CLOSE_BRACKET) this.#at = At.AfterMember;
          else throw this.#unexpected(byte, i, '"," or "]"');
          break;
        case At.Done:
          throw this.#unexpected(byte, i, 'the end of the document');
        default:
          break;
      }
      i += 1;
    }
    if (this.#at === At.InValue || this.#at === At.InKey) {
      const from = start === -1 ? 0 : start;
      if (from < length) {
        this.#pieces.push(chunk.subarray(from, length));
        this.#piecesBytes += length - from;
      }
    }
    this.#offset += length;
  }

  /** After the last chunk: checks that the document was complete. */
  end(): void {
    this.#throwFailure();
    if (this.#at === At.Start) throw this.#error('is empty');
    if (this.#at !== At.Done) {
      const inside =
        this.#at === At.InValue && this.#valueOf === At.AfterElement ? ', inside an element' : '';
      throw this.#error(`ended early at byte ${this.#offset}${inside}`);
    }
    if (!this.#seenTarget) throw this.#error(`has no "${this.#options.key}" array`);
  }

  /**
   * Starts a value whose first (non-space) byte is at `i`, and returns `i` as its start. The loop reads
   * that byte again in the value state: a quote opens a string, a bracket a level.
   */
  #beginValue(byte: number, i: number): number {
    this.#at = At.InValue;
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
    this.#bare = byte !== QUOTE && byte !== OPEN_BRACE && byte !== OPEN_BRACKET;
    return i;
  }

  /** The bytes of the value or key from its earlier pieces and `chunk[start, end)`. */
  #take(chunk: Uint8Array, start: number, end: number): Uint8Array {
    const tail = chunk.subarray(start === -1 ? 0 : start, end);
    if (this.#pieces.length === 0) return tail;
    const whole = new Uint8Array(this.#piecesBytes + tail.length);
    let at = 0;
    for (const piece of this.#pieces) {
      whole.set(piece, at);
      at += piece.length;
    }
    whole.set(tail, at);
    this.#pieces = [];
    this.#piecesBytes = 0;
    return whole;
  }

  #finishValue(chunk: Uint8Array, start: number, end: number, out: unknown[]): void {
    const value = this.#parse(this.#take(chunk, start, end), 'a value', end);
    this.#at = this.#valueOf;
    if (this.#valueOf === At.AfterElement) out.push(value);
  }

  /** Parses the bytes of a value or key that ends at `end` of the current chunk. */
  #parse(bytes: Uint8Array, what: string, end: number): unknown {
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch (error) {
      const from = this.#offset + end - bytes.length;
      throw this.#error(`holds ${what} that is not UTF-8 (bytes ${from} to ${this.#offset + end})`, error);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
      throw this.#error(`holds ${what} that is not valid JSON: ${JSON.stringify(shown)}`, error);
    }
  }

  #unexpected(byte: number, i: number, expected: string): InvalidResponseError {
    const shown =
      byte >= 0x20 && byte < 0x7f ? JSON.stringify(String.fromCharCode(byte)) : `byte 0x${byte.toString(16)}`;
    return this.#error(`has ${shown} at byte ${this.#offset + i} where ${expected} was expected`);
  }

  #error(problem: string, cause?: unknown): InvalidResponseError {
    return new InvalidResponseError(`${this.#options.what} ${problem}`, {
      status: this.#options.status,
      contentType: this.#options.contentType,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
