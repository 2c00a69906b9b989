/**
 * Seeding a new database from the parts of `sampleDataBatches(n)` (decisions.md 2.6: the sandbox seeds
 * from exactly those records). Each part is inserted and let go before the next is made, so memory
 * stays flat whatever n is.
 *
 * - One transaction holds the whole seed, so a failed or interrupted seed leaves an empty database
 *   that the next start seeds again.
 * - Links are inserted in one direction while the parts arrive (mostly in key order, which keeps the
 *   B-tree inserts cheap) and mirrored at the end in one sorted `INSERT … SELECT`.
 * - Tag links wait until the last part, which brings the tag list: tags are inserted in its order, so
 *   their ids, which order an item's tags on the wire, are those of the list.
 * - The secondary indexes are built after the bulk load, in the same transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import type { SampleData, SampleIndicator, SampleItemKind } from './sample-types.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import {
  CHUNK_BYTES,
  type Credentials,
  INDICATOR_COLUMNS,
  SchemaVersionError,
  type SeedCredentials,
  type Store,
  dateMs,
  lookupKey,
} from './store.js';
import { INDICATOR_BY_NAME } from './types.js';

/** The schema's statements: the tables, and the secondary indexes, which a new database gets after its seed. */
const SCHEMA_STATEMENTS = SCHEMA_SQL.split(';')
  .map((statement) => statement.trim())
  .filter((statement) => statement !== '');
const isIndex = (statement: string): boolean => /^CREATE\s+(UNIQUE\s+)?INDEX\b/i.test(statement);
const SCHEMA_TABLES_SQL = SCHEMA_STATEMENTS.filter((statement) => !isIndex(statement)).join(';\n');
const SCHEMA_INDEXES_SQL = SCHEMA_STATEMENTS.filter(isIndex).join(';\n');

/**
 * Creates the schema, and seeds from `parts` (the parts of `sampleDataBatches`) when the database is
 * new. Returns true when it seeded. A database of another schema version is refused rather than
 * half-read.
 */
export function initialiseStore(
  store: Store,
  parts: () => Iterable<SampleData>,
  credentials: Partial<SeedCredentials>,
  defaultOrg: string,
): boolean {
  const db = store.db;
  const hasMeta =
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  const version = hasMeta ? store.meta('schemaVersion') : undefined;
  if (version !== undefined && version !== String(SCHEMA_VERSION)) {
    throw new SchemaVersionError(
      `The sandbox database has schema ${version}; this sandbox needs schema ${SCHEMA_VERSION} ` +
        '(tags and security labels belong to an owner). Delete the file to have it seeded anew.',
    );
  }
  db.exec(SCHEMA_TABLES_SQL);
  if (store.isSeeded()) {
    db.exec(SCHEMA_INDEXES_SQL);
    return false;
  }
  // A new file is seeded with a rollback journal, which holds next to nothing for pages that did not
  // exist before; in WAL mode every page would be written twice (to the log, then back to the file).
  const journal = String(db.pragma('journal_mode', { simple: true }));
  if (journal === 'wal') db.pragma('journal_mode = DELETE');
  try {
    store.transaction(() => {
      seedFromParts(store, parts(), credentials, defaultOrg);
      db.exec(SCHEMA_INDEXES_SQL);
      store.setMeta('schemaVersion', String(SCHEMA_VERSION));
    });
  } finally {
    if (journal === 'wal') db.pragma('journal_mode = WAL');
  }
  return true;
}

function randomCredentials(): Credentials {
  return {
    accessId: randomBytes(10).toString('hex').toUpperCase().slice(0, 20),
    secretKey: randomBytes(32).toString('base64url'),
  };
}

