/**
 * The syslog severity of a record, from its ThreatConnect threat rating (0–5, where 0 is "Unknown",
 * 1 "Suspicious", 2 "Low", 3 "Moderate", 4 "High" and 5 "Critical"). A fractional rating counts as
 * the level below it (4.5 is High). A record with no rating is "Unknown", like rating 0.
 *
 * | rating | ThreatConnect | severity |
 * |---|---|---|
 * | 5 | Critical | 2 critical |
 * | 4 to < 5 | High | 3 error |
 * | 3 to < 4 | Moderate | 4 warning |
 * | 2 to < 3 | Low | 5 notice |
 * | 1 to < 2 | Suspicious | 6 informational |
 * | 0 to < 1, none | Unknown | 5 notice |
 */

/** RFC 5424 severities by name. */
export const SEVERITY = {
  emergency: 0,
  alert: 1,
  critical: 2,
  error: 3,
  warning: 4,
  notice: 5,
  informational: 6,
  debug: 7,
} as const;

/** The severity of a record whose rating is unknown. */
export const UNKNOWN_RATING_SEVERITY = SEVERITY.notice;

/** The severity for a rating (a number 0–5, or null/undefined when there is none). */
export function severityOfRating(rating: number | null | undefined): number {
  if (rating === null || rating === undefined || !Number.isFinite(rating) || rating < 1) {
    return UNKNOWN_RATING_SEVERITY;
  }
  if (rating >= 5) return SEVERITY.critical;
  if (rating >= 4) return SEVERITY.error;
  if (rating >= 3) return SEVERITY.warning;
  if (rating >= 2) return SEVERITY.notice;
  return SEVERITY.informational;
}
