/** The errors of `threatconnect sync` that are not the SDK's: each maps to an exit code in the CLI. */

/** Another run holds the state's lock (exit code 3). */
export class SyncLockedError extends Error {
  readonly lockPath: string;

  constructor(message: string, lockPath: string) {
    super(message);
    this.name = 'SyncLockedError';
    this.lockPath = lockPath;
  }
}

/** The state file cannot be used: unreadable, of another version, or made for another selection. */
export class SyncStateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SyncStateError';
  }
}

/**
 * Thrown by a test's crash hook to stop a run in-process exactly where a SIGKILL would: the engine
 * runs no clean-up for it (no temporary file removed, no lock released, no state written).
 */
export class SimulatedCrash extends Error {
  readonly point: string;

  constructor(point: string) {
    super(`simulated crash at ${point}`);
    this.name = 'SimulatedCrash';
    this.point = point;
  }
}
