/**
 * Type lookups (`/v2/types/attributeTypes`, `/v2/types/associationTypes`, rest-api-v2.md 9 and 10) and
 * owner metrics (`/v2/owners/metrics`, `/v2/owners/{id}/metrics`, section 5), computed from the data.
 */
import { type RequestContext, accessibleOwnerIds, assertOwnerAccess, parseId, windowed } from '../context.js';
import {
  ASSOCIATION_TYPES,
  ATTRIBUTE_TYPES,
  ATTRIBUTE_TYPE_BY_NAME,
  type AssociationTypeInfo,
  type AttributeTypeInfo,
} from '../metadata-types.js';
import { type Reply, json, notFound, single } from '../reply.js';
import type { OwnerRow } from '../store.js';

function attributeTypeView(ctx: RequestContext, t: AttributeTypeInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: t.name,
    description: t.description,
    errorMessage: `Please enter a valid ${t.name}.`,
    maxSize: t.maxSize,
    allowMarkdown: t.allowMarkdown,
    system: t.system,
  };
  if (ctx.includes.has('validationRule') && t.validationRule !== undefined)
    out.validationRule = t.validationRule;
  return out;
}

/** `GET /v2/types/attributeTypes[/{name}]` (names match without case). */
export function attributeTypes(ctx: RequestContext, name?: string): Reply {
  if (name !== undefined) {
    const found = ATTRIBUTE_TYPE_BY_NAME.get(name.toLowerCase());
    if (!found) throw notFound();
    return single('attributeType', attributeTypeView(ctx, found));
  }
  return windowed(ctx, 'attributeType', ATTRIBUTE_TYPES, (t) => attributeTypeView(ctx, t));
}

function associationTypeView(t: AssociationTypeInfo): Record<string, unknown> {
  return { name: t.name, custom: String(t.custom), fileAction: String(t.fileAction), apiBranch: t.apiBranch };
}

/** `GET /v2/types/associationTypes[/{name}]`: by name, or by `apiBranch`. */
export function associationTypes(ctx: RequestContext, name?: string): Reply {
  if (name !== undefined) {
    const found = ASSOCIATION_TYPES.find((t) => t.name === name || t.apiBranch === name);
    if (!found) throw notFound();
    return single('associationType', associationTypeView(found));
  }
  return windowed(ctx, 'associationType', ASSOCIATION_TYPES, associationTypeView);
}

// ---- owner metrics ----

/** Indicator types counted by name in a metric (`totalHost` …); other types count in `totalIndicator` only. */
const INDICATOR_KEYS: Record<string, string> = {
  Address: 'Address',
  EmailAddress: 'EmailAddress',
  File: 'File',
  Host: 'Host',
  URL: 'Url',
};
const GROUP_KEYS: Record<string, string> = {
  Adversary: 'Adversary',
  Campaign: 'Campaign',
  Document: 'Document',
  Email: 'Email',
  Incident: 'Incident',
  Signature: 'Signature',
  Threat: 'Threat',
};
const DAY_MS = 86_400_000;

function countByDay(
  ctx: RequestContext,
  sql: string,
  ...params: unknown[]
): {
  day: string;
  key: string;
  n: number;
  rating: number;
  rated: number;
  confidence: number;
  sure: number;
}[] {
  return ctx.store.all(sql, ...params);
}

/**
 * The metrics of one owner at the end of each of `days` (ascending `YYYY-MM-DD`): every count is of the
 * owner's items added up to that day (by `dateAdded`; the date part as written, without time zones).
 * Observations and false positives (rest-api-v2.md 6.6) are counted the same way, by the day they
 * were made, for the owner's indicators. The sandbox keeps no track or result counts: those are 0.
 */
