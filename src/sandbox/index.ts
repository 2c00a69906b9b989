/**
 * `threatconnect/sandbox`: a local ThreatConnect v2 API server backed by SQLite, for demos and tests.
 *
 * @example
 * const sandbox = await startSandbox({ seedIndicators: 100 });
 * // sandbox.baseUrl, sandbox.accessId, sandbox.secretKey, sandbox.defaultOrg
 * await sandbox.close();
 */
import type { FaultConfig } from './faults.js';
import { parseFaultConfig } from './faults.js';
import { type CustomIndicatorTypeDefinition, IndicatorTypeError, buildTypeTable } from './indicator-types.js';
import { Failure } from './reply.js';
import { sampleDataBatches } from './sample-data.js';
import { initialiseStore } from './seed.js';
import { startServer } from './server.js';
import { DEFAULT_LISTING_CACHE_BYTES, Store } from './store.js';
import type { Credentials } from './types.js';

export { sampleData, sampleDataBatches } from './sample-data.js';
export type * from './sample-types.js';
export type { FaultConfig, FaultRule, FaultKind } from './faults.js';
export type { CustomIndicatorTypeDefinition } from './indicator-types.js';
export { faultDraw } from './faults.js';
// The public declarations name no module that reaches better-sqlite3's types (store, server).
export type { Credentials } from './types.js';
export type { RequestLogEntry } from './request-log.js';

/** Options of {@link startSandbox}; unknown keys are refused. */
export interface SandboxOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** SQLite file; in memory when absent. An existing file is reused and never reseeded. */
  dbPath?: string;
  /** Generated indicators on top of the fixed records. @default 0 */
  seedIndicators?: number;
  /** Serve TLS with a self-signed certificate made at start. @default false */
  https?: boolean;
  /** Largest accepted `resultLimit`; above it a listing answers 400. @default 500 */
  maxResultLimit?: number;
  /** Fault configuration (decisions.md 2.3), as `POST /_sandbox/faults` takes it. */
  faults?: FaultConfig | Partial<FaultConfig>;
  /** The API user's access id (with `secretKey`); a new database makes random credentials without it. */
  accessId?: string;
  /** The API user's secret key (with `accessId`). */
  secretKey?: string;
  /** The API user's organization. @default 'Example Org' */
  defaultOrg?: string;
  /** Lifetime of issued tokens. @default 3600 */
  tokenTtlSeconds?: number;
  /** The server's base clock in ms; `/_sandbox/clock` adds an offset to it. @default Date.now */
  clock?: () => number;
  /** Largest JSON body. @default 1 MiB */
  maxBodyBytes?: number;
  /** Largest octet-stream upload. @default 100 MiB */
  maxUploadBytes?: number;
  /**
   * Uploads in progress at once; the next one answers 503 with `Retry-After: 1`. Each stages up to
   * `maxUploadBytes` in the database (in memory without `dbPath`) before it is accepted. @default 4
   */
  maxConcurrentUploads?: number;
  /**
   * Bound of the listing cache, which keeps the encoded JSON of listed indicators between writes
   * (docs/sandbox.md, "Listing cache"). 0 turns it off: a test and debugging option, under which every
   * listed item is built as an object and encoded with its page, as the cached texts must match.
   * @default 64 MiB
   */
  listingCacheBytes?: number;
  /**
   * Custom indicator types served besides the base types and ASN, in the shape
   * `/v2/types/indicatorTypes` lists them (`name`, `apiBranch`, `apiEntity`, `casePreference`,
   * `value1Label`… `value3Label`, `value1Type`…). They are kept in the database: a reused `dbPath`
   * knows them without the option, and the option replaces a kept type of the same name.
   */
  indicatorTypes?: CustomIndicatorTypeDefinition[];
  /**
   * The organization has anonymous membership: `/v2/owners/mine/members` answers the un-enveloped
   * `{anonymous, status, resultCount, members: [{pseudonym}]}` (rest-api-v2.md 5). @default false
   */
  anonymousMembers?: boolean;
}

