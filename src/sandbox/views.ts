/**
 * Row → wire-shape conversions (rest-api-v2.md 6.2, 6.3, 7.2, 8, 9).
 *
 * Lists carry `ownerName`; single objects carry `owner{}`. Generic indicator lists add `type` and
 * `summary`; typed ones carry the type's value fields instead.
 */
import type {
  AttributeRow,
  GroupRow,
  IndicatorRow,
  LabelRow,
  OwnerRow,
  Store,
  TagRow,
  TaskRow,
  VictimRow,
} from './store.js';
import { Decimal2, decimal2Json } from './encode.js';
import { intelligenceFields } from './intelligence.js';
import { GROUP_BY_NAME, type ItemKind } from './types.js';

export type Shape = 'generic' | 'typed' | 'single';

export interface ViewContext {
  store: Store;
  /** `http(s)://host:port`, prefixed to generated webLinks that start with `/`. */
  origin: string;
  includeTags: boolean;
  includeAttributes: boolean;
  /**
   * `includeAdditional=true` (or `includes=additional`): indicators also carry `active`, `privateFlag`
   * and their observation and false-positive totals (intelligence.ts); groups their `xid` (given by a
   * batch job) and an incident its `status`.
   */
  includeAdditional: boolean;
  /** `includes=labels`: items also carry their `securityLabel[]`. */
  includeLabels: boolean;
  ownerCache: Map<number, OwnerRow>;
}

/**
 * What `includes` asks for: every value of the parameter, each a comma-separated list, as
 * ThreatConnect takes `?includes=tags&includes=attributes` and `?includes=tags,attributes` alike.
 */
export function includesOf(query: URLSearchParams): ReadonlySet<string> {
  const out = new Set<string>();
  for (const value of query.getAll('includes')) for (const name of value.split(',')) out.add(name.trim());
  return out;
}

export function owner(ctx: ViewContext, id: number): OwnerRow {
  let row = ctx.ownerCache.get(id);
  if (!row) {
    row = ctx.store.ownerById(id) ?? { id, name: 'Unknown', type: 'Organization' };
    ctx.ownerCache.set(id, row);
  }
  return row;
}

export function webLink(ctx: ViewContext, link: string | null): string | null {
  if (link === null) return null;
  return link.startsWith('/') ? ctx.origin + link : link;
}

function putOwner(ctx: ViewContext, out: Record<string, unknown>, ownerId: number, shape: Shape): void {
  if (shape === 'single') {
    const o = owner(ctx, ownerId);
    out.owner = { id: o.id, name: o.name, type: o.type };
  } else {
    out.ownerName = owner(ctx, ownerId).name;
  }
}

function putMetadata(ctx: ViewContext, out: Record<string, unknown>, kind: ItemKind, id: number): void {
  if (ctx.includeAttributes) out.attribute = ctx.store.attributesOf(kind, id).map(attributeView);
  if (ctx.includeTags) out.tag = ctx.store.tagsOf(kind, id).map((t) => tagView(ctx, t));
  if (ctx.includeLabels) out.securityLabel = ctx.store.labelsOf(kind, id).map(labelView);
}

/** The value fields of an indicator, as its typed objects carry them. */
export function indicatorValueFields(ctx: ViewContext, row: IndicatorRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  switch (row.type) {
    case 'Address':
      out.ip = row.summary;
      break;
    case 'EmailAddress':
      out.address = row.summary;
      break;
    case 'Host':
      out.hostName = row.summary;
      out.dnsActive = row.dns_active ?? 'false';
      out.whoisActive = row.whois_active ?? 'false';
      break;
    case 'URL':
      out.text = row.summary;
      break;
    case 'File':
      if (row.md5 !== null) out.md5 = row.md5;
      if (row.sha1 !== null) out.sha1 = row.sha1;
      if (row.sha256 !== null) out.sha256 = row.sha256;
      if (row.size !== null) out.size = row.size;
      break;
    default: {
      const info = ctx.store.indicatorTypes.byName(row.type);
      const values = row.vals === null ? [row.summary] : (JSON.parse(row.vals) as string[]);
      info?.fields.forEach((field, i) => {
        out[field] = values[i] ?? '';
      });
    }
  }
  return out;
}

export function indicatorView(ctx: ViewContext, row: IndicatorRow, shape: Shape): Record<string, unknown> {
  const info = ctx.store.indicatorTypes.byName(row.type);
  const out: Record<string, unknown> = { id: row.id };
  putOwner(ctx, out, row.owner_id, shape);
  if (shape === 'generic' || info?.custom === true) out.type = row.type;
  out.dateAdded = row.date_added;
  out.lastModified = row.last_modified;
  if (row.rating !== null) out.rating = new Decimal2(row.rating);
  if (row.confidence !== null) out.confidence = row.confidence;
  if (row.threat_assess_rating !== null) out.threatAssessRating = new Decimal2(row.threat_assess_rating);
  if (row.threat_assess_confidence !== null) out.threatAssessConfidence = row.threat_assess_confidence;
  out.webLink = webLink(ctx, row.web_link);
  if (row.description !== null) out.description = row.description;
  if (row.source !== null && shape === 'single') out.source = row.source;
  if (shape === 'generic') out.summary = row.summary;
  else Object.assign(out, indicatorValueFields(ctx, row));
  if (ctx.includeAdditional) {
    out.active = row.active === 1;
    // The sandbox has no private indicators.
    out.privateFlag = false;
    Object.assign(out, intelligenceFields(ctx.store, row.id));
  }
  putMetadata(ctx, out, 'indicator', row.id);
  return out;
}

