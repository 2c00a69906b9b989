/**
 * Bulk reports (rest-api-v2.md 11.1): per owner, a JSON and a CSV report of its active indicators.
 *
 * A report is a **snapshot** taken by a run: the whole run is one synchronous pass over the owner's
 * rows, so no request can write between its first and its last row, and every item of a report is
 * what the owner held at `lastRun`. A run writes the encoded report in chunks to a private temporary
 * database (its own SQLite connection, deleted when it closes), never as one string in memory, and the
 * downloads stream those chunks with their exact `Content-Length`.
 *
 * Runs happen on demand: the first bulk request for an owner runs its report, a request at or after
 * `nextRun` (`lastRun` + 24 hours on the server clock) runs it again, as the real server rebuilds its
 * reports daily, and `runNow=true` runs it at once. A download that started on the previous run keeps
 * reading that run's chunks, which are dropped once the last such download ends.
 */
import { Readable } from 'node:stream';
import type { Database as Db } from 'better-sqlite3';
import { createJsonEncoder, decimal2Json } from './encode.js';
import { Failure } from './reply.js';
import type { AttributeRow, OwnerRow, Store, TagRow } from './store.js';
import {
  GENERIC_ITEM_COLUMN_COUNT,
  ITEM_COLUMNS,
  attributeView,
  indicatorItemJson,
  tagView,
  type ViewContext,
} from './views.js';

/** A report is rebuilt when this long has passed since its run. */
export const BULK_RUN_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** Bytes of report text per stored chunk. */
const CHUNK_CHARS = 256 * 1024;
/** Rows read per query during a run. */
const ROWS_PER_QUERY = 1000;

export type BulkFormat = 'json' | 'csv';

export const CSV_HEADER = 'Type,Value,Rating,Confidence';

interface ReportPart {
  /** Size in bytes. */
  length: number;
  chunks: number;
}

/** One run of one owner's report. */
export interface BulkRun {
  readonly runId: number;
  readonly ownerId: number;
  /** Server time of the run, ms. */
  readonly ranAtMs: number;
  readonly indicators: number;
  readonly parts: Readonly<Record<BulkFormat, ReportPart>>;
}

interface RunState extends BulkRun {
  readers: number;
  current: boolean;
}

const encode = createJsonEncoder();
const COLUMNS = ITEM_COLUMNS.slice(0, GENERIC_ITEM_COLUMN_COUNT).join(', ');

/** A CSV field: quoted when it holds a comma, a quote, CR or LF, or is the word `null` itself. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value === 'null' ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The attribute and tag views of the indicators `ids` (ascending), by id. One range query each: the
 * range also holds other owners' items, skipped here, which is far cheaper than a query per item (or
 * a join, which SQLite plans as an open-ended scan).
 */
function readMetadata(
  store: Store,
  view: ViewContext,
  ids: ReadonlySet<number>,
  first: number,
  last: number,
): { attributes: Map<number, unknown[]>; tags: Map<number, unknown[]> } {
  const attributes = new Map<number, unknown[]>();
  const tags = new Map<number, unknown[]>();
  const add = (map: Map<number, unknown[]>, id: number, value: unknown): void => {
    const list = map.get(id);
    if (list) list.push(value);
    else map.set(id, [value]);
  };
  for (const a of store.rawRows(
    "SELECT item_id, id, type, value, displayed, source, date_added, last_modified FROM attributes WHERE kind = 'indicator' AND item_id BETWEEN ? AND ? ORDER BY item_id, id",
    first,
    last,
  )) {
    const itemId = a[0] as number;
    if (!ids.has(itemId)) continue;
    const row: AttributeRow = {
      item_id: itemId,
      kind: 'indicator',
      id: a[1] as number,
      type: a[2] as string,
      value: a[3] as string,
      displayed: a[4] as number,
      source: a[5] as string | null,
      date_added: a[6] as string,
      last_modified: a[7] as string,
    };
    add(attributes, itemId, attributeView(row));
  }
  for (const t of store.rawRows(
    "SELECT l.a_id, t.id, t.owner_id, t.name, t.description FROM links l JOIN tags t ON t.id = l.b_id WHERE l.a_kind = 'indicator' AND l.a_id BETWEEN ? AND ? AND l.b_kind = 'tag' ORDER BY l.a_id, t.id",
    first,
    last,
  )) {
    const itemId = t[0] as number;
    if (!ids.has(itemId)) continue;
    const row: TagRow = {
      id: t[1] as number,
      owner_id: t[2] as number,
      name: t[3] as string,
      description: t[4] as string | null,
    };
    add(tags, itemId, tagView(view, row));
  }
  return { attributes, tags };
}

/** Appends text and cuts it into chunks of about {@link CHUNK_CHARS}. */
class ChunkWriter {
  #pending: string[] = [];
  #pendingChars = 0;
  length = 0;
  chunks = 0;
  readonly #write: (seq: number, data: Buffer) => void;

  constructor(write: (seq: number, data: Buffer) => void) {
    this.#write = write;
  }

