/** Types shared by the authenticators. */

/** One attempt of a token renewal (`GET /appAuth`), as the call that caused it records it. */
export interface RenewalAttempt {
  /** HTTP status of the answer, when there was one. */
  readonly status?: number;
  /** The failure, when the attempt got no HTTP answer. */
  readonly error?: Error;
  /** Milliseconds waited before this attempt (0 for the first). */
  readonly delayMs: number;
  /** Milliseconds from sending to the end of the answer (or the failure). */
  readonly durationMs: number;
}

/** What an authenticator knows of the call it signs for. */
export interface AuthCallContext {
  /** The call's signal: a caller that gives up stops waiting for a renewal. */
  readonly signal?: AbortSignal | undefined;
  /** Records a renewal attempt made on this call's behalf (it shows in the call's attempts). */
  readonly onRenewalAttempt?: ((attempt: RenewalAttempt) => void) | undefined;
}
