/**
 * The sandbox's SQLite store and its shared queries (seeding is in `seed.ts`).
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import { IndicatorTypeTable } from './indicator-types.js';
import { ListingCache } from './listing-cache.js';
import type { Credentials, IndicatorTypeInfo, ItemKind } from './types.js';

export type { Credentials } from './types.js';

export const CHUNK_BYTES = 1024 * 1024;

/** Listing id arrays kept between writes. */
const ID_CACHE_ENTRIES = 64;

/**
 * How long `/v2/indicators/deleted` remembers a deletion: 30 days, the sandbox's stand-in for the real
 * server's `indicatorDeleteRetentionTime` setting (docs/sandbox.md).
 */
export const DELETED_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** Default bound of the listing cache (`listingCacheBytes`). */
export const DEFAULT_LISTING_CACHE_BYTES = 64 * 1024 * 1024;

/** Tables whose rows no listing shows: writing them keeps the cached listings. */
const UNLISTED_TABLES = new Set(['tokens', 'meta', 'upload_chunks', 'document_chunks']);
const WRITE_TARGET =
  /^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+["`[]?(\w+)/i;

/** Whether a write statement may change a listing; one whose table cannot be read may. */
function changesListings(sql: string): boolean {
  const table = WRITE_TARGET.exec(sql)?.[1]?.toLowerCase();
  return table === undefined || !UNLISTED_TABLES.has(table);
}

export interface OwnerRow {
  id: number;
  name: string;
  type: string;
}

export interface UserRow {
  id: number;
  role: string;
  access_id: string;
  secret_key: string;
  user_name: string;
  first_name: string;
  last_name: string;
  org_owner_id: number;
}

export interface IndicatorRow {
  id: number;
  owner_id: number;
  type: string;
  summary: string;
  lookup: string | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  vals: string | null;
  date_added: string;
  last_modified: string;
  last_modified_ms: number;
  rating: number | null;
  confidence: number | null;
  threat_assess_rating: number | null;
  threat_assess_confidence: number | null;
  web_link: string | null;
  description: string | null;
  source: string | null;
  size: number | null;
  dns_active: string | null;
  whois_active: string | null;
  active: number;
}

export interface GroupRow {
  id: number;
  owner_id: number;
  type: string;
  name: string;
  date_added: string;
  last_modified: string;
  web_link: string | null;
  fields: string;
}

export interface VictimRow {
  id: number;
  owner_id: number;
  name: string;
  description: string | null;
  org: string | null;
  suborg: string | null;
  work_location: string | null;
  nationality: string | null;
  web_link: string | null;
}

export interface TaskRow {
  id: number;
  owner_id: number;
  name: string;
  date_added: string;
  last_modified: string;
  web_link: string | null;
  fields: string;
}

export interface TagRow {
  id: number;
  owner_id: number;
  name: string;
  description: string | null;
}

export interface LabelRow {
  id: number;
  owner_id: number;
  name: string;
  description: string | null;
  date_added: string;
  color: string | null;
}

export interface AttributeRow {
  id: number;
  kind: string;
  item_id: number;
  type: string;
  value: string;
  displayed: number;
  source: string | null;
  date_added: string;
  last_modified: string;
}

/** Normalises an indicator value for lookups, following the type's case preference. */
export function lookupKey(info: IndicatorTypeInfo, value: string): string {
  if (info.casePreference === 'lower') return value.toLowerCase();
  if (info.casePreference === 'upper') return value.toUpperCase();
  return value;
}

/** Parses an ISO date with any offset into epoch ms (NaN when invalid). */
export function dateMs(value: string): number {
  return Date.parse(value);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A date a client sent (`modifiedSince`, `deletedSince`, a `filters` date): ISO 8601, a date or a
 * date-time, with or without an offset, as epoch ms; NaN for anything else. A date-time without an
 * offset is UTC, as the API's own dates are, whatever the machine's time zone (`Date.parse` alone reads
 * it as local time, and also takes `1` or `June 17, 2015`).
 */
export function clientDateMs(raw: string): number {
  const match = ISO_DATE.exec(raw);
  if (match === null) return Number.NaN;
  return Date.parse(match[1] === undefined && /t/i.test(raw) ? `${raw}Z` : raw);
}

export const INDICATOR_COLUMNS =
  'id, owner_id, type, summary, lookup, md5, sha1, sha256, vals, date_added, last_modified, last_modified_ms, ' +
  'rating, confidence, threat_assess_rating, threat_assess_confidence, web_link, description, source, size, ' +
  'dns_active, whois_active, active';

/**
 * An indicator row from a raw (array) result in {@link INDICATOR_COLUMNS} order. better-sqlite3 builds
 * row objects property by property, which costs more than the query for a 500-row page; raw arrays
 * mapped through one fixed object shape take about a third of the time.
 */
function indicatorFromRaw(a: unknown[]): IndicatorRow {
  return {
    id: a[0] as number,
    owner_id: a[1] as number,
    type: a[2] as string,
    summary: a[3] as string,
    lookup: a[4] as string | null,
    md5: a[5] as string | null,
    sha1: a[6] as string | null,
    sha256: a[7] as string | null,
    vals: a[8] as string | null,
    date_added: a[9] as string,
    last_modified: a[10] as string,
    last_modified_ms: a[11] as number,
    rating: a[12] as number | null,
    confidence: a[13] as number | null,
    threat_assess_rating: a[14] as number | null,
    threat_assess_confidence: a[15] as number | null,
    web_link: a[16] as string | null,
    description: a[17] as string | null,
    source: a[18] as string | null,
    size: a[19] as number | null,
    dns_active: a[20] as string | null,
    whois_active: a[21] as string | null,
    active: a[22] as number,
  };
}

/** An existing database of another schema version. */
export class SchemaVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}

export interface SeedCredentials {
  main: Credentials;
  restricted: Credentials;
}

export interface StoreOptions {
  /** Bound of the listing cache in bytes; 0 turns it off (listings are then built as objects). */
  listingCacheBytes?: number;
}

/**
 * Thin wrapper over the database with cached statements, and the caches of listings: the ordered ids of
 * each listing query, and the encoded pages and items of indicator listings ({@link ListingCache}).
 * Every write goes through {@link run}, which drops both unless the written table is one no listing
 * shows (tokens, meta, document content); a write that went around it (another statement of this
 * connection) is noticed by SQLite's `total_changes()` before the next listing and drops them too.
 */
export class Store {
  readonly db: Db;
  /** Encoded indicator listing pages and items (docs/sandbox.md, "Listing cache"). */
  readonly listingCache: ListingCache;
  /** The indicator types this sandbox serves (the base types, ASN and the `indicatorTypes` option). */
  indicatorTypes = new IndicatorTypeTable();
  /** `startSandbox({ anonymousMembers })`: `/v2/owners/mine/members` shows pseudonyms only. */
  anonymousMembers = false;
  readonly #statements = new Map<string, Statement>();
  readonly #pluckStatements = new Map<string, Statement>();
  readonly #rawStatements = new Map<string, Statement>();
  readonly #idCache = new Map<string, { version: number; ids: readonly number[] }>();
  readonly #listedWrites = new Map<string, boolean>();
  #version = 0;
  #stagingTable = 'upload_chunks';
  #stagingAttached = false;
  #totalChanges: Statement | undefined;
  /** `total_changes()` after the last write this store made or noticed. */
  #knownChanges = -1;

  constructor(db: Db, options: StoreOptions = {}) {
    this.db = db;
    this.listingCache = new ListingCache(options.listingCacheBytes ?? DEFAULT_LISTING_CACHE_BYTES);
  }

  #changes(): number {
    this.#totalChanges ??= this.db.prepare('SELECT total_changes()').pluck();
    return this.#totalChanges.get() as number;
  }

  /** Drops every cached listing. */
  #forgetListings(): void {
    this.#version += 1;
    this.listingCache.clear();
  }

  /** Drops every cached listing when something wrote to the database without {@link run}. */
  #noticeOtherWrites(): void {
    const changes = this.#changes();
    if (changes !== this.#knownChanges) {
      this.#forgetListings();
      this.#knownChanges = changes;
    }
  }

  /** A cached prepared statement. */
  stmt(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Indicator rows of a query that selects exactly {@link INDICATOR_COLUMNS}, in that order. */
  indicators(sql: string, ...params: unknown[]): IndicatorRow[] {
    let statement = this.#rawStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.#rawStatements.set(sql, statement);
    }
    return (statement.all(...params) as unknown[][]).map(indicatorFromRaw);
  }

  /** Rows of a query as arrays of column values, in the query's column order. */
  rawRows(sql: string, ...params: unknown[]): unknown[][] {
    let statement = this.#rawStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.#rawStatements.set(sql, statement);
    }
    return statement.all(...params) as unknown[][];
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller's SQL fixes the row type
  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  /**
   * Runs a write. A write to a table that a listing shows moves the data version, which drops the
   * cached listing ids, and drops the cached pages and items.
   */
  run(sql: string, ...params: unknown[]): { changes: number; lastInsertRowid: number | bigint } {
    let listed = this.#listedWrites.get(sql);
    if (listed === undefined) {
      listed = changesListings(sql);
      this.#listedWrites.set(sql, listed);
    }
    if (listed) this.#forgetListings();
    try {
      return this.stmt(sql).run(...params);
    } finally {
      this.#knownChanges = this.#changes();
    }
  }

  /**
   * The ids a listing query selects, in order, cached until the next write. Listings page through
   * them with a keyset seek (`id >= first id of the window`) instead of an OFFSET that walks every
   * earlier row, and take their total from the array's length.
   */
  orderedIds(sql: string, params: readonly unknown[]): readonly number[] {
    this.#noticeOtherWrites();
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    const hit = this.#idCache.get(key);
    if (hit?.version === this.#version) return hit.ids;
    let statement = this.#pluckStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      this.#pluckStatements.set(sql, statement);
    }
    const ids = statement.all(...params) as number[];
    this.#idCache.delete(key);
    this.#idCache.set(key, { version: this.#version, ids });
    // A small LRU: the oldest entry goes first (Map keeps insertion order).
    if (this.#idCache.size > ID_CACHE_ENTRIES)
      this.#idCache.delete(this.#idCache.keys().next().value as string);
    return ids;
  }

  /** Runs `fn` in a transaction; one that rolls back drops every cached listing, to be safe. */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (error) {
      this.#forgetListings();
      throw error;
    }
  }

  isSeeded(): boolean {
    const row = this.get<{ value: string }>("SELECT value FROM meta WHERE key = 'schemaVersion'");
    return row !== undefined;
  }

  meta(key: string): string | undefined {
    return this.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.run(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
  }

  /**
   * Next id for a table: one past the highest ever given (kept in `meta`, so a reused `dbPath` keeps
   * it) or in use, whichever is higher. Ids come from a sequence, as a real server's do: an id
   * deleted is never given again, so a client holding it gets a 404, not another object.
   */
  nextId(
    table:
      | 'indicators'
      | 'groups'
      | 'victims'
      | 'tasks'
      | 'attributes'
      | 'victim_assets'
      | 'adversary_assets',
  ): number {
    const key = `highestId.${table}`;
    const inUse = this.get<{ m: number | null }>(`SELECT MAX(id) AS m FROM ${table}`)?.m ?? 0;
    const id = Math.max(inUse, Number(this.meta(key) ?? 0)) + 1;
    this.setMeta(key, String(id));
    return id;
  }

  // ---- owners and users ----

  ownerByName(name: string): OwnerRow | undefined {
    return this.get<OwnerRow>('SELECT id, name, type FROM owners WHERE name = ?', name);
  }

  ownerById(id: number): OwnerRow | undefined {
    return this.get<OwnerRow>('SELECT id, name, type FROM owners WHERE id = ?', id);
  }

  userByAccessId(accessId: string): UserRow | undefined {
    return this.get<UserRow>('SELECT * FROM users WHERE access_id = ?', accessId);
  }

  userById(id: number): UserRow | undefined {
    return this.get<UserRow>('SELECT * FROM users WHERE id = ?', id);
  }

  userByRole(role: string): UserRow | undefined {
    return this.get<UserRow>('SELECT * FROM users WHERE role = ?', role);
  }

  ownerIdsForUser(userId: number): Set<number> {
    return new Set(
      this.all<{ owner_id: number }>('SELECT owner_id FROM user_owners WHERE user_id = ?', userId).map(
        (r) => r.owner_id,
      ),
    );
  }

  // ---- links ----

  link(aKind: ItemKind, aId: number, bKind: ItemKind, bId: number): void {
    const sql = 'INSERT OR IGNORE INTO links (a_kind, a_id, b_kind, b_id) VALUES (?, ?, ?, ?)';
    this.transaction(() => {
      this.run(sql, aKind, aId, bKind, bId);
      this.run(sql, bKind, bId, aKind, aId);
    });
  }

  /** Whether an indicator, group, victim or task still exists (after an await, before a dependent write). */
  itemExists(kind: ItemKind, id: number): boolean {
    const table = { indicator: 'indicators', group: 'groups', victim: 'victims', task: 'tasks' }[
      kind as string
    ];
    if (table === undefined) return true;
    return this.get(`SELECT 1 FROM ${table} WHERE id = ?`, id) !== undefined;
  }

  unlink(aKind: ItemKind, aId: number, bKind: ItemKind, bId: number): number {
    const sql = 'DELETE FROM links WHERE a_kind = ? AND a_id = ? AND b_kind = ? AND b_id = ?';
    return this.transaction(() => {
      const changes = this.run(sql, aKind, aId, bKind, bId).changes;
      this.run(sql, bKind, bId, aKind, aId);
      // An item's link to a victim ends: the victim's assets it hid are forgotten with it.
      if ((aKind === 'victim') !== (bKind === 'victim')) {
        const [kind, id, victimId] = aKind === 'victim' ? [bKind, bId, aId] : [aKind, aId, bId];
        this.run(
          'DELETE FROM hidden_victim_assets WHERE item_kind = ? AND item_id = ? AND victim_id = ?',
          kind,
          id,
          victimId,
        );
      }
      return changes;
    });
  }

  isLinked(aKind: ItemKind, aId: number, bKind: ItemKind, bId: number): boolean {
    return (
      this.get(
        'SELECT 1 FROM links WHERE a_kind = ? AND a_id = ? AND b_kind = ? AND b_id = ?',
        aKind,
        aId,
        bKind,
        bId,
      ) !== undefined
    );
  }

  /**
   * Removes an item's links (both directions), attributes, an indicator's intelligence and typed
   * associations, an adversary's assets, and the victim assets hidden from or by the item.
   */
  forgetItem(kind: ItemKind, id: number): void {
    this.run('DELETE FROM links WHERE a_kind = ? AND a_id = ?', kind, id);
    this.run('DELETE FROM links WHERE b_kind = ? AND b_id = ?', kind, id);
    // The attributes' own security labels go with them: nothing may stay behind that names a deleted
    // attribute (ids are not given again, but a database written before they came from a sequence
    // may give one to a new attribute).
    // Links are stored both ways, so each one is found from the attribute's side (the key's prefix).
    const attributeLinks = this.all<{ a_id: number; b_kind: string; b_id: number }>(
      "SELECT l.a_id, l.b_kind, l.b_id FROM attributes a JOIN links l ON l.a_kind = 'attribute' AND l.a_id = a.id WHERE a.kind = ? AND a.item_id = ?",
      kind,
      id,
    );
    for (const link of attributeLinks) {
      this.run(
        'DELETE FROM links WHERE a_kind = ? AND a_id = ? AND b_kind = ? AND b_id = ?',
        'attribute',
        link.a_id,
        link.b_kind,
        link.b_id,
      );
      this.run(
        'DELETE FROM links WHERE a_kind = ? AND a_id = ? AND b_kind = ? AND b_id = ?',
        link.b_kind,
        link.b_id,
        'attribute',
        link.a_id,
      );
    }
    this.run('DELETE FROM attributes WHERE kind = ? AND item_id = ?', kind, id);
    if (kind === 'group') this.run('DELETE FROM group_xids WHERE group_id = ?', id);
    this.run('DELETE FROM hidden_victim_assets WHERE item_kind = ? AND item_id = ?', kind, id);
    if (kind === 'victim') this.run('DELETE FROM hidden_victim_assets WHERE victim_id = ?', id);
    if (kind === 'indicator') {
      // Its intelligence (rest-api-v2.md 6.6): a new indicator of the same value starts afresh.
      for (const table of ['observations', 'false_positives', 'file_occurrences'])
        this.run(`DELETE FROM ${table} WHERE indicator_id = ?`, id);
      this.run('DELETE FROM dns_resolutions WHERE host_id = ? OR address_id = ?', id, id);
    }
    if (kind === 'indicator') this.run('DELETE FROM indicator_links WHERE a_id = ? OR b_id = ?', id, id);
    if (kind === 'group') this.run('DELETE FROM adversary_assets WHERE group_id = ?', id);
  }

  // ---- indicator deletions ----

  /**
   * Deletes indicators by id, by whatever path (a single DELETE, a batch job): removes each row, its
   * links and attributes, and records the deletion for `/v2/indicators/deleted`. Records older than
   * {@link DELETED_RETENTION_MS} before `nowMs` are purged at the same time. Every deletion of an
   * indicator goes through here, so none escapes the deleted listing. Returns how many were deleted.
   */
  deleteIndicators(ids: Iterable<number>, nowMs: number): number {
    return this.transaction(() => {
      let deleted = 0;
      for (const id of ids) {
        const row = this.get<{ owner_id: number; type: string; summary: string; date_added: string }>(
          'SELECT owner_id, type, summary, date_added FROM indicators WHERE id = ?',
          id,
        );
        if (row === undefined) continue;
        this.run(
          'INSERT INTO deleted_indicators (indicator_id, owner_id, type, summary, date_added, deleted_ms) VALUES (?, ?, ?, ?, ?, ?)',
          id,
          row.owner_id,
          row.type,
          row.summary,
          row.date_added,
          nowMs,
        );
        this.run('DELETE FROM indicators WHERE id = ?', id);
        this.forgetItem('indicator', id);
        deleted += 1;
      }
      if (deleted > 0) {
        this.run('DELETE FROM deleted_indicators WHERE deleted_ms < ?', nowMs - DELETED_RETENTION_MS);
      }
      return deleted;
    });
  }

  tagsOf(kind: ItemKind, id: number): TagRow[] {
    return this.all<TagRow>(
      "SELECT t.id, t.owner_id, t.name, t.description FROM links l JOIN tags t ON t.id = l.b_id WHERE l.a_kind = ? AND l.a_id = ? AND l.b_kind = 'tag' ORDER BY t.id",
      kind,
      id,
    );
  }

  labelsOf(kind: ItemKind, id: number): LabelRow[] {
    return this.all<LabelRow>(
      "SELECT s.id, s.owner_id, s.name, s.description, s.date_added, s.color FROM links l JOIN security_labels s ON s.id = l.b_id WHERE l.a_kind = ? AND l.a_id = ? AND l.b_kind = 'label' ORDER BY s.id",
      kind,
      id,
    );
  }

  attributesOf(kind: ItemKind, id: number): AttributeRow[] {
    return this.all<AttributeRow>(
      'SELECT * FROM attributes WHERE kind = ? AND item_id = ? ORDER BY id',
      kind,
      id,
    );
  }

  /** An owner's tag, by name without case. */
  tagByName(ownerId: number, name: string): TagRow | undefined {
    return this.get<TagRow>(
      'SELECT id, owner_id, name, description FROM tags WHERE owner_id = ? AND name = ?',
      ownerId,
      name,
    );
  }

  /** An owner's security label, by name without case. */
  labelByName(ownerId: number, name: string): LabelRow | undefined {
    return this.get<LabelRow>('SELECT * FROM security_labels WHERE owner_id = ? AND name = ?', ownerId, name);
  }

  /**
   * Finds or creates an owner's tag: attaching an unknown tag creates it (rest-api-v2.md 9), in the
   * item's owner (decisions.md 2.4).
   */
  ensureTag(ownerId: number, name: string): TagRow {
    const existing = this.tagByName(ownerId, name);
    if (existing) return existing;
    const info = this.run('INSERT INTO tags (owner_id, name) VALUES (?, ?)', ownerId, name);
    return { id: Number(info.lastInsertRowid), owner_id: ownerId, name, description: null };
  }

  // ---- documents ----

  /** Reads a document's content size without loading it. */
  documentSize(groupId: number): number {
    const row = this.get<{ n: number | null }>(
      'SELECT SUM(LENGTH(data)) AS n FROM document_chunks WHERE group_id = ?',
      groupId,
    );
    return row?.n ?? 0;
  }

  hasDocumentContent(groupId: number): boolean {
    return this.get('SELECT 1 FROM document_chunks WHERE group_id = ? LIMIT 1', groupId) !== undefined;
  }

  // ---- upload staging ----

  /** The table uploads stage their chunks in (`upload_id`, `seq`, `data`). */
  get stagingTable(): string {
    return this.#stagingTable;
  }

  /**
   * Stages uploads in a temporary on-disk database instead of the main one. For an in-memory
   * database: staged chunks would otherwise be memory, up to `maxUploadBytes` per upload, and memory
   * that SQLite frees is not given back to the system. A file database keeps staging in its own file,
   * where the chunks a killed process leaves behind are found at the next start.
   */
  stageOnDisk(): void {
    // An empty name is a private temporary database, deleted when the connection closes.
    this.db.exec("ATTACH DATABASE '' AS staging");
    this.db.pragma('staging.auto_vacuum = INCREMENTAL');
    this.db.pragma('staging.journal_mode = MEMORY');
    this.db.pragma('staging.synchronous = OFF');
    this.db.exec(
      'CREATE TABLE staging.upload_chunks (upload_id INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (upload_id, seq))',
    );
    this.#stagingTable = 'staging.upload_chunks';
    this.#stagingAttached = true;
  }

  /**
   * Gives the pages freed by deletes back: the file shrinks, and an in-memory database frees their memory
   * for reuse.
   * It works on databases created with `auto_vacuum = INCREMENTAL` (every new one); on an older file
   * it does nothing, and the freed pages are reused by later writes instead.
   */
  reclaimSpace(): void {
    if (this.#stagingAttached) this.db.pragma('staging.incremental_vacuum');
    // An older file without auto_vacuum cannot shrink: its freed pages are reused by later writes.
    if (this.db.pragma('main.auto_vacuum', { simple: true }) !== 2) return;
    if (this.db.pragma('main.freelist_count', { simple: true }) === 0) return;
    // pragma() steps the statement to the end; a single step would free one page only.
    this.db.pragma('main.incremental_vacuum');
    // In WAL mode the file shrinks when a checkpoint copies the shorter database back; a passive
    // one waits for no reader (a download in progress) and is done again by the next write.
    if (!this.db.memory) this.db.pragma('main.wal_checkpoint(PASSIVE)');
  }

  /**
   * Removes staged chunks that no upload owns: those of a process killed during an upload. Only
   * called at start, before any request; returns the rows removed.
   */
  clearStagedUploads(): number {
    const removed = this.run('DELETE FROM main.upload_chunks').changes;
    if (removed > 0) this.reclaimSpace();
    return removed;
  }
}