/**
 * The columns an indicator list item is made of, in the order {@link indicatorItemJson} reads them.
 * Generic items need the first 13; typed items also need the value columns.
 */
export const ITEM_COLUMNS = [
  'id',
  'owner_id',
  'type',
  'summary',
  'date_added',
  'last_modified',
  'rating',
  'confidence',
  'threat_assess_rating',
  'threat_assess_confidence',
  'web_link',
  'description',
  'active',
  'md5',
  'sha1',
  'sha256',
  'vals',
  'size',
  'dns_active',
  'whois_active',
] as const;
export const GENERIC_ITEM_COLUMN_COUNT = 13;

const text = (value: unknown): string => JSON.stringify(value);

/**
 * The JSON text of an indicator list item, from a row of {@link ITEM_COLUMNS}: exactly what encoding
 * `indicatorView(ctx, row, shape)` gives (the tests compare the two), written directly, without building
 * the object or a marker pass for the ratings. Custom types, whose value fields come from the type's
 * definition, go through `indicatorView`.
 */
export function indicatorItemJson(
  ctx: ViewContext,
  a: readonly unknown[],
  shape: 'generic' | 'typed',
  encode: (value: unknown) => string,
): string {
  const id = a[0] as number;
  const type = a[2] as string;
  if (type !== 'Address' && type !== 'EmailAddress' && type !== 'Host' && type !== 'URL' && type !== 'File') {
    return encode(indicatorView(ctx, rowFromItemColumns(a), shape));
  }
  let out = `{"id":${text(id)},"ownerName":${text(owner(ctx, a[1] as number).name)}`;
  if (shape === 'generic') out += `,"type":${text(type)}`;
  out += `,"dateAdded":${text(a[4])},"lastModified":${text(a[5])}`;
  if (a[6] !== null) out += `,"rating":${decimal2Json(a[6] as number)}`;
  if (a[7] !== null) out += `,"confidence":${text(a[7])}`;
  if (a[8] !== null) out += `,"threatAssessRating":${decimal2Json(a[8] as number)}`;
  if (a[9] !== null) out += `,"threatAssessConfidence":${text(a[9])}`;
  out += `,"webLink":${text(webLink(ctx, a[10] as string | null))}`;
  if (a[11] !== null) out += `,"description":${text(a[11])}`;
  if (shape === 'generic') {
    out += `,"summary":${text(a[3])}`;
  } else {
    switch (type) {
      case 'Address':
        out += `,"ip":${text(a[3])}`;
        break;
      case 'EmailAddress':
        out += `,"address":${text(a[3])}`;
        break;
      case 'Host':
        out += `,"hostName":${text(a[3])},"dnsActive":${text(a[18] ?? 'false')},"whoisActive":${text(a[19] ?? 'false')}`;
        break;
      case 'URL':
        out += `,"text":${text(a[3])}`;
        break;
      case 'File':
        if (a[13] !== null) out += `,"md5":${text(a[13])}`;
        if (a[14] !== null) out += `,"sha1":${text(a[14])}`;
        if (a[15] !== null) out += `,"sha256":${text(a[15])}`;
        if (a[17] !== null) out += `,"size":${text(a[17])}`;
        break;
    }
  }
  if (ctx.includeAdditional) {
    out += `,"active":${a[12] === 1 ? 'true' : 'false'},"privateFlag":false`;
    for (const [field, value] of Object.entries(intelligenceFields(ctx.store, id)))
      out += `,${text(field)}:${text(value)}`;
  }
  if (ctx.includeAttributes)
    out += `,"attribute":${text(ctx.store.attributesOf('indicator', id).map(attributeView))}`;
  if (ctx.includeTags) out += `,"tag":${text(ctx.store.tagsOf('indicator', id).map((t) => tagView(ctx, t)))}`;
  if (ctx.includeLabels)
    out += `,"securityLabel":${text(ctx.store.labelsOf('indicator', id).map(labelView))}`;
  return `${out}}`;
}

