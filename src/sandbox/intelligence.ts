/**
 * What `includeAdditional=true` reports of an indicator's intelligence (rest-api-v2.md 6.2, 6.6): its
 * observation and false-positive totals and latest dates, read from the tables the intelligence
 * endpoints write (handlers/intelligence.ts).
 */
import type { Store } from './store.js';

export interface IntelligenceSummary {
  observationCount: number;
  /** ISO 8601, or null when never observed. */
  lastObserved: string | null;
  falsePositiveCount: number;
  /** ISO 8601, or null when never reported. */
  falsePositiveLastReported: string | null;
}

/** One statement for the four figures: `includeAdditional` listings run it once per item. */
const SUMMARY_SQL = `SELECT
  (SELECT COALESCE(SUM(count), 0) FROM observations WHERE indicator_id = @id),
  (SELECT MAX(last_observed) FROM observations WHERE indicator_id = @id),
  (SELECT COUNT(*) FROM false_positives WHERE indicator_id = @id),
  (SELECT MAX(reported) FROM false_positives WHERE indicator_id = @id)`;

export function intelligenceSummary(store: Store, indicatorId: number): IntelligenceSummary {
  const [row] = store.rawRows(SUMMARY_SQL, { id: indicatorId });
  return {
    observationCount: (row?.[0] as number | undefined) ?? 0,
    lastObserved: (row?.[1] as string | null | undefined) ?? null,
    falsePositiveCount: (row?.[2] as number | undefined) ?? 0,
    falsePositiveLastReported: (row?.[3] as string | null | undefined) ?? null,
  };
}

/** The summary as the fields `includeAdditional` adds, in wire order (dates only when there are some). */
export function intelligenceFields(store: Store, indicatorId: number): Record<string, unknown> {
  const s = intelligenceSummary(store, indicatorId);
  const out: Record<string, unknown> = { observationCount: s.observationCount };
  if (s.lastObserved !== null) out.lastObserved = s.lastObserved;
  out.falsePositiveCount = s.falsePositiveCount;
  if (s.falsePositiveLastReported !== null) out.falsePositiveLastReported = s.falsePositiveLastReported;
  return out;
}
