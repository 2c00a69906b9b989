/**
 * An incremental reader of the bulk CSV report (rest-api-v2.md 11.1): `Type,Value,Rating,Confidence`
 * then one row per indicator, where a missing value is the word `null`. Fed in chunks of bytes as they
 * arrive; UTF-8 characters split across chunks are decoded whole (strictly: bytes that are not UTF-8
 * are refused). Fields follow RFC 4180: quoted when they hold a comma, a quote or a line break, with
 * inner quotes doubled; records end with CRLF or LF. The columns are found by their header names
 * (extra columns are ignored); blank lines are skipped.
 *
 * A header without the four columns, a row with another number of fields, a rating or confidence that
 * is not a number, or an end inside a quoted field throws {@link InvalidResponseError}.
 */
import { InvalidResponseError } from '../core/errors.js';

/** One row of the bulk CSV report. */
export interface BulkCsvRow {
  /** The indicator type (`Host`, `Address`, a custom type's name). */
  readonly type: string;
  /** The indicator's value (its summary; a file's hashes joined by ` : `). */
  readonly value: string;
  /** 0 to 5, or null when the indicator has none. */
  readonly rating: number | null;
  /** 0 to 100, or null when the indicator has none. */
  readonly confidence: number | null;
}

const COLUMNS = ['Type', 'Value', 'Rating', 'Confidence'] as const;

/** A field as read: its text, and whether it was quoted (a quoted `"null"` is the text null). */
interface Field {
  text: string;
  quoted: boolean;
}

export interface CsvScannerOptions {
  /** What the document is, for messages. */
  readonly what: string;
  readonly status: number;
  readonly contentType?: string | undefined;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

export class BulkCsvScanner {
  readonly #options: CsvScannerOptions;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });
  #field = '';
  #fieldQuoted = false;
  #record: Field[] = [];
  /** Inside a quoted field. */
  #inQuotes = false;
  /** Just read a quote inside a quoted field: the end of the field, or the first half of `""`. */
  #quotePending = false;
  /** Just ended a record at a CR: an LF next belongs to it. */
  #afterCr = false;
  /** Whether anything of the current record has been read (a blank line has nothing). */
  #started = false;
  /** The line being read: every line break counts, those inside quoted fields too. */
  #line = 1;
  /** The line where the current record began (a quoted field may take it over several lines). */
  #recordLine = 1;
  #indexes: readonly number[] | undefined;
  #width = 0;

  constructor(options: CsvScannerOptions) {
    this.#options = options;
  }

  /** Rows completed by `chunk`. */
  push(chunk: Uint8Array): BulkCsvRow[] {
    let text: string;
    try {
      text = this.#decoder.decode(chunk, { stream: true });
    } catch (error) {
      throw this.#error(`holds bytes that are not UTF-8 (line ${this.#line})`, error);
    }
    return this.#read(text);
  }

  /** An error met after rows that were returned first; thrown by the next call. */
  #failure: InvalidResponseError | undefined;

