/**
 * Formatting many records: a formatter chosen and checked once, then applied per record, in constant
 * memory. `formatLines` (sync) and `formatStream` (async) yield one record's text plus its line ending
 * at a time; `createFormatTransform` is the same as a Node `Transform` (records in, text out).
 */
import { Transform } from 'node:stream';
import { ValidationError } from '../core/errors.js';
import { checkIndicator, cefLine } from './cef.js';
import { compatCef, compatCsv, compatJson, compatKeyval } from './compat.js';
import { type CsvKind, csvHeader, csvLine } from './csv.js';
import { jsonLine } from './json.js';
import { keyvalLine } from './keyval.js';
import { leefFormatter } from './leef.js';
import { describe, isCompat, type LeefOptions, leefSettings } from './options.js';
import { checkRecord, type FormatRecord, isGroupRecord } from './records.js';

/** The formats by name. */
export type FormatName = 'cef' | 'leef' | 'csv' | 'keyval' | 'json';

const FORMATS: ReadonlySet<string> = new Set(['cef', 'leef', 'csv', 'keyval', 'json']);

/** Options of {@link createFormatter}: `compat`, and LEEF's `version` and `delimiter`. */
export type FormatterOptions = LeefOptions;

/** Options of the streams. */
export interface StreamOptions extends FormatterOptions {
  /**
   * CSV only: the header record first. `true` (the default) writes the header that fits the first
   * record, so no records give no output; `'indicator'` or `'group'` always write that header, even
   * with no records; `false` writes none.
   */
  readonly header?: boolean | CsvKind | undefined;
}

function checkFormat(format: unknown): asserts format is FormatName {
  if (typeof format !== 'string' || !FORMATS.has(format)) {
    throw new ValidationError(
      `The format must be one of cef, leef, csv, keyval, json; got ${describe(format)}`,
    );
  }
}

/**
 * A function that prints one record in `format` (without a line ending), with the options checked
 * once: for a loop over many records, or a syslog sender that wants one message per record.
 */
export function createFormatter(
  format: FormatName,
  options?: FormatterOptions,
): (record: FormatRecord) => string {
  checkFormat(format);
  if (format === 'leef') {
    const line = leefFormatter(leefSettings(options));
    return (record) => {
      checkIndicator(record, 'LEEF');
      return line(record);
    };
  }
  if (options?.version !== undefined || options?.delimiter !== undefined) {
    throw new ValidationError('`version` and `delimiter` are LEEF options');
  }
  const compat = isCompat(options);
  switch (format) {
    case 'cef': {
      const line = compat ? compatCef : cefLine;
      return (record) => {
        checkIndicator(record, 'CEF');
        return line(record);
      };
    }
    case 'csv': {
      const line = compat ? compatCsv : csvLine;
      return (record) => {
        checkRecord(record);
        return line(record);
      };
    }
    case 'keyval': {
      const line = compat ? compatKeyval : keyvalLine;
      return (record) => {
        checkRecord(record);
        return line(record);
      };
    }
    case 'json': {
      const line = compat ? compatJson : jsonLine;
      return (record) => {
        checkRecord(record);
        return line(record);
      };
    }
  }
}

/** The per-record writer of a stream: header handling, line endings, errors naming the record. */
class LineWriter {
  readonly #format: (record: FormatRecord) => string;
  readonly #eol: string;
  #header: boolean | CsvKind;
  #index = 0;

  constructor(format: FormatName, options: StreamOptions | undefined) {
    this.#format = createFormatter(format, options);
    // A CSV stream ends every record with CRLF (RFC 4180); compat mode reproduces print(), so LF.
    this.#eol = format === 'csv' && !isCompat(options) ? '\r\n' : '\n';
    const header = (options?.header as unknown) ?? true;
    if (header !== true && header !== false && header !== 'indicator' && header !== 'group') {
      throw new ValidationError(`\`header\` must be a boolean, 'indicator' or 'group'`);
    }
    this.#header = format === 'csv' ? header : false;
  }

  /** The header forced by `'indicator'`/`'group'`, written before any record. */
  start(): string {
    const header = this.#header;
    if (header === 'indicator' || header === 'group') {
      this.#header = false;
      return csvHeader(header) + this.#eol;
    }
    return '';
  }

  line(record: FormatRecord): string {
    const index = this.#index;
    this.#index += 1;
    let text: string;
    try {
      text = this.#format(record) + this.#eol;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ValidationError(`Record ${index}: ${message}`, { cause: error });
    }
    if (this.#header === true) {
      this.#header = false;
      return csvHeader(isGroupRecord(record) ? 'group' : 'indicator') + this.#eol + text;
    }
    return text;
  }
}

/**
 * Formats records one at a time: yields each record's text with its line ending (CRLF for CSV, LF
 * otherwise; LF for every format in compat mode, as the original's `print()`), the CSV header first.
 * JSON gives JSON Lines. Holds one record at a time, so it runs in constant memory.
 */
export function* formatLines(
  records: Iterable<FormatRecord>,
  format: FormatName,
  options?: StreamOptions,
): Generator<string, void, undefined> {
  const writer = new LineWriter(format, options);
  const start = writer.start();
  if (start !== '') yield start;
  for (const record of records) yield writer.line(record);
}

/**
 * {@link formatLines} over an async iterable (a `tc.apiRequestPages(...)` walk, a resource stream) or
 * a sync one. `Readable.from(formatStream(records, 'cef'))` pipes it to a file or socket with
 * backpressure.
 */
export async function* formatStream(
  records: AsyncIterable<FormatRecord> | Iterable<FormatRecord>,
  format: FormatName,
  options?: StreamOptions,
): AsyncGenerator<string, void, undefined> {
  const writer = new LineWriter(format, options);
  const start = writer.start();
  if (start !== '') yield start;
  for await (const record of records) yield writer.line(record);
}

/**
 * A Node `Transform`: records written in (object mode), text read out, as {@link formatLines} gives it.
 * `pipeline(records, createFormatTransform('leef'), output)`.
 */
export function createFormatTransform(format: FormatName, options?: StreamOptions): Transform {
  const writer = new LineWriter(format, options);
  let started = false;
  return new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    transform(record: FormatRecord, _encoding, callback) {
      try {
        let text = writer.line(record);
        if (!started) {
          started = true;
          text = writer.start() + text;
        }
        callback(null, text);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      const text = started ? '' : writer.start();
      callback(null, text === '' ? undefined : text);
    },
  });
}
