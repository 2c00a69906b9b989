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

export function intelligenceSummary(store: Store, indicatorId: number): IntelligenceSummary {
  const observed = store.get<{ n: number; last: string | null }>(
    'SELECT COALESCE(SUM(count), 0) AS n, MAX(last_observed) AS last FROM observations WHERE indicator_id = ?',
    indicatorId,
  );
  const reported = store.get<{ n: number; last: string | null }>(
    'SELECT COUNT(*) AS n, MAX(reported) AS last FROM false_positives WHERE indicator_id = ?',
    indicatorId,
  );
  return {
    observationCount: observed?.n ?? 0,
    lastObserved: observed?.last ?? null,
    falsePositiveCount: reported?.n ?? 0,
    falsePositiveLastReported: reported?.last ?? null,
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