function ownerMetrics(
  ctx: RequestContext,
  owner: OwnerRow,
  days: readonly string[],
): Record<string, unknown>[] {
  const indicators = countByDay(
    ctx,
    `SELECT substr(date_added, 1, 10) AS day, type AS key, COUNT(*) AS n,
            COALESCE(SUM(rating), 0) AS rating, COUNT(rating) AS rated,
            COALESCE(SUM(confidence), 0) AS confidence, COUNT(confidence) AS sure
       FROM indicators WHERE owner_id = ? GROUP BY day, key`,
    owner.id,
  );
  const enriched = countByDay(
    ctx,
    `SELECT substr(date_added, 1, 10) AS day, 'EnrichedIndicator' AS key, COUNT(*) AS n, 0 AS rating, 0 AS rated,
            0 AS confidence, 0 AS sure
       FROM indicators WHERE owner_id = ? AND threat_assess_rating IS NOT NULL GROUP BY day`,
    owner.id,
  );
  const groups = countByDay(
    ctx,
    `SELECT substr(date_added, 1, 10) AS day, type AS key, COUNT(*) AS n, 0 AS rating, 0 AS rated,
            0 AS confidence, 0 AS sure
       FROM groups WHERE owner_id = ? GROUP BY day, key`,
    owner.id,
  );
  const tasks = countByDay(
    ctx,
    `SELECT substr(date_added, 1, 10) AS day, 'Task' AS key, COUNT(*) AS n, 0 AS rating, 0 AS rated,
            0 AS confidence, 0 AS sure FROM tasks WHERE owner_id = ? GROUP BY day`,
    owner.id,
  );
  const attributes = countByDay(
    ctx,
    `SELECT substr(a.date_added, 1, 10) AS day,
            CASE a.kind WHEN 'indicator' THEN 'IndicatorAttribute' ELSE 'GroupAttribute' END AS key,
            COUNT(*) AS n, 0 AS rating, 0 AS rated, 0 AS confidence, 0 AS sure
       FROM attributes a
       LEFT JOIN indicators i ON a.kind = 'indicator' AND i.id = a.item_id
       LEFT JOIN groups g ON a.kind = 'group' AND g.id = a.item_id
      WHERE (a.kind = 'indicator' AND i.owner_id = ?) OR (a.kind = 'group' AND g.owner_id = ?)
      GROUP BY day, key`,
    owner.id,
    owner.id,
  );
  // Group-to-indicator links of the owner's groups, dated by the later of the two items.
  const groupIndicators = countByDay(
    ctx,
    `SELECT substr(MAX(g.date_added, i.date_added), 1, 10) AS day, 'GroupIndicator' AS key, COUNT(*) AS n,
            0 AS rating, 0 AS rated, 0 AS confidence, 0 AS sure
       FROM links l JOIN groups g ON g.id = l.a_id JOIN indicators i ON i.id = l.b_id
      WHERE l.a_kind = 'group' AND l.b_kind = 'indicator' AND g.owner_id = ? GROUP BY day`,
    owner.id,
  );
  // Observations: one row per indicator and day (summed over users), with the indicator's type.
  const observed = countByDay(
    ctx,
    `SELECT o.day AS day, i.type AS key, SUM(o.count) AS n, 0 AS rating, 0 AS rated,
            o.indicator_id AS confidence, 0 AS sure
       FROM observations o JOIN indicators i ON i.id = o.indicator_id
      WHERE i.owner_id = ? GROUP BY o.day, o.indicator_id`,
    owner.id,
  );
  const falsePositives = countByDay(
    ctx,
    `SELECT f.day AS day, 'FalsePositive' AS key, COUNT(*) AS n, 0 AS rating, 0 AS rated,
            0 AS confidence, 0 AS sure
       FROM false_positives f JOIN indicators i ON i.id = f.indicator_id
      WHERE i.owner_id = ? GROUP BY f.day`,
    owner.id,
  );
  const tags =
    ctx.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM tags WHERE owner_id = ?', owner.id)?.n ?? 0;

  return days.map((day) => {
    const totals = new Map<string, number>();
    let rating = 0;
    let rated = 0;
    let confidence = 0;
    let sure = 0;
    const add = (key: string, n: number): void => {
      totals.set(key, (totals.get(key) ?? 0) + n);
    };
    for (const row of indicators) {
      if (row.day > day) continue;
      add('Indicator', row.n);
      const key = INDICATOR_KEYS[row.key];
      if (key !== undefined) add(key, row.n);
      rating += row.rating;
      rated += row.rated;
      confidence += row.confidence;
      sure += row.sure;
    }
    for (const row of groups) {
      if (row.day > day) continue;
      add('Group', row.n);
      const key = GROUP_KEYS[row.key];
      if (key !== undefined) add(key, row.n);
    }
    for (const rows of [enriched, tasks, attributes, groupIndicators]) {
      for (const row of rows) if (row.day <= day) add(row.key, row.n);
    }
    // Observations up to the day, that day's, and the indicators observed (the row's `confidence`
    // column carries the indicator id).
    const observedIds = new Set<number>();
    let observationsToday = 0;
    for (const row of observed) {
      if (row.day > day) continue;
      add('Observation', row.n);
      const key = INDICATOR_KEYS[row.key];
      if (key !== undefined) add(`Observation${key}`, row.n);
      observedIds.add(row.confidence);
      if (row.day === day) observationsToday += row.n;
    }
    let falsePositivesToday = 0;
    for (const row of falsePositives) {
      if (row.day > day) continue;
      add('FalsePositive', row.n);
      if (row.day === day) falsePositivesToday += row.n;
    }
    const total = (key: string): number => totals.get(key) ?? 0;
    const round2 = (n: number): number => Math.round(n * 100) / 100;
    return {
      metricDate: day,
      totalIndicator: total('Indicator'),
      totalHost: total('Host'),
      totalAddress: total('Address'),
      totalEmailAddress: total('EmailAddress'),
      totalFile: total('File'),
      totalUrl: total('Url'),
      totalGroup: total('Group'),
      totalThreat: total('Threat'),
      totalIncident: total('Incident'),
      totalEmail: total('Email'),
      totalCampaign: total('Campaign'),
      totalAdversary: total('Adversary'),
      totalSignature: total('Signature'),
      totalTask: total('Task'),
      totalDocument: total('Document'),
      totalTag: tags,
      totalTrack: 0,
      totalResult: 0,
      totalIndicatorAttribute: total('IndicatorAttribute'),
      totalGroupAttribute: total('GroupAttribute'),
      totalEnrichedIndicator: total('EnrichedIndicator'),
      totalGroupIndicator: total('GroupIndicator'),
      averageIndicatorRating: rated === 0 ? 0 : round2(rating / rated),
      averageIndicatorConfidence: sure === 0 ? 0 : round2(confidence / sure),
      totalObservation: total('Observation'),
      totalObservationDaily: observationsToday,
      totalObservationIndicator: observedIds.size,
      totalObservationAddress: total('ObservationAddress'),
      totalObservationEmailAddress: total('ObservationEmailAddress'),
      totalObservationFile: total('ObservationFile'),
      totalObservationHost: total('ObservationHost'),
      totalObservationUrl: total('ObservationUrl'),
      totalFalsePositiveDaily: falsePositivesToday,
      totalFalsePositive: total('FalsePositive'),
    };
  });
}

