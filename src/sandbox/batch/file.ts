/** The uploaded batch file (rest-api-v2.md 11.2): V2 `{indicator, group, association}` or a V1 array. */
import { badRequest } from '../reply.js';

/** Largest upload, from the real server's error text. */
export const MAX_BATCH_FILE_BYTES = 2_000_000;
/** Most indicators in one job. */
export const MAX_BATCH_INDICATORS = 25_000;

export interface BatchFile {
  indicators: unknown[];
  groups: unknown[];
  associations: unknown[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function list(value: unknown, key: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest(`The batch file's ${key} must be an array`);
  return value;
}

/**
 * Parses an upload. A file that is not JSON, not of the job's version's shape, or with more than
 * {@link MAX_BATCH_INDICATORS} indicators is refused at upload with a 400 (the job stays `Created`),
 * rather than accepted and failed later.
 */
export function parseBatchFile(bytes: Buffer, version: 'V1' | 'V2'): BatchFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(bytes)) as unknown;
  } catch {
    throw badRequest('The batch file is not valid JSON');
  }
  let file: BatchFile;
  if (version === 'V1') {
    if (!Array.isArray(parsed)) throw badRequest('A V1 batch file must be an array of indicators');
    file = { indicators: parsed, groups: [], associations: [] };
  } else {
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('A V2 batch file must be an object with indicator, group and association arrays');
    }
    const body = parsed as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (key !== 'indicator' && key !== 'group' && key !== 'association')
        throw badRequest(`Unknown key of a V2 batch file: ${key}`);
    }
    file = {
      indicators: list(body.indicator, 'indicator'),
      groups: list(body.group, 'group'),
      associations: list(body.association, 'association'),
    };
  }
  if (file.indicators.length > MAX_BATCH_INDICATORS) {
    throw badRequest(
      `The batch file holds ${file.indicators.length} indicators; a job takes at most ${MAX_BATCH_INDICATORS}`,
    );
  }
  return file;
}
