/** Public types of `tc.batch()` (decisions.md 1.8). */
import type { Group } from '../resources/group.js';
import type { Indicator } from '../resources/indicator.js';

/** What a batch job does with its records: create (or update) them, or delete them. */
export type BatchAction = 'Create' | 'Delete';
/** How a job writes attributes onto existing items (rest-api-v2.md 11.2). */
export type BatchAttributeWriteType = 'Append' | 'Replace' | 'Singleton' | 'Static';
/** How a job writes tags and security labels onto existing items. */
export type BatchMetadataWriteType = 'Append' | 'Replace';
/** How a job merges file indicators that share a hash. */
export type BatchFileMergeMode = 'Distribute' | 'Merge';
/** What a job does when a file's hashes collide with another file's. */
export type BatchHashCollisionMode =
  | 'FavorExisting'
  | 'FavorIncoming'
  | 'IgnoreExisting'
  | 'IgnoreIncoming'
  | 'Split';

/** An indicator in the batch V2 file's shape (rest-api-v2.md 11.2). */
export interface BatchIndicatorRecord {
  type: string;
  /** The value; a File may give `md5 : sha1 : sha256`. Or the type's value field (`ip`, `hostName`, …). */
  summary?: string;
  rating?: number;
  confidence?: number;
  description?: string;
  source?: string;
  active?: boolean;
  privateFlag?: boolean;
  firstSeen?: string;
  lastSeen?: string;
  attribute?: { type: string; value: string; displayed?: boolean; pinned?: boolean; source?: string }[];
  tag?: { name: string }[];
  securityLabel?: { name: string; description?: string; color?: string }[];
  associatedGroups?: { groupXid: string }[];
  [field: string]: unknown;
}

/** A group in the batch V2 file's shape: `xid` is the key a rerun updates it by. */
export interface BatchGroupRecord {
  type: string;
  name: string;
  xid: string;
  associatedGroupXid?: string[];
  associatedIndicators?: { summary: string; indicatorType: string }[];
  attribute?: BatchIndicatorRecord['attribute'];
  tag?: { name: string }[];
  securityLabel?: BatchIndicatorRecord['securityLabel'];
  [field: string]: unknown;
}

/** What `tc.batch()` takes: SDK objects or plain batch records. */
export type BatchInputRecord = Indicator | Group | BatchIndicatorRecord | BatchGroupRecord;

/** A progress event (`onProgress`), for a progress bar or a log line. */
export interface BatchProgress {
  /** `job` a job was created and its file uploaded; `status` a poll answered; `done` a job completed; `skipped` a job the state file shows as completed. */
  phase: 'job' | 'status' | 'done' | 'skipped';
  /** 0-based number of the job. */
  jobIndex: number;
  batchId: number | undefined;
  /** The job's status as last read. */
  status: string | undefined;
  /** Input records read so far. */
  recordsRead: number;
  succeeded: number;
  failed: number;
  unprocessed: number;
}

/** Options of `tc.batch(owner, records, options)` (decisions.md 1.8). */
export interface BatchOptions {
  /** @default 'Create' (which also updates) */
  action?: BatchAction | undefined;
  /** Stop at the first error: the rest of that job, and every later job, is unprocessed. @default false */
  haltOnError?: boolean | undefined;
  /** @default 'Replace' */
  attributeWriteType?: BatchAttributeWriteType | undefined;
  /** @default 'Replace' */
  tagWriteType?: BatchMetadataWriteType | undefined;
  /** @default 'Replace' */
  securityLabelWriteType?: BatchMetadataWriteType | undefined;
  /** @default 'FavorIncoming' */
  hashCollisionMode?: BatchHashCollisionMode | undefined;
  /** @default 'Merge' */
  fileMergeMode?: BatchFileMergeMode | undefined;
  /** A JSON file recording each job; a rerun with the same input skips the jobs it shows completed. */
  stateFile?: string | undefined;
  /** Cancels the run, including the waits between polls. */
  signal?: AbortSignal | undefined;
  /** Called as jobs are created, uploaded, polled and completed. */
  onProgress?: ((event: BatchProgress) => void) | undefined;
}

/** One job of a batch run: its id, final status and counts. */
export interface BatchJobResult {
  batchId: number;
  status: string;
  successCount: number;
  errorCount: number;
  unprocessCount: number;
}

/** A record that failed: its 0-based index in the input, the record, a code and the reason. */
export interface BatchRecordError {
  /** The record's 0-based position in the input; -1 for a server error that names no input record. */
  index: number;
  /** The input record (undefined for index -1). */
  record: BatchInputRecord | undefined;
  /** The server's error code (`0x1001`), or `TC_VALIDATION` for a record refused before sending. */
  code: string;
  reason: string;
}

/** What `tc.batch()` resolves to: the jobs, the counts, and every error mapped to its input record. */
export interface BatchResult {
  jobs: BatchJobResult[];
  succeeded: number;
  /** Records that failed: refused locally, or reported by the server. */
  failed: number;
  /** Records not processed: after a halt, in the halted job and in the jobs never sent. */
  unprocessed: number;
  errors: BatchRecordError[];
}
