/** The `threatconnect` program: its commands, and one run of it with given arguments and I/O. */
import { readFileSync } from 'node:fs';
import { type Command, Command as CommanderCommand, CommanderError } from 'commander';
import { redactText } from '../core/redact.js';
import { CliError } from './cli-error.js';
import { addCommand } from './commands/add.js';
import { batchCommand } from './commands/batch.js';
import { bulkCommand } from './commands/bulk.js';
import type { CommandContext } from './commands/context.js';
import { documentCommand } from './commands/document.js';
import { groupsCommand } from './commands/groups.js';
import { indicatorsCommand } from './commands/indicators.js';
import { ownersCommand } from './commands/owners.js';
import { requestCommand } from './commands/request.js';
import { syncCommand } from './commands/sync.js';
import type { Io } from './io.js';
import { stdoutFailure, watchStdout } from './output.js';
import { isRepeatable } from './parsers.js';
import { sandboxCommand } from './sandbox-command.js';

/**
 * The package's version, from the package.json two folders up: this module is `src/cli/program.ts` in
 * a checkout and `dist/cli/program.js` in a build or an installed package.
 */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  if (typeof version !== 'string') throw new Error('package.json has no version');
  return version;
}

/** Every command below `command`, itself included. */
function tree(command: Command): Command[] {
  return [command, ...command.commands.flatMap((c) => tree(c))];
}

/** The program for one run; `context` carries its I/O and receives its exit code. */
export function createProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new CommanderCommand('threatconnect')
    .description('ThreatConnect v2 command-line client and local sandbox')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError();
  program.addCommand(indicatorsCommand(context));
  program.addCommand(groupsCommand(context));
  program.addCommand(bulkCommand(context));
  program.addCommand(ownersCommand(context));
  program.addCommand(requestCommand(context));
  program.addCommand(documentCommand(context));
  program.addCommand(addCommand(context));
  program.addCommand(batchCommand(context));
  program.addCommand(syncCommand(context));
  program.addCommand(sandboxCommand());
  for (const command of tree(program)) {
    // Sub-commands do not inherit exitOverride or the output settings; every usage error must exit 2
    // (decisions.md 4), and everything must go to the run's streams.
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
    hideUnknownOptionValues(command);
    refuseRepeatedValues(command);
    if (command !== program && command.name() !== 'sandbox' && command.commands.length === 0) {
      command.showHelpAfterError(`(threatconnect ${fullName(command)} --help lists the options)`);
    } else if (command !== program && command.commands.length > 0) {
      // `add frob`, `document frob`: commander's one line names no command; the help lists them, as
      // the program's own help does after an unknown command.
      command.showHelpAfterError();
    }
  }
  return program;
}

/**
 * An option that takes one value, given twice, is a usage error: commander keeps the last value, so
 * `--type host --type address` listed addresses alone without a word. Options whose values are
 * collected (a filter flag given twice ORs its values) and flags without a value may repeat.
 */
function refuseRepeatedValues(command: Command): void {
  for (const option of command.options) {
    if (option.variadic || !(option.required || option.optional) || isRepeatable(option.parseArg)) continue;
    let seen = 0;
    command.on(`option:${option.name()}`, (value: unknown) => {
      // A file flag with an empty value names no file (it failed later, as "it is a directory").
      if (value === '' && option.flags.endsWith('<file>')) {
        command.error(`error: option '${option.flags}' needs a file name, got an empty value`, {
          exitCode: 2,
        });
      }
      seen += 1;
      if (seen > 1) {
        command.error(`error: option '${option.flags}' is given more than once; it takes one value`, {
          exitCode: 2,
        });
      }
    });
  }
}

/**
 * commander quotes an unknown option whole, with the value glued to it: `--secret-key=<the key>` (or
 * `--api-secret-key=…`, as a Python habit would write it) would print the secret key on stderr. The
 * value is cut from the message: `unknown option '--secret-key=…'`, and `'-k…'` for a short option.
 */
export function hideUnknownOptionValue(message: string): string {
  const quoted = /^(error: unknown option ')([\s\S]*)('[^']*)$/.exec(message);
  if (quoted === null) return message;
  const [, head = '', flag = '', tail = ''] = quoted;
  let shown = flag;
  if (flag.startsWith('--')) {
    const eq = flag.indexOf('=');
    if (eq >= 0) shown = `${flag.slice(0, eq)}=…`;
  } else if (flag.startsWith('-') && flag.length > 2) {
    shown = `${flag.slice(0, 2)}…`;
  }
  return `${head}${shown}${tail}`;
}

/**
 * The way out for a secret given as a flag (`--secret-key KEY`, `--api-token=…`), which commander
 * refuses as an unknown option without a suggestion (the `-file` flag is too far from the name).
 */
const SECRET_FLAG_HINTS: ReadonlyMap<string, string> = new Map([
  ...['--secret-key', '--api-secret-key', '--secret', '--api-secret'].map(
    (flag) =>
      [flag, 'put the key in a file and give --secret-key-file FILE, or set TC_API_SECRET_KEY'] as const,
  ),
  ...['--api-token', '--token'].map(
    (flag) => [flag, 'put the token in a file and give --api-token-file FILE, or set TC_API_TOKEN'] as const,
  ),
]);

/** `error: unknown option '--secret-key'` gains `(a secret is never a flag value: …)`. */
export function withSecretFlagHint(message: string): string {
  const flag = /^error: unknown option '(--[^'=]*)/.exec(message)?.[1];
  const hint = flag === undefined ? undefined : SECRET_FLAG_HINTS.get(flag.toLowerCase());
  if (hint === undefined) return message;
  const end = message.indexOf('\n');
  const first = end < 0 ? message : message.slice(0, end);
  return `${first} (a secret is never a flag value: ${hint})${end < 0 ? '' : message.slice(end)}`;
}

function hideUnknownOptionValues(command: Command): void {
  const error = command.error.bind(command);
  command.error = (message, options) =>
    error(
      options?.code === 'commander.unknownOption'
        ? withSecretFlagHint(hideUnknownOptionValue(message))
        : message,
      options,
    );
}

function fullName(command: Command): string {
  const names: string[] = [];
  for (let c = command; c.parent !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Runs the program with `argv` (as `process.argv`: node and script first) and resolves to the exit code. */
export async function runProgram(argv: readonly string[], io: Io): Promise<number> {
  watchStdout(io.stdout);
  const code = await run(argv, io);
  const failure = stdoutFailure(io.stdout);
  if (code !== 0 || failure === undefined) return code;
  io.stderr.write(`threatconnect: cannot write to stdout: ${failure.message}\n`);
  return 1;
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const context: CommandContext = { io, baseUrl: undefined, exitCode: 0 };
  const program = createProgram(context);
  try {
    await program.parseAsync([...argv]);
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Usage errors exit 2 (decisions.md 4); help and version exit 0.
      return error.exitCode === 1 ? 2 : error.exitCode;
    }
    if (error instanceof CliError) {
      // One line, no stack: the message names the flag or the resource at fault.
      io.stderr.write(`threatconnect ${error.command}: ${redactText(error.message)}\n`);
      return error.exitCode;
    }
    io.stderr.write(`threatconnect: ${redactText(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
}
