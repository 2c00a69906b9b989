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
import {
  checkOptionKeys,
  describe,
  FORMAT_OPTION_KEYS,
  type FormatName,
  formatSettings,
  type LeefOptions,
} from './options.js';
import { checkRecord, type FormatRecord, type IndicatorRecord, isGroupRecord, recordOf } from './records.js';

export type { FormatName } from './options.js';

const FORMATS: ReadonlySet<string> = new Set(['cef', 'leef', 'csv', 'keyval', 'json']);

/** Options of {@link createFormatter}: `compat`, and LEEF's `version` and `delimiter`. */
export type FormatterOptions = LeefOptions;

/** Options of the streams. */
export interface StreamOptions extends FormatterOptions {
  /**
   * CSV only: the header record first. `true` (the default) writes the header that fits the first
   * record, so no records give no output; `'indicator'` or `'group'` always write that header, even
   * with no records; `false` writes none. Either way every record must be of one kind (indicators or
   * groups, whose columns differ): the header's, or the first record's.
   */
  readonly header?: boolean | CsvKind | undefined;
}

/** The keys of {@link StreamOptions}. */
const STREAM_OPTION_KEYS: readonly string[] = [...FORMAT_OPTION_KEYS, 'header'];

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
  const settings = formatSettings(format, options);
  const compat = settings.compat;
  switch (format) {
    case 'leef':
      return indicatorFormatter('LEEF', leefFormatter(settings));
    case 'cef':
      return indicatorFormatter('CEF', compat ? compatCef : cefLine);
    case 'csv':
      return recordFormatter(compat ? compatCsv : csvLine);
    case 'keyval':
      return recordFormatter(compat ? compatKeyval : keyvalLine);
    case 'json':
      return recordFormatter(compat ? compatJson : jsonLine);
  }
}

/** A formatter of indicators only (CEF, LEEF); an SDK object prints from its own record. */
function indicatorFormatter(
  format: string,
  line: (record: IndicatorRecord) => string,
): (value: FormatRecord) => string {
  return (value) => {
    const record = recordOf(value);
    checkIndicator(record, format);
    return line(record);
  };
}

/** A formatter of indicators and groups; an SDK object prints from its own record. */
function recordFormatter(line: (record: FormatRecord) => string): (value: FormatRecord) => string {
  return (value) => {
    const record = recordOf(value);
    checkRecord(record);
    return line(record);
  };
}

/** `a group`, `an indicator`. */
function kindText(kind: CsvKind): string {
  return kind === 'group' ? 'a group' : 'an indicator';
}

/**
 * The per-record writer of a stream: header handling, line endings, errors naming the record. A CSV
 * stream holds one kind of record: the header's (forced, or chosen by the first record), or with
 * `header: false` the first record's, since the two kinds' columns differ.
 */
class LineWriter {
  readonly #format: (record: FormatRecord) => string;
  readonly #eol: string;
  readonly #csv: boolean;
  #header: boolean | CsvKind;
  /** CSV: the kind every record must have; `undefined` until the first record unless forced. */
  #kind: CsvKind | undefined;
  /** CSV: whether the stream writes a header (the error then names it). */
  readonly #headed: boolean;
  #index = 0;

  constructor(format: FormatName, options: StreamOptions | undefined) {
    checkOptionKeys(options, STREAM_OPTION_KEYS);
    // `header` is the stream's own; the rest are the format's (options that are not an object are
    // passed on as they are, for the format's check to refuse).
    let formatOptions: FormatterOptions | undefined = options;
    let given: unknown;
    if (typeof options === 'object' && (options as unknown) !== null) {
      const { header, ...rest } = options;
      formatOptions = rest;
      given = header;
    }
    this.#format = createFormatter(format, formatOptions);
    this.#csv = format === 'csv';
    // A CSV stream ends every record with CRLF (RFC 4180); compat mode reproduces print(), so LF.
    this.#eol = this.#csv && !formatSettings(format, formatOptions).compat ? '\r\n' : '\n';
    const header = given ?? true;
    if (header !== true && header !== false && header !== 'indicator' && header !== 'group') {
      throw new ValidationError(`\`header\` must be a boolean, 'indicator' or 'group'`);
    }
    this.#header = this.#csv ? header : false;
    this.#kind = this.#csv && typeof header === 'string' ? header : undefined;
    this.#headed = this.#csv && header !== false;
  }

  /** CSV: refuses a record whose kind is not the stream's; the first one sets it. */
  #checkKind(record: FormatRecord, index: number): void {
    const kind: CsvKind = isGroupRecord(record) ? 'group' : 'indicator';
    const expected = this.#kind;
    if (expected === undefined) this.#kind = kind;
    else if (kind !== expected) {
      const before = this.#headed ? `the ${expected} header` : `${expected} records`;
      throw new ValidationError(
        `Record ${index}: ${kindText(kind)} record cannot follow ${before} in a CSV stream (their columns differ)`,
      );
    }
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

  line(value: FormatRecord): string {
    const record = recordOf(value);
    const index = this.#index;
    this.#index += 1;
    let text: string;
    try {
      text = this.#format(record) + this.#eol;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ValidationError(`Record ${index}: ${message}`, { cause: error });
    }
    if (this.#csv) this.#checkKind(record, index);
    if (this.#header === true) {
      this.#header = false;
      return csvHeader(this.#kind as CsvKind) + this.#eol + text;
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
