/** What every command's action shares: the run's I/O, and how its errors become exit codes. */
import { type Command, CommanderError } from 'commander';
import { CliError, describeError, describeErrorDetail, InterruptedError } from '../cli-error.js';
import type { Io } from '../io.js';
import { isBrokenPipe } from '../output.js';

/** One run of the program. */
export interface CommandContext {
  readonly io: Io;
  /** The API base URL once connected (and the proxy in between, if any), for connection failures. */
  baseUrl: string | undefined;
  /** The exit code the run ends with. */
  exitCode: number;
}

export function interrupted(): InterruptedError {
  return new InterruptedError();
}

/** A usage error thrown by commander (`command.error`, a bad flag): exit 2, already printed. */
export function isUsageError(error: unknown): boolean {
  return error instanceof CommanderError;
}

/**
 * Wraps a command's action: a commander usage error goes on to the program (exit 2), an interrupt
 * ends the run with 130 (or 143), and any other error is one line on stderr,
 * `threatconnect <name>: <message>`, exit 1 (a CliError's own code), with the detail under `--debug`.
 */
// F types the flags the caller's `run` receives (commander's `opts()`).
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function action<F extends { debug?: boolean }>(
  context: CommandContext,
  name: string,
  run: (flags: F, command: Command, args: string[]) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // commander calls an action with the arguments, then the options, then the command.
    const command = args[args.length - 1] as Command;
    const flags = command.opts<F>();
    const operands = args.slice(0, -2).map((a) => String(a));
    try {
      await run(flags, command, operands);
    } catch (error) {
      if (error instanceof CommanderError) throw error;
      if (isBrokenPipe(error)) {
        // The reader went away (`threatconnect indicators | head`): it has what it wanted.
        return;
      }
      if (error instanceof InterruptedError || context.io.interrupt.aborted) {
        context.io.stderr.write(`threatconnect ${name}: interrupted\n`);
        context.exitCode = context.io.interruptCode();
        return;
      }
      const exitCode = error instanceof CliError ? error.exitCode : 1;
      const where = error instanceof CliError ? error.command : name;
      context.io.stderr.write(
        `threatconnect ${where}: ${describeError(error, { baseUrl: context.baseUrl })}\n`,
      );
      if (flags.debug === true && !(error instanceof CliError && error.cause === undefined)) {
        context.io.stderr.write(describeErrorDetail(error instanceof CliError ? error.cause : error));
      }
      context.exitCode = exitCode;
    }
  };
}
