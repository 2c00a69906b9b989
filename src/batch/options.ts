/** Checks the owner and options of `tc.batch()` before anything is read or sent. */
import { ValidationError } from '../core/errors.js';
import { describeValue, isAbortSignal } from '../core/validators.js';
import type { BatchOptions } from './types.js';

/** The job settings sent with `POST /v2/batch`. */
export interface BatchJobConfig {
  version: 'V2';
  owner: string;
  haltOnError: boolean;
  action: 'Create' | 'Delete';
  attributeWriteType: string;
  tagWriteType: string;
  securityLabelWriteType: string;
  hashCollisionMode: string;
  fileMergeMode: string;
}

export interface CheckedBatchOptions {
  job: BatchJobConfig;
  stateFile: string | undefined;
  signal: AbortSignal | undefined;
  onProgress: BatchOptions['onProgress'];
}

const KEYS = new Set([
  'action',
  'haltOnError',
  'attributeWriteType',
  'tagWriteType',
  'securityLabelWriteType',
  'hashCollisionMode',
  'fileMergeMode',
  'stateFile',
  'signal',
  'onProgress',
]);

function oneOf<T extends string>(
  options: BatchOptions,
  key: keyof BatchOptions,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(
      `batch option \`${key}\` must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  return value as T;
}

/**
 * @throws {ValidationError} for an owner that is not a non-empty string, an unknown option key, or an
 *   option value outside its set, naming the option and the value.
 */
export function checkBatchOptions(owner: unknown, options: unknown): CheckedBatchOptions {
  if (typeof owner !== 'string' || owner.trim() === '') {
    throw new ValidationError(`batch owner must be a non-empty string, got ${describeValue(owner)}`);
  }
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(`batch options must be an object, got ${describeValue(options)}`);
  }
  const given = options as BatchOptions;
  for (const key of Object.keys(given)) {
    if (!KEYS.has(key)) {
      throw new ValidationError(`Unknown batch option \`${key}\` (known: ${[...KEYS].join(', ')})`);
    }
  }
  const halt = given.haltOnError;
  if (halt !== undefined && typeof halt !== 'boolean') {
    throw new ValidationError(`batch option \`haltOnError\` must be a boolean, got ${describeValue(halt)}`);
  }
  const stateFile = given.stateFile;
  if (stateFile !== undefined && (typeof stateFile !== 'string' || stateFile === '')) {
    throw new ValidationError(
      `batch option \`stateFile\` must be a file path, got ${describeValue(stateFile)}`,
    );
  }
  const signal = given.signal;
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new ValidationError(`batch option \`signal\` must be an AbortSignal, got ${describeValue(signal)}`);
  }
  const onProgress = given.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ValidationError(
      `batch option \`onProgress\` must be a function, got ${describeValue(onProgress)}`,
    );
  }
  return {
    job: {
      version: 'V2',
      owner,
      haltOnError: halt ?? false,
      action: oneOf(given, 'action', ['Create', 'Delete'] as const, 'Create'),
      attributeWriteType: oneOf(
        given,
        'attributeWriteType',
        ['Append', 'Replace', 'Singleton', 'Static'],
        'Replace',
      ),
      tagWriteType: oneOf(given, 'tagWriteType', ['Append', 'Replace'], 'Replace'),
      securityLabelWriteType: oneOf(given, 'securityLabelWriteType', ['Append', 'Replace'], 'Replace'),
      hashCollisionMode: oneOf(
        given,
        'hashCollisionMode',
        ['FavorExisting', 'FavorIncoming', 'IgnoreExisting', 'IgnoreIncoming', 'Split'],
        'FavorIncoming',
      ),
      fileMergeMode: oneOf(given, 'fileMergeMode', ['Distribute', 'Merge'], 'Merge'),
    },
    stateFile,
    signal,
    onProgress,
  };
}
