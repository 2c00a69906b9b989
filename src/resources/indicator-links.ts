/**
 * Typed indicator-to-indicator associations (rest-api-v2.md 10): a custom association type links two
 * indicators under `{indicator}/associations/{apiBranch}/indicators/...`; a file action links a file
 * to an indicator under `files/{hash}/actions/{apiBranch}/indicators/...`. An association type is given
 * by its `apiBranch` (`asnToAddress`, `dnsQuery`) or name, looked up in `/v2/types/associationTypes`
 * (read once per client), or as an `AssociationType` from `tc.types()`.
 */
import { ValidationError } from '../core/errors.js';
import { RequestObject } from '../core/request-object.js';
import { quotePathSegment } from '../core/url.js';
import { describeValue } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import type { AssociationType } from './lookups.js';
import { readString } from './values.js';

/** An association type: its `apiBranch` or name, or the object `tc.types().associationTypes()` gives. */
export type AssociationTypeRef = string | AssociationType;

/** The association types of each client, read once. */
const tables = new WeakMap<ResourceContext, Promise<AssociationType[]>>();

async function loadTypes(
  context: ResourceContext,
  signal: AbortSignal | undefined,
): Promise<AssociationType[]> {
  const ro = new RequestObject().setHttpMethod('GET').setRequestUri('/v2/types/associationTypes');
  const out: AssociationType[] = [];
  for await (const item of context.requester
    .pages<Record<string, unknown>>(ro, { signal, countsAsApiFilter: false })
    .items()) {
    out.push({
      name: readString(item.name) ?? '',
      apiBranch: readString(item.apiBranch) ?? '',
      custom: String(item.custom) === 'true',
      fileAction: String(item.fileAction) === 'true',
    });
  }
  return out;
}

/** Checks an association type argument before anything is queued. */
export function checkAssociationRef(value: unknown): AssociationTypeRef {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AssociationType).apiBranch === 'string' &&
    typeof (value as AssociationType).fileAction === 'boolean'
  ) {
    return value as AssociationType;
  }
  throw new ValidationError(
    `association type must be an apiBranch or name (such as 'asnToAddress') or an AssociationType, got ${describeValue(value)}`,
  );
}

/** The name of an association type argument, for messages and `pendingChanges`. */
export function associationLabel(ref: AssociationTypeRef): string {
  return typeof ref === 'string' ? ref : ref.apiBranch;
}

/** The association type an argument names. @throws {ValidationError} for one the instance does not have. */
export async function resolveAssociation(
  context: ResourceContext,
  ref: AssociationTypeRef,
  signal: AbortSignal | undefined,
): Promise<AssociationType> {
  if (typeof ref !== 'string') return ref;
  let table = tables.get(context);
  if (table === undefined) {
    table = loadTypes(context, signal);
    tables.set(context, table);
    // A failed read is tried again next time.
    table.catch(() => tables.delete(context));
  }
  const types = await table;
  const found = types.find((t) => t.apiBranch === ref) ?? types.find((t) => t.name === ref);
  if (found === undefined) {
    throw new ValidationError(
      `${JSON.stringify(ref)} is not an association type of this instance: give one of ${types.map((t) => t.apiBranch).join(', ')}`,
    );
  }
  return found;
}

/** `/associations/{apiBranch}/indicators` or, for a file action, `/actions/{apiBranch}/indicators`. */
export function linkSegment(type: AssociationType): string {
  return `/${type.fileAction ? 'actions' : 'associations'}/${quotePathSegment(type.apiBranch)}/indicators`;
}