/** The store's row for an indicator record, computed from its wire fields. */
function indicatorRowValues(ind: SampleIndicator, ownerId: number): unknown[] {
  const info = INDICATOR_BY_NAME.get(ind.type);
  if (!info) throw new Error(`sample data: unknown indicator type ${ind.type}`);
  let lookup: string | null = null;
  let vals: string | null = null;
  if (ind.type === 'File') {
    lookup = null;
  } else if (info.custom) {
    const record = ind as unknown as Record<string, string | undefined>;
    const values = info.fields.map((f) => record[f] ?? '');
    vals = JSON.stringify(values);
    lookup = lookupKey(info, values.join(' : '));
  } else {
    lookup = lookupKey(info, ind.summary);
  }
  return [
    ind.id,
    ownerId,
    ind.type,
    ind.summary,
    lookup,
    ind.md5?.toUpperCase() ?? null,
    ind.sha1?.toUpperCase() ?? null,
    ind.sha256?.toUpperCase() ?? null,
    vals,
    ind.dateAdded,
    ind.lastModified,
    dateMs(ind.lastModified),
    ind.rating ?? null,
    ind.confidence ?? null,
    ind.threatAssessRating ?? null,
    ind.threatAssessConfidence ?? null,
    ind.webLink,
    ind.description ?? null,
    ind.source ?? null,
    ind.size ?? null,
    ind.dnsActive ?? null,
    ind.whoisActive ?? null,
    ind.active ? 1 : 0,
  ];
}

const GROUP_FIELDS = [
  'firstSeen',
  'fileName',
  'fileSize',
  'status',
  'malware',
  'subject',
  'header',
  'body',
  'from',
  'to',
  'score',
  'eventDate',
  'fileType',
  'fileText',
] as const;

const KIND_CODES: readonly SampleItemKind[] = ['indicator', 'group', 'victim', 'task'];

/** Rows per INSERT of {@link BulkInsert}: fewer, larger statements cost less per row. */
const ROWS_PER_INSERT = 64;

/** Inserts rows into one table, {@link ROWS_PER_INSERT} at a time; {@link flush} writes the rest. */
class BulkInsert {
  readonly #many: Statement;
  readonly #one: Statement;
  readonly #width: number;
  #values: unknown[] = [];

  constructor(db: Database, verb: string, table: string, columns: readonly string[]) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    const head = `${verb} INTO ${table} (${columns.join(', ')}) VALUES `;
    this.#many = db.prepare(head + Array.from({ length: ROWS_PER_INSERT }, () => row).join(', '));
    this.#one = db.prepare(head + row);
    this.#width = columns.length;
  }

  add(...values: unknown[]): void {
    for (const value of values) this.#values.push(value);
    if (this.#values.length === this.#width * ROWS_PER_INSERT) {
      this.#many.run(this.#values);
      this.#values = [];
    }
  }

  flush(): void {
    for (let i = 0; i < this.#values.length; i += this.#width)
      this.#one.run(this.#values.slice(i, i + this.#width));
    this.#values = [];
  }
}

