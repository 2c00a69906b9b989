/** `threatconnect sandbox`: runs a local sandbox server until interrupted (decisions.md 2.1). */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
// Types only: the sandbox's code is loaded lazily, with import(), when the command runs (conventions.md 2.1).
import type { FaultConfig } from '../sandbox/index.js';
import { CliError } from './cli-error.js';
import { watchParent } from './parent-watch.js';

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value))
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/**
 * Reads `--faults` as inline JSON or `@file`. The configuration itself is checked when the command runs
 * (`checkFaults`), as `POST /_sandbox/faults` would, so that parsing the command line loads no sandbox code.
 */
export function readFaults(value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new InvalidArgumentError(`--faults file cannot be read: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidArgumentError(`--faults is not valid JSON: ${(error as Error).message}`);
  }
}

/** Checks a `--faults` configuration; a bad one is a usage error (exit code 2). */
async function checkFaults(faults: unknown, command: Command): Promise<FaultConfig> {
  const { parseFaultConfig } = await import('../sandbox/faults.js');
  try {
    return parseFaultConfig(faults);
  } catch (error) {
    return command.error(`error: option '--faults <json|@file>' is invalid. ${(error as Error).message}`, {
      exitCode: 2,
    });
  }
}

interface SandboxFlags {
  host: string;
  port: number;
  db?: string;
  seedIndicators: number;
  https?: boolean;
  maxResultLimit: number;
  maxConcurrentUploads: number;
  accessId?: string;
  secretKey?: string;
  defaultOrg?: string;
  faults?: unknown;
  json?: boolean;
  seedOnly?: boolean;
  writeEnv?: string;
  exitWithParent: boolean;
}

/** The connection details the command prints (decisions.md 2.1). */
export interface ConnectionDetails {
  baseUrl: string;
  accessId: string;
  secretKey: string;
  defaultOrg: string;
  apiToken: string;
  apiTokenExpires: number;
  caCertFile?: string;
}

/** The `startSandbox` option each flag sets, so that messages about an option name the flag instead. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  host: '--host',
  port: '--port',
  dbPath: '--db',
  seedIndicators: '--seed-indicators',
  https: '--https',
  maxResultLimit: '--max-result-limit',
  maxConcurrentUploads: '--max-concurrent-uploads',
  faults: '--faults',
  accessId: '--access-id',
  secretKey: '--secret-key',
  defaultOrg: '--default-org',
};

const COMMAND = 'sandbox';

export function sandboxCommand(): Command {
  // exitOverride: usage errors throw to main(), which maps them to exit code 2. A command added with
  // addCommand() does not inherit the program's exitOverride, and would otherwise exit 1 by itself.
  return new Command('sandbox')
    .description('run a local ThreatConnect v2 sandbox server with sample data until interrupted')
    .exitOverride()
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', integer('--port', 0, 65535), 0)
    .option('--db <file>', 'SQLite file; kept across restarts (in memory without it)')
    .option(
      '--seed-indicators <n>',
      'generated indicators besides the fixed records',
      integer('--seed-indicators', 0, 10_000_000),
      1000,
    )
    .option('--https', 'serve TLS with a self-signed certificate')
    .option(
      '--max-result-limit <n>',
      'largest accepted resultLimit',
      integer('--max-result-limit', 1, 1_000_000),
      500,
    )
    .option(
      '--max-concurrent-uploads <n>',
      'document uploads in progress at once; the next gets 503 with Retry-After',
      integer('--max-concurrent-uploads', 1, 1000),
      4,
    )
    .option('--access-id <id>', 'API access id (random when absent)')
    .option('--secret-key <key>', 'API secret key (sandbox only; random when absent)')
    .option('--default-org <name>', 'the API user organization', 'Example Org')
    .addOption(new Option('--faults <json|@file>', 'fault injection configuration').argParser(readFaults))
    .option('--json', 'print the connection details as one line of JSON')
    .addOption(
      new Option(
        '--write-env <file>',
        'once listening, also write the TC_API_* lines to this file (mode 0600; removed on a clean stop)',
      ).conflicts('seedOnly'),
    )
    .option('--no-exit-with-parent', 'keep serving when the process that started this one (such as npx) ends')
    .option('--seed-only', 'build the --db file and exit')
    .action(async (flags: SandboxFlags, command: Command) => {
      if (flags.seedOnly === true && flags.db === undefined)
        command.error('error: --seed-only needs --db <file>', { exitCode: 2 });
      // Checked here so that the message names the flags; startSandbox would name its options.
      if ((flags.accessId === undefined) !== (flags.secretKey === undefined))
        command.error('error: --access-id and --secret-key must be given together', { exitCode: 2 });
      if (flags.defaultOrg?.trim() === '')
        command.error('error: --default-org must not be empty', { exitCode: 2 });
      if (flags.db !== undefined) {
        const problem = pathProblem(flags.db);
        if (problem !== undefined) throw new CliError(COMMAND, `cannot open --db ${flags.db}: ${problem}`);
      }
      if (flags.writeEnv !== undefined) {
        const problem = pathProblem(flags.writeEnv);
        if (problem !== undefined)
          throw new CliError(COMMAND, `cannot write the --write-env file ${flags.writeEnv}: ${problem}`);
      }

      const faults = flags.faults === undefined ? undefined : await checkFaults(flags.faults, command);
      const { startSandbox, SandboxOptionsError } = await import('../sandbox/index.js');
      let sandbox: Awaited<ReturnType<typeof startSandbox>>;
      try {
        sandbox = await startSandbox({
          host: flags.host,
          port: flags.port,
          ...(flags.db === undefined ? {} : { dbPath: flags.db }),
          // The default of 1000 applies to a new database only; an explicit flag on a reused one gets a notice.
          ...(command.getOptionValueSource('seedIndicators') === 'default' &&
          flags.db !== undefined &&
          existsSync(flags.db)
            ? {}
            : { seedIndicators: flags.seedIndicators }),
          https: flags.https === true,
          maxResultLimit: flags.maxResultLimit,
          maxConcurrentUploads: flags.maxConcurrentUploads,
          ...(flags.accessId === undefined ? {} : { accessId: flags.accessId }),
          ...(flags.secretKey === undefined ? {} : { secretKey: flags.secretKey }),
          ...(flags.defaultOrg === undefined ? {} : { defaultOrg: flags.defaultOrg }),
          ...(faults === undefined ? {} : { faults }),
        });
      } catch (error) {
        if (error instanceof SandboxOptionsError) throw optionsError(error.message, flags);
        throw startError(error, flags) ?? error;
      }
      // Listings show only active indicators, so say how many there are (docs/decisions.md).
      const { total, active } = sandbox.indicators;
      const counts = `threatconnect sandbox: ${String(total)} indicators, ${String(active)} of them active; listings show only the active ones\n`;
      if (flags.seedOnly === true) {
        await sandbox.close();
        process.stderr.write(`${counts}Seeded ${flags.db ?? ''}\n`);
        return;
      }
      let caCertFile: string | undefined;
      if (sandbox.caCertificate !== undefined) {
        const port = new URL(sandbox.baseUrl).port;
        caCertFile = path.join(
          flags.db === undefined ? tmpdir() : path.dirname(path.resolve(flags.db)),
          `threatconnect-sandbox-${port}-ca.pem`,
        );
        writeFileSync(caCertFile, sandbox.caCertificate);
      }
      const details: ConnectionDetails = {
        baseUrl: sandbox.baseUrl,
        accessId: sandbox.accessId,
        secretKey: sandbox.secretKey,
        defaultOrg: sandbox.defaultOrg,
        apiToken: sandbox.apiToken,
        apiTokenExpires: sandbox.apiTokenExpires,
        ...(caCertFile === undefined ? {} : { caCertFile }),
      };
      const envText = envFileText(details);
      // Listening from here, before the env file is written and the details printed: a stop that comes
      // as soon as they are out (a test runner, a script's `kill`) must find the handlers in place.
      const stop = untilStopped(flags.exitWithParent);
      if (flags.writeEnv !== undefined) {
        try {
          writeFileAtomic(flags.writeEnv, envText);
        } catch (error) {
          stop.cancel();
          await sandbox.close();
          throw new CliError(
            COMMAND,
            `cannot write the --write-env file ${flags.writeEnv}: ${(error as Error).message}`,
          );
        }
      }
      // A server that lost the reader of its output keeps serving: it writes nothing that matters later.
      process.stdout.on('error', ignore);
      process.stderr.on('error', ignore);
      process.stdout.write(flags.json === true ? `${JSON.stringify(details)}\n` : envText);
      process.stderr.write(
        `${counts}threatconnect sandbox listening on ${sandbox.baseUrl} (Ctrl-C to stop)\n`,
      );

      const reason = await stop.stopped;
      if (reason !== undefined) process.stderr.write(`threatconnect sandbox: ${reason}; stopping\n`);
      await sandbox.close();
      if (flags.writeEnv !== undefined) removeIfUnchanged(flags.writeEnv, envText);
    });
}

function ignore(): void {
  // Nothing to do: see the caller.
}

/**
 * `stopped` resolves on SIGINT or SIGTERM (with undefined), or when the parent process ends (with a
 * message): `kill $!` after `npx threatconnect sandbox &` stops npm, and the sandbox must not outlive
 * it. `cancel()` removes the handlers (a start that fails after they were installed).
 */
function untilStopped(exitWithParent: boolean): { stopped: Promise<string | undefined>; cancel(): void } {
  let cancel = (): void => undefined;
  const stopped = new Promise<string | undefined>((resolve) => {
    const onSignal = (): void => {
      done(undefined);
    };
    const watch = exitWithParent
      ? watchParent((pid) => {
          done(`the parent process ${pid} ended`);
        })
      : undefined;
    const done = (reason: string | undefined): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      watch?.stop();
      resolve(reason);
    };
    cancel = () => {
      done(undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { stopped, cancel };
}

/** The `TC_API_*=…` lines, as printed on stdout and written by `--write-env`. */
export function envFileText(details: ConnectionDetails): string {
  const lines = [
    `TC_API_BASE_URL=${shellQuote(details.baseUrl)}`,
    `TC_API_ACCESS_ID=${shellQuote(details.accessId)}`,
    `TC_API_SECRET_KEY=${shellQuote(details.secretKey)}`,
    `TC_API_DEFAULT_ORG=${shellQuote(details.defaultOrg)}`,
    `TC_API_TOKEN=${shellQuote(details.apiToken)}`,
    `TC_API_TOKEN_EXPIRES=${details.apiTokenExpires}`,
    ...(details.caCertFile === undefined ? [] : [`TC_CA_CERT_FILE=${shellQuote(details.caCertFile)}`]),
  ];
  return `${lines.join('\n')}\n`;
}

/** Single-quotes a value for a POSIX shell env file when it holds anything but safe characters. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=+-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes `text` to a temporary file in the target's folder (mode 0600: it holds a secret), then
 * renames it over the target, so a reader sees either no file or the whole file.
 */
function writeFileAtomic(file: string, text: string): void {
  const target = path.resolve(file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    rmSync(temp, { force: true });
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Removes the env file on a clean stop, unless something else has replaced it meanwhile. */
function removeIfUnchanged(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
  } catch {
    // Already gone, or unreadable: leave it.
  }
}

/** Why `file` cannot be a file to open or create, or undefined when it looks usable. */
function pathProblem(file: string): string | undefined {
  try {
    if (statSync(file).isDirectory()) return 'it is a directory';
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return (error as Error).message;
  }
  const folder = path.dirname(path.resolve(file));
  try {
    return statSync(folder).isDirectory() ? undefined : `${folder} is not a directory`;
  } catch {
    return `the directory ${folder} does not exist`;
  }
}

/**
 * A `startSandbox` option error, reworded with the flag names: a usage error (exit 2). One that names
 * no option is about the database's content (such as another program's SQLite file).
 */
function optionsError(message: string, flags: SandboxFlags): CliError {
  const option = /`(\w+)`/g;
  const named = [...message.matchAll(option)].some((match) => FLAG_OF_OPTION[match[1] ?? ''] !== undefined);
  if (!named) {
    const text = flags.db === undefined ? message : `cannot open --db ${flags.db}: ${message}`;
    return new CliError(COMMAND, text);
  }
  return new CliError(
    COMMAND,
    message.replace(option, (whole, key: string) => FLAG_OF_OPTION[key] ?? whole),
    2,
  );
}

/** A one-line message for the failures a user can cause: the --db file, the port, the host. */
function startError(error: unknown, flags: SandboxFlags): CliError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (
    flags.db !== undefined &&
    (code.startsWith('SQLITE_') || error.message.startsWith('Cannot open database'))
  ) {
    return new CliError(COMMAND, `cannot open --db ${flags.db}: ${error.message}`);
  }
  const where = `port ${flags.port} on ${flags.host}`;
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(COMMAND, `${where} is already in use`);
    case 'EACCES':
      return new CliError(COMMAND, `cannot listen on ${where}: permission denied`);
    case 'EADDRNOTAVAIL':
      return new CliError(COMMAND, `cannot listen on ${flags.host}: no such address on this machine`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliError(COMMAND, `cannot listen on ${flags.host}: the host name cannot be resolved`);
    default:
      return undefined;
  }
}
