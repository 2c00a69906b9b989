/** `threatconnect sandbox`: runs a local sandbox server until interrupted (decisions.md 2.1). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { type FaultConfig, parseFaultConfig } from '../sandbox/faults.js';

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

/** Reads `--faults` as inline JSON or `@file`, and checks it as `POST /_sandbox/faults` would. */
export function readFaults(value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new InvalidArgumentError(`--faults file cannot be read: ${(error as Error).message}`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidArgumentError(`--faults is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseFaultConfig(parsed);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
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
  faults?: FaultConfig;
  json?: boolean;
  seedOnly?: boolean;
}

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
    .option('--seed-only', 'build the --db file and exit')
    .action(async (flags: SandboxFlags, command: Command) => {
      if (flags.seedOnly === true && flags.db === undefined)
        command.error('error: --seed-only needs --db <file>', { exitCode: 2 });
      const { startSandbox } = await import('../sandbox/index.js');
      const sandbox = await startSandbox({
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
        ...(flags.faults === undefined ? {} : { faults: flags.faults }),
      });
      if (flags.seedOnly === true) {
        await sandbox.close();
        process.stderr.write(`Seeded ${flags.db ?? ''}\n`);
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
      const details = {
        baseUrl: sandbox.baseUrl,
        accessId: sandbox.accessId,
        secretKey: sandbox.secretKey,
        defaultOrg: sandbox.defaultOrg,
        apiToken: sandbox.apiToken,
        apiTokenExpires: sandbox.apiTokenExpires,
        ...(caCertFile === undefined ? {} : { caCertFile }),
      };
      if (flags.json === true) {
        process.stdout.write(`${JSON.stringify(details)}\n`);
      } else {
        const lines = [
          `TC_API_BASE_URL=${shellQuote(details.baseUrl)}`,
          `TC_API_ACCESS_ID=${shellQuote(details.accessId)}`,
          `TC_API_SECRET_KEY=${shellQuote(details.secretKey)}`,
          `TC_API_DEFAULT_ORG=${shellQuote(details.defaultOrg)}`,
          `TC_API_TOKEN=${shellQuote(details.apiToken)}`,
          `TC_API_TOKEN_EXPIRES=${details.apiTokenExpires}`,
          ...(caCertFile === undefined ? [] : [`TC_CA_CERT_FILE=${shellQuote(caCertFile)}`]),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.stderr.write(`threatconnect sandbox listening on ${sandbox.baseUrl} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sandbox.close();
    });
}

/** Single-quotes a value for a POSIX shell env file when it holds anything but safe characters. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=+-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