  /** After the last chunk: the last record (when it has no line ending), and checks. */
  end(): BulkCsvRow[] {
    let rest: string;
    try {
      rest = this.#decoder.decode();
    } catch (error) {
      throw this.#error(`ends inside a UTF-8 character (line ${this.#line})`, error);
    }
    const out = this.#read(rest);
    if (this.#inQuotes && !this.#quotePending)
      throw this.#error(`ended inside a quoted field (line ${this.#line})`);
    if (this.#started) this.#endRecord(out);
    if (this.#indexes === undefined) throw this.#error('is empty: it has no header line');
    return out;
  }

  /**
   * The rows completed by `text`. When it goes wrong after some rows, those are returned and the error
   * is thrown by the next call (so that a caller handles every row before it).
   */
  #read(text: string): BulkCsvRow[] {
    if (this.#failure !== undefined) throw this.#failure;
    const out: BulkCsvRow[] = [];
    try {
      this.#scan(text, out);
    } catch (error) {
      if (out.length === 0 || !(error instanceof InvalidResponseError)) throw error;
      this.#failure = error;
    }
    return out;
  }

  #scan(text: string, out: BulkCsvRow[]): void {
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i] as string;
      if (this.#afterCr) {
        this.#afterCr = false;
        if (c === '\n') continue;
      }
      if (this.#inQuotes) {
        if (this.#quotePending) {
          this.#quotePending = false;
          if (c === '"') {
            this.#field += '"';
            continue;
          }
          this.#inQuotes = false;
          // The field ended: read this character as what follows it.
        } else {
          // Up to the next quote at once.
          const quote = text.indexOf('"', i);
          const inside = text.slice(i, quote === -1 ? text.length : quote);
          this.#countBreaks(inside);
          this.#field += inside;
          if (quote === -1) break;
          this.#quotePending = true;
          i = quote;
          continue;
        }
      }
      if (c === ',') {
        this.#endField();
        this.#start();
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') this.#afterCr = true;
        if (this.#started || this.#field !== '') this.#endRecord(out);
        this.#line += 1;
      } else if (c === '"') {
        if (this.#field !== '' || this.#fieldQuoted) {
          throw this.#error(`has a quote inside an unquoted field (line ${this.#line})`);
        }
        this.#inQuotes = true;
        this.#fieldQuoted = true;
        this.#start();
      } else {
        if (this.#fieldQuoted) throw this.#error(`has text after a quoted field (line ${this.#line})`);
        this.#field += c;
        this.#start();
      }
    }
  }

  /** Marks the current record as begun, on the line being read. */
  #start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#recordLine = this.#line;
  }

  /** Counts the line breaks of quoted text (CRLF, LF or CR), about to be added to the field. */
  #countBreaks(inside: string): void {
    if (!/[\r\n]/.test(inside)) return;
    for (let at = 0; at < inside.length; at += 1) {
      const c = inside[at];
      // An LF right after a CR (in this text, or at the end of the field so far) ends the same line.
      if (c === '\r' || (c === '\n' && (at === 0 ? this.#field.at(-1) : inside[at - 1]) !== '\r'))
        this.#line += 1;
    }
  }

  #endField(): void {
    this.#record.push({ text: this.#field, quoted: this.#fieldQuoted });
    this.#field = '';
    this.#fieldQuoted = false;
  }

  #endRecord(out: BulkCsvRow[]): void {
    this.#endField();
    const record = this.#record;
    this.#record = [];
    this.#started = false;
    if (this.#indexes === undefined) {
      const names = record.map((f) => f.text.trim().toLowerCase());
      const indexes = COLUMNS.map((column) => names.indexOf(column.toLowerCase()));
      const missing = COLUMNS.filter((_, k) => indexes[k] === -1);
      if (missing.length > 0) {
        const shown = record.map((f) => f.text).join(',');
        throw this.#error(
          `has no ${missing.join(', ')} column${missing.length === 1 ? '' : 's'} in its header line ${JSON.stringify(shown.length > 80 ? `${shown.slice(0, 80)}…` : shown)}`,
        );
      }
      this.#indexes = indexes;
      this.#width = record.length;
      return;
    }
    if (record.length !== this.#width) {
      throw this.#error(
        `has ${record.length} fields on line ${this.#recordLine}, not ${this.#width} as in its header`,
      );
    }
    const [type, value, rating, confidence] = this.#indexes.map((k) => record[k] as Field) as [
      Field,
      Field,
      Field,
      Field,
    ];
    out.push({
      type: type.text,
      value: value.text,
      rating: this.#number(rating, 'Rating'),
      confidence: this.#number(confidence, 'Confidence'),
    });
  }

  #number(field: Field, column: string): number | null {
    if (!field.quoted && (field.text === 'null' || field.text === '')) return null;
    if (!NUMBER.test(field.text)) {
      throw this.#error(
        `has ${column} ${JSON.stringify(field.text)} on line ${this.#recordLine}, not a number or null`,
      );
    }
    return Number(field.text);
  }

  #error(problem: string, cause?: unknown): InvalidResponseError {
    return new InvalidResponseError(`${this.#options.what} ${problem}`, {
      status: this.#options.status,
      contentType: this.#options.contentType,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
