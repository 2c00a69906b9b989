/**
 * What a command reads and writes besides its flags: the output streams, the environment, and the
 * interrupt. `main.ts` wires them to the process; tests run the program in-process with their own.
 */

/** A writable output: `process.stdout`, `process.stderr`, or a test's stream. */
export type OutputStream = NodeJS.WritableStream & { readonly isTTY?: boolean | undefined };

export interface Io {
  /** Data (records, response bodies). */
  readonly stdout: OutputStream;
  /** Messages, progress, `--report`. */
  readonly stderr: OutputStream;
  /** The environment the `TC_API_*`, `HTTPS_PROXY` and `NO_PROXY` variables are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Fires on SIGINT (or SIGTERM): commands stop, remove partial output and exit with {@link Io.interruptCode}. */
  readonly interrupt: AbortSignal;
  /** The exit code after an interrupt: 130 for SIGINT, 143 for SIGTERM. */
  interruptCode(): number;
  /**
   * Temporary `--output` files being written. `main.ts` removes any still listed when the process
   * exits, so even a forced exit leaves no partial file.
   */
  readonly tempFiles: Set<string>;
}