/** An {@link IndicatorRow} from a typed row of {@link ITEM_COLUMNS}; what no list item shows is left empty. */
function rowFromItemColumns(a: readonly unknown[]): IndicatorRow {
  return {
    id: a[0] as number,
    owner_id: a[1] as number,
    type: a[2] as string,
    summary: a[3] as string,
    lookup: null,
    md5: (a[13] ?? null) as string | null,
    sha1: (a[14] ?? null) as string | null,
    sha256: (a[15] ?? null) as string | null,
    vals: (a[16] ?? null) as string | null,
    date_added: a[4] as string,
    last_modified: a[5] as string,
    last_modified_ms: 0,
    rating: a[6] as number | null,
    confidence: a[7] as number | null,
    threat_assess_rating: a[8] as number | null,
    threat_assess_confidence: a[9] as number | null,
    web_link: a[10] as string | null,
    description: a[11] as string | null,
    source: null,
    size: (a[17] ?? null) as number | null,
    dns_active: (a[18] ?? null) as string | null,
    whois_active: (a[19] ?? null) as string | null,
    active: a[12] as number,
  };
}

export function groupFields(row: GroupRow): Record<string, unknown> {
  return JSON.parse(row.fields) as Record<string, unknown>;
}

export function groupView(ctx: ViewContext, row: GroupRow, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id, name: row.name };
  if (shape === 'generic') out.type = row.type;
  putOwner(ctx, out, row.owner_id, shape);
  out.dateAdded = row.date_added;
  out.lastModified = row.last_modified;
  out.webLink = webLink(ctx, row.web_link);
  const fields = groupFields(row);
  const info = GROUP_BY_NAME.get(row.type);
  if (shape === 'typed' && info) {
    for (const key of info.listed) if (fields[key] !== undefined) out[key] = fields[key];
  } else if (shape === 'single') {
    for (const [key, value] of Object.entries(fields)) {
      // Write-only fields (rest-api-v2.md 7.1) and the sandbox's own bookkeeping never go on the wire.
      if (key !== 'password' && key !== 'malware' && key !== 'contentVersion') out[key] = value;
    }
  }
  if (ctx.includeAdditional) {
    // rest-api-v2.md 7.2: "adds `xid` …, and incident `status`" (what the sandbox stores of that list:
    // it keeps no `createdBy`, `communityOrSource` or `additionalOwners`).
    if (row.type === 'Incident' && typeof fields.status === 'string') out.status ??= fields.status;
    const xid = ctx.store.get<{ xid: string }>('SELECT xid FROM group_xids WHERE group_id = ?', row.id)?.xid;
    if (xid !== undefined) out.xid = xid;
  }
  putMetadata(ctx, out, 'group', row.id);
  return out;
}

export function victimView(ctx: ViewContext, row: VictimRow): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id, name: row.name };
  if (row.description !== null) out.description = row.description;
  if (row.org !== null) out.org = row.org;
  if (row.suborg !== null) out.suborg = row.suborg;
  if (row.work_location !== null) out.workLocation = row.work_location;
  if (row.nationality !== null) out.nationality = row.nationality;
  out.webLink = webLink(ctx, row.web_link);
  putMetadata(ctx, out, 'victim', row.id);
  return out;
}

export function taskView(ctx: ViewContext, row: TaskRow, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id, name: row.name };
  putOwner(ctx, out, row.owner_id, shape === 'single' ? 'single' : 'generic');
  out.dateAdded = row.date_added;
  out.lastModified = row.last_modified;
  out.webLink = webLink(ctx, row.web_link);
  const fields = JSON.parse(row.fields) as Record<string, unknown>;
  for (const key of [
    'status',
    'escalated',
    'reminded',
    'overdue',
    'dueDate',
    'reminderDate',
    'escalationDate',
    'description',
  ]) {
    if (fields[key] !== undefined) out[key] = fields[key];
  }
  const assignee = fields.assignee as unknown[] | undefined;
  const escalatee = fields.escalatee as unknown[] | undefined;
  if (assignee && assignee.length > 0) out.assignee = assignee;
  if (escalatee && escalatee.length > 0) out.escalatee = escalatee;
  putMetadata(ctx, out, 'task', row.id);
  return out;
}

export function attributeView(row: AttributeRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: row.id,
    type: row.type,
    dateAdded: row.date_added,
    lastModified: row.last_modified,
    displayed: row.displayed === 1,
    value: row.value,
  };
  if (row.source !== null) out.source = row.source;
  return out;
}

/** A tag; its webLink names its owner (`&owner=Example+Community`), as the real server's does. */
export function tagView(ctx: ViewContext, row: TagRow): Record<string, unknown> {
  const ownerParam = encodeURIComponent(owner(ctx, row.owner_id).name).replace(/%20/g, '+');
  const out: Record<string, unknown> = {
    name: row.name,
    webLink: `${ctx.origin}/auth/tags/tag.xhtml?tag=${encodeURIComponent(row.name)}&owner=${ownerParam}`,
  };
  if (row.description !== null) out.description = row.description;
  return out;
}

export function labelView(row: LabelRow): Record<string, unknown> {
  const out: Record<string, unknown> = { name: row.name };
  if (row.description !== null) out.description = row.description;
  out.dateAdded = row.date_added;
  return out;
}

export function ownerView(row: OwnerRow): Record<string, unknown> {
  return { id: row.id, name: row.name, type: row.type };
}