  add(text: string): void {
    this.#pending.push(text);
    this.#pendingChars += text.length;
    if (this.#pendingChars >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.#pendingChars === 0) return;
    const data = Buffer.from(this.#pending.join(''), 'utf8');
    this.#pending = [];
    this.#pendingChars = 0;
    this.#write(this.chunks, data);
    this.chunks += 1;
    this.length += data.length;
  }
}

/** The reports of one sandbox: the current run of each owner, and older runs still being read. */
export class BulkReports {
  readonly #chunks: Db;
  readonly #runs = new Map<number, RunState>();
  #nextRunId = 1;

  /** `chunks` is a fresh database of its own (a private temporary one), used by nothing else. */
  constructor(chunks: Db) {
    this.#chunks = chunks;
    chunks.pragma('auto_vacuum = INCREMENTAL');
    chunks.pragma('journal_mode = MEMORY');
    chunks.pragma('synchronous = OFF');
    chunks.exec(
      'CREATE TABLE report_chunks (run_id INTEGER NOT NULL, format TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run_id, format, seq))',
    );
  }

  /** The owner's current run, if it has had one. */
  current(ownerId: number): BulkRun | undefined {
    return this.#runs.get(ownerId);
  }

  /**
   * Runs the owner's report now: a snapshot of its active indicators, in id order, as generic list
   * items with their `attribute[]` and `tag[]` (JSON) and as `Type,Value,Rating,Confidence` rows (CSV).
   */
  run(store: Store, view: ViewContext, owner: OwnerRow, nowMs: number): BulkRun {
    const runId = this.#nextRunId;
    this.#nextRunId += 1;
    const insert = this.#chunks.prepare(
      'INSERT INTO report_chunks (run_id, format, seq, data) VALUES (?, ?, ?, ?)',
    );
    // Attributes and tags are read per batch of rows and appended below, not queried item by item.
    const itemView: ViewContext = {
      ...view,
      includeTags: false,
      includeAttributes: false,
      includeAdditional: false,
      includeLabels: false,
    };
    const json = new ChunkWriter((seq, data) => insert.run(runId, 'json', seq, data));
    const csv = new ChunkWriter((seq, data) => insert.run(runId, 'csv', seq, data));
    let indicators = 0;
    const build = this.#chunks.transaction(() => {
      json.add('{"indicator":[');
      csv.add(`${CSV_HEADER}\r\n`);
      let after = -1;
      for (;;) {
        const rows = store.rawRows(
          `SELECT ${COLUMNS} FROM indicators WHERE owner_id = ? AND active = 1 AND id > ? ORDER BY id LIMIT ?`,
          owner.id,
          after,
          ROWS_PER_QUERY,
        );
        const first = rows[0]?.[0] as number | undefined;
        const last = rows.at(-1)?.[0] as number | undefined;
        const metadata =
          first === undefined || last === undefined
            ? undefined
            : readMetadata(store, view, new Set(rows.map((row) => row[0] as number)), first, last);
        for (const row of rows) {
          const id = row[0] as number;
          const item = indicatorItemJson(itemView, row, 'generic', encode);
          const attributes = JSON.stringify(metadata?.attributes.get(id) ?? []);
          const tags = JSON.stringify(metadata?.tags.get(id) ?? []);
          json.add(
            `${indicators === 0 ? '' : ','}${item.slice(0, -1)},"attribute":${attributes},"tag":${tags}}`,
          );
          const [rating, confidence] = [row[6] as number | null, row[7] as number | null];
          csv.add(
            `${csvField(row[2] as string)},${csvField(row[3] as string)},${rating === null ? 'null' : decimal2Json(rating)},${confidence === null ? 'null' : String(confidence)}\r\n`,
          );
          indicators += 1;
        }
        if (last === undefined || rows.length < ROWS_PER_QUERY) break;
        after = last;
      }
      json.add(']}');
      json.flush();
      csv.flush();
    });
    try {
      build();
    } catch (error) {
      this.#drop(runId);
      throw error;
    }
    const run: RunState = {
      runId,
      ownerId: owner.id,
      ranAtMs: nowMs,
      indicators,
      parts: {
        json: { length: json.length, chunks: json.chunks },
        csv: { length: csv.length, chunks: csv.chunks },
      },
      readers: 0,
      current: true,
    };
    const previous = this.#runs.get(owner.id);
    this.#runs.set(owner.id, run);
    if (previous) {
      previous.current = false;
      this.#release(previous);
    }
    return run;
  }

  /**
   * The bytes of one format of a run, a chunk at a time. The run's chunks stay until the stream ends
   * (or is destroyed), even if another run replaces it meanwhile.
   */
  stream(run: BulkRun, format: BulkFormat): Readable {
    const state = run as RunState;
    const select = this.#chunks.prepare(
      'SELECT data FROM report_chunks WHERE run_id = ? AND format = ? AND seq = ?',
    );
    const count = run.parts[format].chunks;
    const release = (): void => {
      state.readers -= 1;
      this.#release(state);
    };
    // Counted from the first read: a stream that is never read (a reset fault) holds nothing.
    function* chunks(): Generator<Buffer> {
      state.readers += 1;
      try {
        for (let seq = 0; seq < count; seq += 1) {
          const row = select.get(run.runId, format, seq) as { data: Buffer } | undefined;
          // Only when a run was replaced before its download began reading (a stall fault): the
          // answer is cut short, as a document replaced mid-download is.
          if (!row) throw new Failure(500, `the bulk report was replaced during the download`);
          yield row.data;
        }
      } finally {
        release();
      }
    }
    return Readable.from(chunks(), { objectMode: true, highWaterMark: 2 });
  }

  /** How many runs have chunks stored: the current ones, and replaced ones still being read. */
  storedRuns(): number {
    return this.#chunks.prepare('SELECT COUNT(DISTINCT run_id) FROM report_chunks').pluck().get() as number;
  }

  /** Drops a replaced run's chunks once nothing reads them. */
  #release(run: RunState): void {
    if (!run.current && run.readers === 0) this.#drop(run.runId);
  }

  #drop(runId: number): void {
    this.#chunks.prepare('DELETE FROM report_chunks WHERE run_id = ?').run(runId);
    this.#chunks.pragma('incremental_vacuum');
  }
}