/** `YYYY-MM-DD` of the server clock, `back` days ago (UTC). */
function dayOf(ctx: RequestContext, back: number): string {
  return new Date(ctx.nowMs() - back * DAY_MS).toISOString().slice(0, 10);
}

/** An `ownerMetric` list: no `resultCount`, never paged (rest-api-v2.md 4.1). */
function metricReply(items: Record<string, unknown>[]): Reply {
  return json({ status: 'Success', data: { ownerMetric: items } });
}

/** `GET /v2/owners/metrics`: today's metrics, one entry per owner the user may access, in owner id order. */
export function allOwnerMetrics(ctx: RequestContext): Reply {
  const ids = accessibleOwnerIds(ctx);
  const owners = ctx.store
    .all<OwnerRow>('SELECT id, name, type FROM owners ORDER BY id')
    .filter((o) => ids.has(o.id));
  const today = dayOf(ctx, 0);
  return metricReply(owners.flatMap((owner) => ownerMetrics(ctx, owner, [today])));
}

/** `GET /v2/owners/{id}/metrics`: one entry per day of the last 30 days, oldest first, today last. */
export function oneOwnerMetrics(ctx: RequestContext, rawId: string): Reply {
  const owner = ctx.store.ownerById(parseId(rawId));
  if (!owner) throw notFound();
  assertOwnerAccess(ctx, owner.id);
  const days = Array.from({ length: 30 }, (_, i) => dayOf(ctx, 29 - i));
  return metricReply(ownerMetrics(ctx, owner, days));
}
