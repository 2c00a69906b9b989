/** Errors of batch records, and the entries of a job's errors file and results. */

/**
 * Error codes of the sandbox's batch entries. The real server's codes are not documented beyond their
 * `0x1xxx` form; these are the sandbox's own (docs/sandbox.md, "Batch jobs").
 */
export const BATCH_ERROR_CODES = {
  invalidIndicator: '0x1001',
  invalidGroup: '0x1002',
  association: '0x1003',
  hashCollision: '0x1004',
  notFound: '0x1005',
  malformed: '0x1006',
} as const;

/** A record that cannot be written: its changes are rolled back and it is reported. */
export class RecordError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RecordError';
    this.code = code;
  }
}

/**
 * One entry of `GET /v2/batch/{id}/errors`. `errorReason` says what kind of failure it was,
 * `errorMessage` names the record and the cause. The sandbox adds the fields that identify the
 * record (`itemType` and `summary`, `xid` or `associationIndex`), so a client can match it to its input.
 */
export interface BatchErrorEntry {
  errorCode: string;
  errorReason: string;
  errorMessage: string;
  itemType: 'indicator' | 'group' | 'association';
  type?: string;
  summary?: string;
  xid?: string;
  associationIndex?: number;
}

const REASONS: Record<string, string> = {
  '0x1001': 'Invalid indicator',
  '0x1002': 'Invalid group',
  '0x1003': 'Association failed',
  '0x1004': 'Hash collision',
  '0x1005': 'Not found',
  '0x1006': 'Malformed record',
};

export function reasonOf(code: string): string {
  return REASONS[code] ?? 'Error';
}
