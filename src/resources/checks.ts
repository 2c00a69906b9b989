/**
 * Checks and helpers of the write side shared by the resource modules: ids, text, tags, booleans, dates,
 * the temporary ids of new objects, and the prefix a failed step adds to an error's message.
 */
import { AbortError, ClientClosedError, ThreatConnectError, ValidationError } from '../core/errors.js';
import { formatModifiedSince, isSendableDate } from '../core/request-object.js';
import { checkPathSegment } from '../core/url.js';
import { describeValue, isDate } from '../core/validators.js';
import { isIsoToSend } from '../formats/dates.js';

let lastTemporaryId = 0;

/** A temporary id for a new object: negative, unique within the process. */
export function temporaryId(): number {
  lastTemporaryId -= 1;
  return lastTemporaryId;
}

/** Longest tag name the API takes (rest-api-v2.md 9). */
export const MAX_TAG_LENGTH = 128;

/**
 * A date to send: a valid Date (sent as `YYYY-MM-DDTHH:MM:SSZ`), or an ISO 8601 string of a date that
 * exists (`2024-01-02`, `2024-01-02T03:04:05Z`, with an offset or fractions, a `T` before the time),
 * sent as given. Not what
 * `Date.parse` alone takes (`1`, `March 7, 2024`, `2015-02-30` rolled over to March 2), which the API
 * refuses only after the request.
 */
export function checkDate(value: unknown, label: string): string {
  if (isDate(value)) {
    if (Number.isNaN(value.getTime()))
      throw new ValidationError(`${label} must be a valid date, got Invalid Date`);
    if (!isSendableDate(value)) {
      throw new ValidationError(
        `${label} must be a date from the year 0 to 9999, got ${value.toISOString()}`,
      );
    }
    return formatModifiedSince(value);
  }
  if (typeof value !== 'string' || !isIsoToSend(value)) {
    throw new ValidationError(
      `${label} must be an ISO 8601 date such as '2024-01-02' or '2024-01-02T03:04:05Z', or a Date, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** A non-empty string, else a ValidationError naming `label`. */
export function checkText(value: unknown, label: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError(`${label} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

/** An id: an integer ≥ 0 (decisions.md 1.7). */
export function checkId(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`${label} must be an integer >= 0, got ${describeValue(value)}`);
  }
  return value;
}

/** A tag name: non-empty text of at most {@link MAX_TAG_LENGTH} characters, else a ValidationError. */
export function checkTag(name: unknown): string {
  const tag = checkText(name, 'tag');
  checkPathSegment(tag, 'a tag');
  if (tag.length > MAX_TAG_LENGTH) {
    throw new ValidationError(
      `tag must have at most ${MAX_TAG_LENGTH} characters, got ${tag.length}: ${describeValue(tag)}`,
    );
  }
  return tag;
}

/** A security label's name: non-empty text that can be a path segment, else a ValidationError. */
export function checkLabel(name: unknown): string {
  const label = checkText(name, 'security label');
  checkPathSegment(label, 'a security label');
  return label;
}

/** A boolean, else a ValidationError naming `label`. */
export function checkBooleanValue(value: unknown, label: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ValidationError(`${label} must be a boolean, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * A failure with its message prefixed by what failed; an abort or a closed client is left as it is.
 * The prefixed error is a copy (same class and properties): one failure can reach several callers
 * (a shared lookup that failed), and each names its own step.
 */
export function annotate(error: unknown, what: string): unknown {
  if (
    !(error instanceof ThreatConnectError) ||
    error instanceof AbortError ||
    error instanceof ClientClosedError
  ) {
    return error;
  }
  const copy = Object.create(Object.getPrototypeOf(error) as object) as ThreatConnectError;
  for (const key of Reflect.ownKeys(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (descriptor !== undefined) Object.defineProperty(copy, key, descriptor);
  }
  const message = `${what}: ${error.message}`;
  if (typeof error.stack === 'string' && error.stack.startsWith(`${error.name}: ${error.message}`)) {
    copy.stack = `${error.name}: ${message}${error.stack.slice(error.name.length + 2 + error.message.length)}`;
  }
  copy.message = message;
  return copy;
}