/** A running sandbox: where it listens, the credentials to use, and `close()`. */
export interface Sandbox {
  /** The API's base URL, such as `http://127.0.0.1:41234/api`. */
  baseUrl: string;
  /** The API user's access id. */
  accessId: string;
  /** The API user's secret key. */
  secretKey: string;
  /** The API user's organization. */
  defaultOrg: string;
  /** An API token for the same user, valid until `apiTokenExpires`. */
  apiToken: string;
  /** Epoch seconds. */
  apiTokenExpires: number;
  /** A second user, `sandbox.restricted`, who sees `Example Org` only. */
  restrictedUser: Credentials;
  /** PEM text of the self-signed certificate, in HTTPS mode. */
  caCertificate?: string;
  /** Whether this start seeded the database (false when an existing `dbPath` was reused). */
  seeded: boolean;
  /**
   * Unexpected exceptions met while answering (a sandbox bug, or a damaged database). Each was
   * answered 500 with the failure envelope and written to stderr with its stack. Tests assert it is 0.
   */
  readonly internalErrors: number;
  /**
   * The indicators in the database at start. Listings show only the `active` ones; an inactive one is
   * found by its value. About 5% of the generated indicators are inactive, so `seedIndicators: 100000`
   * lists about 95,000 (docs/decisions.md).
   */
  indicators: {
    /** Every indicator in the database. */
    total: number;
    /** The active ones, which listings show. */
    active: number;
  };
  /** Stops listening, waits for open requests, and closes the database. */
  close(): Promise<void>;
}

const KNOWN_OPTIONS = new Set([
  'host',
  'port',
  'dbPath',
  'seedIndicators',
  'https',
  'maxResultLimit',
  'faults',
  'accessId',
  'secretKey',
  'defaultOrg',
  'tokenTtlSeconds',
  'clock',
  'maxBodyBytes',
  'maxUploadBytes',
  'maxConcurrentUploads',
  'listingCacheBytes',
  'indicatorTypes',
  'anonymousMembers',
]);

/** Errors in sandbox options. */
export class SandboxOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxOptionsError';
  }
}

