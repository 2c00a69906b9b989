/** Group listings, CRUD, and document/signature contents (rest-api-v2.md section 7). */
import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type RequestContext,
  bodyChunks,
  isoNow,
  listReply,
  pageWindow,
  readObject,
  requestOwner,
  tooLarge,
} from '../context.js';
import { readFilters } from '../query-filters.js';
import { Failure, type Reply, badRequest, notFound, single, success } from '../reply.js';
import { CHUNK_BYTES, type GroupRow, type OwnerRow } from '../store.js';
import { type GroupTypeInfo, INCIDENT_STATUSES, SIGNATURE_FILE_TYPES } from '../types.js';
import { groupFields, groupView } from '../views.js';
import { type StoreScope, checkText, clientDate, groupType, parseBoolean, requireGroup } from './shared.js';

export function listGroups(ctx: RequestContext, branch?: string): Reply {
  const info = branch === undefined ? undefined : groupType(branch);
  const owner = requestOwner(ctx);
  const { start, limit } = pageWindow(ctx);
  const filter = readFilters(ctx, { kind: 'group', type: info?.name });
  let where = info ? 'owner_id = ? AND type = ?' : 'owner_id = ?';
  const params: unknown[] = info ? [owner.id, info.name] : [owner.id];
  if (filter !== null) {
    where += ` AND ${filter.clause}`;
    params.push(...filter.params);
  }
  const rows = ctx.store.all<GroupRow>(
    `SELECT * FROM groups WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`,
    ...params,
    limit,
    start,
  );
  const total =
    start === 0
      ? (ctx.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM groups WHERE ${where}`, ...params)?.n ?? 0)
      : 0;
  return listReply(
    info ? info.entity : 'group',
    rows.map((r) => groupView(ctx.view, r, info ? 'typed' : 'generic')),
    total,
    start,
  );
}

export function getGroup(ctx: RequestContext, branch: string, id: string): Reply {
  const row = requireGroup(ctx, branch, id);
  return single(groupType(branch).entity, groupView(ctx.view, row, 'single'));
}

/** Validates the writable fields of a group body; `creating` also enforces the required ones. */
function groupBodyFields(
  info: GroupTypeInfo,
  body: Record<string, unknown>,
  creating: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of info.writable) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    switch (field) {
      case 'firstSeen':
      case 'eventDate':
        out[field] = clientDate(value, field, info.name);
        break;
      case 'malware':
        out[field] = parseBoolean(value, field, info.name);
        break;
      case 'status':
        if (typeof value !== 'string' || !(INCIDENT_STATUSES as readonly string[]).includes(value)) {
          throw badRequest(
            `The status for this ${info.name} is invalid, please enter one of the following values: ${INCIDENT_STATUSES.join(', ')}`,
          );
        }
        out[field] = value;
        break;
      case 'fileType':
        if (typeof value !== 'string' || !(SIGNATURE_FILE_TYPES as readonly string[]).includes(value)) {
          throw badRequest(
            `The fileType for this ${info.name} is invalid, please enter one of the following values: ${SIGNATURE_FILE_TYPES.join(', ')}`,
          );
        }
        out[field] = value;
        break;
      default:
        if (typeof value !== 'string') throw badRequest(`The ${field} for this ${info.name} is invalid`);
        out[field] = value;
    }
  }
  // A required field may be left out of an update, but not emptied by one (rest-api-v2.md 7.1: the
  // fields a create requires), as an update may not empty `name` either.
  for (const field of info.required) {
    if ((creating && out[field] === undefined) || out[field] === '')
      throw badRequest(`The ${field} for this ${info.name} is invalid`);
  }
  // rest-api-v2.md 7.1: `password` is "required if `malware`", on a create or an update that sets it.
  if (out.malware === true && (typeof body.password !== 'string' || body.password === '')) {
    throw badRequest(`The password for this ${info.name} is invalid, a malware document requires a password`);
  }
  return out;
}

function nameOf(body: Record<string, unknown>, info: GroupTypeInfo, required: boolean): string | undefined {
  const name = body.name;
  if (name === undefined && !required) return undefined;
  if (typeof name !== 'string' || name.trim() === '')
    throw badRequest(`The name for this ${info.name} is invalid`);
  if (name.length > 500)
    throw badRequest(`The name for this ${info.name} is invalid, it may have at most 500 characters`);
  return checkText(name, 'name', info.name);
}

/** `POST /v2/groups/{branch}`: groups have no natural key, so every POST creates a new group. */
export async function createGroup(ctx: RequestContext, branch: string): Promise<Reply> {
  const info = groupType(branch);
  const owner = requestOwner(ctx);
  const body = await readObject(ctx);
  const now = isoNow(ctx);
  const id = ctx.store.transaction(() => insertGroup(ctx, info, owner, body, now));
  const row = ctx.store.get<GroupRow>('SELECT * FROM groups WHERE id = ?', id) as GroupRow;
  return single(info.entity, groupView(ctx.view, row, 'single'), 201);
}

/**
 * Checks a create body and inserts the group; returns its id. Run inside a transaction. Batch jobs
 * create groups through it, so a batch writes what `POST /v2/groups/{branch}` would.
 */
export function insertGroup(
  ctx: StoreScope,
  info: GroupTypeInfo,
  owner: OwnerRow,
  body: Record<string, unknown>,
  now: string,
): number {
  const name = nameOf(body, info, true) as string;
  const fields = groupBodyFields(info, body, true);
  if (info.name === 'Document') Object.assign(fields, { fileSize: 0, status: 'Awaiting Upload' });
  if (info.name === 'Email') fields.score = 0;
  if (info.name === 'Incident' && fields.status === undefined) fields.status = 'New';
  const newId = ctx.store.nextId('groups');
  ctx.store.run(
    'INSERT INTO groups (id, owner_id, type, name, date_added, last_modified, web_link, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    newId,
    owner.id,
    info.name,
    name,
    now,
    now,
    `/auth/${info.entity}/${info.entity}.xhtml?${info.entity}=${newId}`,
    JSON.stringify(fields),
  );
  return newId;
}

/** Applies an update body to a group (as `PUT /v2/groups/{branch}/{id}`). Run inside a transaction. */
export function changeGroup(
  ctx: StoreScope,
  info: GroupTypeInfo,
  row: GroupRow,
  body: Record<string, unknown>,
  now: string,
): void {
  const name = nameOf(body, info, false);
  const fields = { ...groupFields(row), ...groupBodyFields(info, body, false) };
  ctx.store.run(
    'UPDATE groups SET name = ?, fields = ?, last_modified = ? WHERE id = ?',
    name ?? row.name,
    JSON.stringify(fields),
    now,
    row.id,
  );
}

/** Deletes a group with its content, links and attributes (the single-item DELETE, and batch deletes). */
export function removeGroup(ctx: StoreScope, id: number): void {
  ctx.store.run('DELETE FROM groups WHERE id = ?', id);
  ctx.store.run('DELETE FROM document_chunks WHERE group_id = ?', id);
  ctx.store.forgetItem('group', id);
}

export async function updateGroup(ctx: RequestContext, branch: string, rawId: string): Promise<Reply> {
  const info = groupType(branch);
  requireGroup(ctx, branch, rawId);
  const body = await readObject(ctx);
  // rest-api-v2.md 7.1: a signature's `name`, `fileName` and `fileType` are "also required on update".
  // Batch records are upserts of whole groups and stay as they are (batch/writer.ts).
  if (info.name === 'Signature') {
    nameOf(body, info, true);
    for (const field of ['fileName', 'fileType']) {
      const value = body[field];
      if (typeof value !== 'string' || value.trim() === '')
        throw badRequest(`The ${field} for this ${info.name} is invalid`);
    }
  }
  // Read the group again after the body: another write may have changed it meanwhile (an upload's
  // content, fileSize and status) or deleted it (404), and the update merges into what is there now.
  const updated = ctx.store.transaction(() => {
    const row = requireGroup(ctx, branch, rawId);
    changeGroup(ctx, info, row, body, isoNow(ctx));
    return requireGroup(ctx, branch, rawId);
  });
  return single(info.entity, groupView(ctx.view, updated, 'single'));
}

export function deleteGroup(ctx: RequestContext, branch: string, rawId: string): Reply {
  const row = requireGroup(ctx, branch, rawId);
  ctx.store.transaction(() => {
    removeGroup(ctx, row.id);
  });
  if (row.type === 'Document') ctx.store.reclaimSpace();
  return success();
}

// ---- contents ----

/** Bytes of a zip's first local file header that {@link isEncryptedZip} reads. */
const ZIP_HEAD_BYTES = 8;

/**
 * Whether content starts as a password-protected zip archive: a local file header (`PK\x03\x04`) whose
 * general purpose flags have bit 0, "encrypted", set (PKWARE APPNOTE 4.3.7 and 4.4.4; WinZip's AES
 * encryption sets it too). An empty archive has no entry, so nothing in it is protected.
 */
function isEncryptedZip(head: Buffer): boolean {
  return (
    head.length >= ZIP_HEAD_BYTES && head.readUInt32LE(0) === 0x04034b50 && (head.readUInt16LE(6) & 1) === 1
  );
}

/** Seconds a client is asked to wait when every upload slot is taken. */
const UPLOAD_RETRY_AFTER = '1';

/**
 * `POST` (first upload) or `PUT` (replace) `/v2/groups/documents/{id}/upload`, `application/octet-stream`.
 * The body is staged as 1 MiB chunk rows and swapped in with one transaction, so a 50 MB upload never
 * sits in memory whole and a failed upload leaves the old content in place. The staged rows go as
 * soon as the upload ends, whether it was accepted, refused or cut off, and their space is given back.
 * At most `maxConcurrentUploads` uploads stage at once; the next one gets 503 with `Retry-After`.
 */
export async function uploadContent(ctx: RequestContext, branch: string, rawId: string): Promise<Reply> {
  if (branch !== 'documents' && branch !== 'signatures') throw notFound();
  const row = requireGroup(ctx, branch, rawId);
  const limit = ctx.limits.maxUploadBytes;
  const declared = Number(ctx.req.headers['content-length'] ?? '0');
  if (declared > limit) throw tooLarge(limit);
  if (!ctx.uploads.tryAcquire()) {
    throw new Failure(503, 'Too many uploads in progress, retry later', {
      'Retry-After': UPLOAD_RETRY_AFTER,
    });
  }
  const store = ctx.store;
  // A random staging id: concurrent uploads interleave, so no shared counter is needed.
  const uploadId = randomInt(2 ** 47);
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // The first bytes, for the check of a malware document's archive.
  let head = Buffer.alloc(0);
  const flush = (all: boolean): void => {
    while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
      const joined = Buffer.concat(pending);
      const take = Math.min(CHUNK_BYTES, joined.length);
      store.run(
        `INSERT INTO ${store.stagingTable} (upload_id, seq, data) VALUES (?, ?, ?)`,
        uploadId,
        seq,
        joined.subarray(0, take),
      );
      seq += 1;
      const remainder = joined.subarray(take);
      pending = remainder.length > 0 ? [remainder] : [];
      pendingBytes = remainder.length;
    }
  };
  try {
    for await (const chunk of bodyChunks(ctx)) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      if (head.length < ZIP_HEAD_BYTES)
        head = Buffer.concat([head, chunk.subarray(0, ZIP_HEAD_BYTES - head.length)]);
      pending.push(chunk);
      pendingBytes += chunk.length;
      flush(false);
    }
    flush(true);
    ctx.bodyConsumed = true;
    store.transaction(() => {
      const current = store.get<GroupRow>('SELECT * FROM groups WHERE id = ?', row.id);
      if (!current) throw notFound();
      if (branch === 'signatures') {
        const parts = store.all<{ data: Buffer }>(
          `SELECT data FROM ${store.stagingTable} WHERE upload_id = ? ORDER BY seq`,
          uploadId,
        );
        const fields = {
          ...groupFields(current),
          fileText: Buffer.concat(parts.map((p) => p.data)).toString('utf8'),
        };
        store.run(
          'UPDATE groups SET fields = ?, last_modified = ? WHERE id = ?',
          JSON.stringify(fields),
          isoNow(ctx),
          row.id,
        );
        return;
      }
      // rest-api-v2.md 7.4: "A `malware: true` document must be a password-protected zip, else 400".
      if (groupFields(current).malware === true && !isEncryptedZip(head)) {
        throw badRequest(
          'The file for this Document is invalid, a malware document must be a password-protected zip archive',
        );
      }
      store.run('DELETE FROM document_chunks WHERE group_id = ?', row.id);
      const copied = store.run(
        `INSERT INTO document_chunks (group_id, seq, data) SELECT ?, seq, data FROM ${store.stagingTable} WHERE upload_id = ?`,
        row.id,
        uploadId,
      ).changes;
      // Staged rows vanish only if another process cleared them (one --db file shared by two
      // sandboxes): never swap in a partial document.
      if (copied !== seq) throw new Error(`upload ${uploadId}: ${seq} chunks staged, ${copied} found`);
      const fields = { ...groupFields(current), fileSize: size, status: 'Success', contentVersion: uploadId };
      store.run(
        'UPDATE groups SET fields = ?, last_modified = ? WHERE id = ?',
        JSON.stringify(fields),
        isoNow(ctx),
        row.id,
      );
    });
  } finally {
    try {
      store.run(`DELETE FROM ${store.stagingTable} WHERE upload_id = ?`, uploadId);
      store.reclaimSpace();
    } finally {
      ctx.uploads.release();
    }
  }
  return success(ctx.method === 'POST' ? 201 : 200);
}

/** `GET /v2/groups/documents/{id}/download` (octet-stream, streamed by chunk) and signatures (text/plain). */
export function downloadContent(ctx: RequestContext, branch: string, rawId: string): Reply {
  const row = requireGroup(ctx, branch, rawId);
  if (branch === 'signatures') {
    const fileText = groupFields(row).fileText;
    const text = Buffer.from(typeof fileText === 'string' ? fileText : '', 'utf8');
    return { kind: 'raw', status: 200, contentType: 'text/plain', length: text.length, body: text };
  }
  if (branch !== 'documents') throw notFound();
  // Uploaded once, even with no bytes (a replace with an empty file), is content: an empty answer.
  const uploaded = ctx.store.hasDocumentContent(row.id) || groupFields(row).contentVersion !== undefined;
  if (!uploaded) throw new Failure(404, 'The requested resource was not found');
  const length = ctx.store.documentSize(row.id);
  const store = ctx.store;
  const count =
    store.get<{ n: number }>('SELECT COUNT(*) AS n FROM document_chunks WHERE group_id = ?', row.id)?.n ?? 0;
  // A replace that commits mid-download must not splice old and new bytes: every chunk is read only
  // while the content version is still the one the download started with; otherwise the stream fails
  // and the client sees an early end of body.
  const version = groupFields(row).contentVersion ?? null;
  function* chunks(): Generator<Buffer> {
    for (let seq = 0; seq < count; seq += 1) {
      const chunk = store.get<{ data: Buffer }>(
        `SELECT c.data FROM document_chunks c JOIN groups g ON g.id = c.group_id
         WHERE c.group_id = ? AND c.seq = ? AND json_extract(g.fields, '$.contentVersion') IS ?`,
        row.id,
        seq,
        version,
      );
      // Expected when a replace commits mid-download: the answer is cut short, and no bug is reported.
      if (!chunk) throw new Failure(500, `document ${row.id} changed during the download`);
      yield chunk.data;
    }
  }
  return {
    kind: 'raw',
    status: 200,
    contentType: 'application/octet-stream',
    length,
    body: Readable.from(chunks()),
  };
}
