/** The body of `POST /v2/batch` (rest-api-v2.md 11.2): the job's settings, checked field by field. */
import { badRequest } from '../reply.js';

export const BATCH_ACTIONS = ['Create', 'Delete'] as const;
export const ATTRIBUTE_WRITE_TYPES = ['Append', 'Replace', 'Singleton', 'Static'] as const;
export const METADATA_WRITE_TYPES = ['Append', 'Replace'] as const;
export const FILE_MERGE_MODES = ['Distribute', 'Merge'] as const;
export const HASH_COLLISION_MODES = [
  'FavorExisting',
  'FavorIncoming',
  'IgnoreExisting',
  'IgnoreIncoming',
  'Split',
] as const;

export interface BatchConfig {
  version: 'V1' | 'V2';
  owner: string;
  haltOnError: boolean;
  action: (typeof BATCH_ACTIONS)[number];
  attributeWriteType: (typeof ATTRIBUTE_WRITE_TYPES)[number];
  tagWriteType: (typeof METADATA_WRITE_TYPES)[number];
  securityLabelWriteType: (typeof METADATA_WRITE_TYPES)[number];
  fileMergeMode: (typeof FILE_MERGE_MODES)[number];
  hashCollisionMode: (typeof HASH_COLLISION_MODES)[number];
  removeOrphanIndicators: boolean;
}

const KNOWN = new Set([
  'version',
  'owner',
  'haltOnError',
  'action',
  'attributeWriteType',
  'tagWriteType',
  'securityLabelWriteType',
  'fileMergeMode',
  'hashCollisionMode',
  'removeOrphanIndicators',
]);

function oneOf<T extends string>(
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback: T | undefined,
): T {
  const value = body[field];
  if (value === undefined || value === null) {
    if (fallback === undefined) throw badRequest(`The ${field} field of a batch job is required`);
    return fallback;
  }
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(
      `The ${field} of this batch job is invalid, please enter one of the following values: ${allowed.join(', ')}: ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** A boolean field; the strings `"true"`/`"false"` are taken as elsewhere (decisions.md 2.4). */
function flag(body: Record<string, unknown>, field: string, required: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw badRequest(`The ${field} field of a batch job is required`);
    return false;
  }
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw badRequest(
    `The ${field} of this batch job is invalid, please enter one of the following values: true, false: ${JSON.stringify(value)}`,
  );
}

/** Checks a job body; every problem is a 400 naming the field. */
export function parseBatchConfig(body: Record<string, unknown>): BatchConfig {
  for (const key of Object.keys(body)) {
    if (!KNOWN.has(key)) throw badRequest(`Unknown field of a batch job: ${key}`);
  }
  const owner = body.owner;
  if (typeof owner !== 'string' || owner.trim() === '') {
    throw badRequest('The owner field of a batch job is required');
  }
  return {
    version: oneOf(body, 'version', ['V1', 'V2'] as const, 'V2'),
    owner,
    haltOnError: flag(body, 'haltOnError', true),
    action: oneOf(body, 'action', BATCH_ACTIONS, undefined),
    attributeWriteType: oneOf(body, 'attributeWriteType', ATTRIBUTE_WRITE_TYPES, undefined),
    tagWriteType: oneOf(body, 'tagWriteType', METADATA_WRITE_TYPES, 'Replace'),
    securityLabelWriteType: oneOf(body, 'securityLabelWriteType', METADATA_WRITE_TYPES, 'Replace'),
    fileMergeMode: oneOf(body, 'fileMergeMode', FILE_MERGE_MODES, 'Merge'),
    hashCollisionMode: oneOf(body, 'hashCollisionMode', HASH_COLLISION_MODES, 'FavorIncoming'),
    removeOrphanIndicators: flag(body, 'removeOrphanIndicators', false),
  };
}