function integerOption(
  options: SandboxOptions,
  key: keyof SandboxOptions,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SandboxOptionsError(
      `\`${key}\` must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Starts a sandbox server and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new SandboxOptionsError(`Unknown sandbox option \`${key}\``);
  }
  const seedIndicators = integerOption(options, 'seedIndicators', 0, 0, 10_000_000);
  const maxResultLimit = integerOption(options, 'maxResultLimit', 500, 1, 1_000_000);
  const port = integerOption(options, 'port', 0, 0, 65535);
  const tokenTtlSeconds = integerOption(options, 'tokenTtlSeconds', 3600, 1, 10 * 365 * 86400);
  const maxBodyBytes = integerOption(options, 'maxBodyBytes', 1024 * 1024, 1, 2 ** 31);
  const maxUploadBytes = integerOption(options, 'maxUploadBytes', 100 * 1024 * 1024, 1, 2 ** 40);
  const maxConcurrentUploads = integerOption(options, 'maxConcurrentUploads', 4, 1, 1000);
  const listingCacheBytes = integerOption(
    options,
    'listingCacheBytes',
    DEFAULT_LISTING_CACHE_BYTES,
    0,
    2 ** 40,
  );
  const defaultOrg = options.defaultOrg ?? 'Example Org';
  if (typeof defaultOrg !== 'string' || defaultOrg.trim() === '') {
    throw new SandboxOptionsError('`defaultOrg` must be a non-empty string');
  }
  if ((options.accessId === undefined) !== (options.secretKey === undefined)) {
    throw new SandboxOptionsError('`accessId` and `secretKey` must be given together');
  }
  // A value of the wrong type is refused rather than half-used: a non-string `host` made Node listen on
  // every interface, a non-boolean `https` served plain HTTP, a non-function `clock` failed later with a
  // TypeError, and an empty or numeric credential gave a user nobody could sign as.
  for (const key of ['host', 'dbPath', 'accessId', 'secretKey'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw new SandboxOptionsError(`\`${key}\` must be a non-empty string, got ${JSON.stringify(value)}`);
    }
  }
  if (options.https !== undefined && typeof options.https !== 'boolean') {
    throw new SandboxOptionsError(`\`https\` must be a boolean, got ${JSON.stringify(options.https)}`);
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new SandboxOptionsError('`clock` must be a function returning epoch milliseconds');
  }
  let faults: FaultConfig | undefined;
  if (options.faults !== undefined) {
    try {
      faults = parseFaultConfig(options.faults);
    } catch (error) {
      throw new SandboxOptionsError(error instanceof Failure ? error.message : String(error));
    }
  }

  const typeTable = (kept: unknown) => {
    try {
      return buildTypeTable(kept, options.indicatorTypes);
    } catch (error) {
      throw error instanceof IndicatorTypeError ? new SandboxOptionsError(error.message) : error;
    }
  };
  // Checked before the database is opened: a bad option never touches a file.
  typeTable(undefined);
  if (options.anonymousMembers !== undefined && typeof options.anonymousMembers !== 'boolean') {
    throw new SandboxOptionsError(
      `\`anonymousMembers\` must be a boolean, got ${JSON.stringify(options.anonymousMembers)}`,
    );
  }

  const { default: Database } = await import('better-sqlite3');
  const db = new Database(options.dbPath ?? ':memory:');
  // A new database gives freed pages back (Store.reclaimSpace), so that a --db file does not stay at
  // the size of its largest upload; this can only be set before the first table is created.
  if (db.pragma('page_count', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // The WAL file of a large upload's swap is cut back to this size at the next checkpoint.
  db.pragma(`journal_size_limit = ${8 * 1024 * 1024}`);
  const store = new Store(db, { listingCacheBytes });
  if (db.memory) store.stageOnDisk();
  const main: Credentials | undefined =
    options.accessId !== undefined && options.secretKey !== undefined
      ? { accessId: options.accessId, secretKey: options.secretKey }
      : undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const seeded = initialiseStore(
      store,
      () => sampleDataBatches(seedIndicators),
      main ? { main } : {},
      defaultOrg,
    );
    if (!seeded && options.seedIndicators !== undefined && options.dbPath !== undefined) {
      process.emitWarning(`Existing sandbox database ${options.dbPath} reused; seedIndicators ignored`, {
        code: 'TC_SANDBOX_REUSED',
      });
    }
    if (!seeded && main) {
      store.run(
        "UPDATE users SET access_id = ?, secret_key = ? WHERE role = 'main'",
        main.accessId,
        main.secretKey,
      );
    }
    store.anonymousMembers = options.anonymousMembers === true;
    const keptTypes = store.meta('indicatorTypes');
    store.indicatorTypes = typeTable(keptTypes === undefined ? undefined : JSON.parse(keptTypes));
    if (options.indicatorTypes !== undefined)
      store.setMeta('indicatorTypes', JSON.stringify(store.indicatorTypes.extraDefinitions()));
    // Chunks staged by an upload that a killed process never finished; no upload is running yet.
    if (!seeded) store.clearStagedUploads();
    const tls =
      options.https === true
        ? await (await import('./tls.js')).createSelfSignedCertificate(options.host ?? '127.0.0.1')
        : undefined;
    server = await startServer({
      store,
      limits: { maxResultLimit, maxBodyBytes, maxUploadBytes, maxConcurrentUploads },
      faults,
      clock: options.clock,
      tokenTtlSeconds,
      tls,
      host: options.host ?? '127.0.0.1',
      port,
    });
    const user = store.userByRole('main');
    const restricted = store.userByRole('restricted');
    const org = user ? store.ownerById(user.org_owner_id) : undefined;
    if (!user || !restricted || !org) throw new SandboxOptionsError('The sandbox database has no API users');
    const token = server.issueToken(user.id);
    const counts = store.get<{ total: number; active: number | null }>(
      'SELECT COUNT(*) AS total, SUM(active) AS active FROM indicators',
    );
    const running = server;
    const result: Sandbox = {
      baseUrl: `${server.origin}/api`,
      accessId: user.access_id,
      secretKey: user.secret_key,
      defaultOrg: org.name,
      apiToken: token.token,
      apiTokenExpires: token.expires,
      restrictedUser: { accessId: restricted.access_id, secretKey: restricted.secret_key },
      seeded,
      get internalErrors() {
        return running.internalErrors;
      },
      indicators: { total: counts?.total ?? 0, active: counts?.active ?? 0 },
      close: async () => {
        await running.close();
        db.close();
      },
    };
    if (tls) result.caCertificate = tls.cert;
    return result;
  } catch (error) {
    await server?.close();
    db.close();
    throw error;
  }
}