/** Inserts the records of every part; the caller runs it in one transaction. */
function seedFromParts(
  store: Store,
  parts: Iterable<SampleData>,
  credentials: Partial<SeedCredentials>,
  defaultOrg: string,
): void {
  const db = store.db;
  const prepare = (sql: string): Statement => db.prepare(sql);
  const insertOwner = prepare('INSERT INTO owners (id, name, type) VALUES (?, ?, ?)');
  const insertUser = prepare(
    'INSERT INTO users (id, role, access_id, secret_key, user_name, first_name, last_name, org_owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertUserOwner = prepare('INSERT OR IGNORE INTO user_owners (user_id, owner_id) VALUES (?, ?)');
  const insertIndicator = new BulkInsert(db, 'INSERT', 'indicators', INDICATOR_COLUMNS.split(', '));
  const insertGroup = prepare(
    'INSERT INTO groups (id, owner_id, type, name, date_added, last_modified, web_link, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertVictim = prepare(
    'INSERT INTO victims (id, owner_id, name, description, org, suborg, work_location, nationality, web_link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAsset = prepare(
    'INSERT INTO victim_assets (id, victim_id, type, name, fields) VALUES (?, ?, ?, ?, ?)',
  );
  const insertTask = prepare(
    'INSERT INTO tasks (id, owner_id, name, date_added, last_modified, web_link, fields) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTag = prepare('INSERT INTO tags (owner_id, name, description) VALUES (?, ?, ?)');
  const insertLabel = prepare(
    'INSERT INTO security_labels (owner_id, name, description, date_added) VALUES (?, ?, ?, ?)',
  );
  const insertAttribute = new BulkInsert(db, 'INSERT', 'attributes', [
    'id',
    'kind',
    'item_id',
    'type',
    'value',
    'displayed',
    'source',
    'date_added',
    'last_modified',
  ]);
  // OR IGNORE: a link listed twice (both directions given by the data) is kept once.
  const insertLink = new BulkInsert(db, 'INSERT OR IGNORE', 'links', ['a_kind', 'a_id', 'b_kind', 'b_id']);
  const insertChunk = prepare('INSERT INTO document_chunks (group_id, seq, data) VALUES (?, ?, ?)');
  const insertObservation = prepare(
    'INSERT INTO observations (indicator_id, user_name, day, count, last_observed) VALUES (?, ?, ?, ?, ?)',
  );
  const insertFalsePositive = prepare(
    'INSERT INTO false_positives (indicator_id, user_name, day, reported) VALUES (?, ?, ?, ?)',
  );
  const insertOccurrence = prepare(
    'INSERT INTO file_occurrences (id, indicator_id, file_name, path, date) VALUES (?, ?, ?, ?, ?)',
  );
  const insertResolution = prepare(
    'INSERT INTO dns_resolutions (id, host_id, address_id, resolution_date) VALUES (?, ?, ?, ?)',
  );

  const ownerIds = new Map<string, number>();
  const ownerId = (name: string): number => {
    const id = ownerIds.get(name);
    if (id === undefined) throw new Error(`sample data: unknown owner ${name}`);
    return id;
  };
  const labelIds = new Map<string, number>();
  /** Per `owner\0tag`: kind code and id of each item carrying it, two numbers an item. */
  const tagged = new Map<string, number[]>();
  let tags: SampleData['tags'] = [];
  let userId = 0;

  const metadata = (
    kind: SampleItemKind,
    record: { id: number; ownerName: string; tags: string[]; securityLabels: string[] },
  ): void => {
    for (const name of record.tags) {
      const key = `${record.ownerName}\u0000${name}`;
      let items = tagged.get(key);
      if (!items) {
        items = [];
        tagged.set(key, items);
      }
      items.push(KIND_CODES.indexOf(kind), record.id);
    }
    for (const name of record.securityLabels) {
      const labelId = labelIds.get(`${record.ownerName}\u0000${name}`);
      if (labelId === undefined)
        throw new Error(`sample data: unknown security label ${name} in ${record.ownerName}`);
      insertLink.add(kind, record.id, 'label', labelId);
    }
  };

  for (const part of parts) {
    for (const owner of part.owners) {
      insertOwner.run(owner.id, owner.name, owner.type);
      ownerIds.set(owner.name, owner.id);
    }
    if (part.owners.length > 0 && !ownerIds.has(defaultOrg)) {
      const id = Math.max(...ownerIds.values()) + 1;
      insertOwner.run(id, defaultOrg, 'Organization');
      ownerIds.set(defaultOrg, id);
    }

    for (const user of part.users) {
      userId += 1;
      const creds = (user.role === 'main' ? credentials.main : credentials.restricted) ?? randomCredentials();
      const owners =
        user.role === 'main' ? [defaultOrg, ...user.owners.filter((o) => o !== defaultOrg)] : user.owners;
      insertUser.run(
        userId,
        user.role,
        creds.accessId,
        creds.secretKey,
        user.userName,
        user.firstName,
        user.lastName,
        ownerId(owners[0] ?? defaultOrg),
      );
      for (const name of owners) insertUserOwner.run(userId, ownerId(name));
    }

    if (part.securityLabels.length > 0) {
      // An extra default org gets the built-in labels too, as every owner has them.
      const firstOwner = part.owners[0]?.name;
      const extraLabels = part.owners.some((o) => o.name === defaultOrg)
        ? []
        : part.securityLabels
            .filter((l) => l.ownerName === firstOwner)
            .map((l) => ({ ...l, ownerName: defaultOrg }));
      for (const label of [...part.securityLabels, ...extraLabels]) {
        const info = insertLabel.run(
          ownerId(label.ownerName),
          label.name,
          label.description,
          label.dateAdded,
        );
        labelIds.set(`${label.ownerName}\u0000${label.name}`, Number(info.lastInsertRowid));
      }
    }

    for (const ind of part.indicators) {
      insertIndicator.add(...indicatorRowValues(ind, ownerId(ind.ownerName)));
      metadata('indicator', ind);
    }

    for (const g of part.groups) {
      const fields: Record<string, unknown> = {};
      for (const key of GROUP_FIELDS) if (g[key] !== undefined) fields[key] = g[key];
      insertGroup.run(
        g.id,
        ownerId(g.ownerName),
        g.type,
        g.name,
        g.dateAdded,
        g.lastModified,
        g.webLink,
        JSON.stringify(fields),
      );
      metadata('group', g);
    }

    for (const v of part.victims) {
      insertVictim.run(
        v.id,
        ownerId(v.ownerName),
        v.name,
        v.description ?? null,
        v.org ?? null,
        v.suborg ?? null,
        v.workLocation ?? null,
        v.nationality ?? null,
        v.webLink,
      );
      for (const asset of v.assets)
        insertAsset.run(asset.id, v.id, asset.type, asset.name, JSON.stringify(asset.fields));
      metadata('victim', v);
    }

    for (const t of part.tasks) {
      const fields: Record<string, unknown> = {
        status: t.status,
        escalated: t.escalated,
        reminded: t.reminded,
        overdue: t.overdue,
        assignee: t.assignee,
        escalatee: t.escalatee,
      };
      for (const key of ['dueDate', 'reminderDate', 'escalationDate', 'description'] as const) {
        if (t[key] !== undefined) fields[key] = t[key];
      }
      insertTask.run(
        t.id,
        ownerId(t.ownerName),
        t.name,
        t.dateAdded,
        t.lastModified,
        t.webLink,
        JSON.stringify(fields),
      );
      metadata('task', t);
    }

    for (const a of part.attributes) {
      insertAttribute.add(
        a.id,
        a.itemKind,
        a.itemId,
        a.type,
        a.value,
        a.displayed ? 1 : 0,
        a.source ?? null,
        a.dateAdded,
        a.lastModified,
      );
    }

    for (const assoc of part.associations) insertLink.add(assoc.a.kind, assoc.a.id, assoc.b.kind, assoc.b.id);

    for (const doc of part.documents) {
      for (
        let offset = 0, seq = 0;
        offset < doc.content.length || seq === 0;
        offset += CHUNK_BYTES, seq += 1
      ) {
        insertChunk.run(doc.groupId, seq, doc.content.subarray(offset, offset + CHUNK_BYTES));
      }
    }

    for (const o of part.observations)
      insertObservation.run(o.indicatorId, o.userName, o.dateObserved, o.count, o.lastObserved);
    for (const f of part.falsePositives)
      insertFalsePositive.run(f.indicatorId, f.userName, f.reported.slice(0, 10), f.reported);
    for (const o of part.fileOccurrences)
      insertOccurrence.run(o.id, o.indicatorId, o.fileName ?? null, o.path ?? null, o.date ?? null);
    for (const r of part.dnsResolutions) insertResolution.run(r.id, r.hostId, r.addressId, r.resolutionDate);

    if (part.tags.length > 0) tags = part.tags;
  }

  // Tags in the order of the list, then their links.
  const tagIds = new Map<string, number>();
  for (const tag of tags) {
    const info = insertTag.run(ownerId(tag.ownerName), tag.name, tag.description ?? null);
    tagIds.set(`${tag.ownerName}\u0000${tag.name}`, Number(info.lastInsertRowid));
  }
  for (const [key, items] of tagged) {
    const [ownerName = '', name = ''] = key.split('\u0000');
    const tagId = tagIds.get(key) ?? store.ensureTag(ownerId(ownerName), name).id;
    for (let k = 0; k < items.length; k += 2) {
      insertLink.add(KIND_CODES[items[k] ?? 0], items[k + 1], 'tag', tagId);
    }
  }
  insertIndicator.flush();
  insertAttribute.flush();
  insertLink.flush();
  // Every link in the other direction too, in key order.
  db.prepare(
    'INSERT OR IGNORE INTO links (a_kind, a_id, b_kind, b_id) SELECT b_kind, b_id, a_kind, a_id FROM links ORDER BY b_kind, b_id, a_kind, a_id',
  ).run();
}
