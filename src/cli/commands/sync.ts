/**
 * `threatconnect sync --state FILE`: what changed since the last run, delivered exactly once to a
 * file (or to syslog), with deletions on request (decisions.md 4; docs/sync.md). Quiet on success
 * unless `--verbose`; one line on stderr and a non-zero code on failure; exit 3 when another run
 * holds the state's lock.
 */
import { Command, Option } from 'commander';
import type { Indicator, ThreatConnect } from '../../index.js';
import { SYNC_FORMATS, type SyncFormat } from '../../sync/delete-events.js';
import { runSync, type SyncResult } from '../../sync/engine.js';
import { SyncLockedError, SyncStateError } from '../../sync/errors.js';
import { crashHookFromEnv, KILL_AT_VARIABLE } from '../../sync/crash-env.js';
import { openFileSink } from '../../sync/file-sink.js';
import { clientSource } from '../../sync/source.js';
import { writableSink } from '../../sync/stream-sink.js';
import { CliError } from '../cli-error.js';
import {
  addConnectionOptions,
  type Connection,
  type ConnectionFlags,
  checkOffline,
  connect,
} from '../connection.js';
import { addFilterOptions, applyFilters } from '../filter-flags.js';
import { checkWritable, isBrokenPipe, writeFileAtomically } from '../output.js';
import { integer } from '../parsers.js';
import { createSyncEncoder } from '../sync-encoder.js';
import { addSyslogOptions, checkSyslogUsage, type SyslogOutput } from '../syslog-options.js';
import { openSyncSyslogOutput, syncSyslogSink } from '../sync-syslog.js';
import { action, type CommandContext } from './context.js';
import { INDICATOR_TYPE_FLAGS } from './indicators.js';

type TypeName = keyof typeof INDICATOR_TYPE_FLAGS;

interface SyncFlags extends ConnectionFlags {
  state: string;
  type?: TypeName;
  format: SyncFormat;
  output?: string;
  syslog?: string;
  overlap: number;
  deletions?: boolean;
  dryRun?: boolean;
  verbose?: boolean;
  reportJson?: string;
  [filter: string]: unknown;
}

/** Flags that do not change what a run selects or how it prints it. */
const NOT_SELECTION = new Set([
  'state',
  'output',
  'syslog',
  'overlap',
  'dryRun',
  'verbose',
  'reportJson',
  'config',
  'baseUrl',
  'accessId',
  'defaultOrg',
  'secretKeyFile',
  'apiTokenFile',
  'sandbox',
  'proxy',
  'caCert',
  'insecure',
  'timeout',
  'retries',
  'retrySleep',
  'resultLimit',
  'concurrency',
  'logFile',
  'logLevel',
  'consoleLevel',
  'debug',
  'clientCert',
  'clientKey',
]);

/** The selection a state belongs to: filters, type, format, compat and deletions, in a stable order. */
export function selectionOf(flags: Record<string, unknown>): string {
  const entries = Object.entries(flags)
    .filter(([key, value]) => !NOT_SELECTION.has(key) && !key.startsWith('syslog') && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export function syncCommand(context: CommandContext): Command {
  const command = new Command('sync')
    .description('deliver the indicators changed since the last run, exactly once (docs/sync.md)')
    .requiredOption('--state <file>', 'the state file of this sync (a lock FILE.lock sits next to it)')
    .addOption(new Option('--type <type>', 'one indicator type').choices(Object.keys(INDICATOR_TYPE_FLAGS)))
    .addOption(
      new Option('--format <name>', 'output format')
        .choices(SYNC_FORMATS)
        .default('jsonl' satisfies SyncFormat),
    )
    .option(
      '--output <file>',
      'write each run to a new file FILE.<run>.<ext> (complete or not at all); - for stdout',
    )
    .option(
      '--overlap <seconds>',
      'window before the last run covered again, for clock skew and writes in flight',
      integer('--overlap', 0, 30 * 24 * 3600),
      300,
    )
    .option('--deletions', 'also emit a delete event for each indicator deleted since the last run')
    .option('--dry-run', 'print what would be sent on stdout; write nothing, leave the state as it is')
    .option('--verbose', 'print a summary of the run on stderr (quiet by default)')
    .option('--report-json <file>', 'write the run report as JSON (report.toJSON() plus a sync summary)');
  addSyslogOptions(command);
  addFilterOptions(command, 'indicators');
  addConnectionOptions(command).addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 error, 2 usage, 3 another sync holds the state's lock, 130 interrupted.

Examples:
  threatconnect sync --state /var/lib/tc/ti.state --owner 'Example Community' --format cef --output /var/spool/siem/ti.cef
  threatconnect sync --state ti.state --tag APT --format leef --deletions --output exports/ti.leef --verbose
  threatconnect sync --state ti.state --format jsonl --dry-run`,
  );
  return command.action(
    action<SyncFlags>(context, 'sync', (flags, cmd) => runSyncCommand(context, cmd, flags)),
  );
}

async function runSyncCommand(context: CommandContext, command: Command, flags: SyncFlags): Promise<void> {
  const { io } = context;
  const dryRun = flags.dryRun === true;
  if (flags.output !== undefined && flags.syslog !== undefined) {
    command.error('error: sync takes --output FILE or --syslog URL, not both', { exitCode: 2 });
  }
  if (flags.output === undefined && flags.syslog === undefined && !dryRun) {
    command.error('error: sync needs --output FILE or --syslog URL (or --dry-run)', { exitCode: 2 });
  }
  checkSyslogUsage(command, flags, flags.format);
  let crash;
  try {
    crash = crashHookFromEnv(io.env[KILL_AT_VARIABLE]);
  } catch (error) {
    command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
  }
  // Before any request: folders that do not exist fail at once.
  checkWritable('sync', '--state', flags.state);
  const toFile = flags.output !== undefined && flags.output !== '-';
  if (toFile && flags.output !== undefined) checkWritable('sync', '--output', flags.output);
  if (flags.reportJson !== undefined) checkWritable('sync', '--report-json', flags.reportJson);
  const encoder = createSyncEncoder(flags.format, {
    deletions: flags.deletions === true,
    compat: flags.compat,
  });

  const type = flags.type;
  /** The filter flags on `container`: usage errors come from here. */
  const applySyncFilters = (container: ReturnType<ThreatConnect['indicators']>): void => {
    applyFilters(flags, 'indicators', {
      newFilter: () =>
        type === undefined ? container.addFilter() : container.addFilter(INDICATOR_TYPE_FLAGS[type]),
      always: type !== undefined,
      where: type === undefined ? 'without --type' : `with --type ${type}`,
      command,
    });
  };
  // First on a client that sends nothing: a usage error before the connection and any --sandbox.
  await checkOffline((offline) => {
    applySyncFilters(offline.indicators());
  });
  const connection: Connection = await connect(flags, io, command, 'sync');
  context.baseUrl = connection.server;
  const { tc } = connection;
  let failure: unknown;
  let result: SyncResult | undefined;
  /** The collector of `--syslog`, opened with the run's sink and closed (acknowledged) at the end. */
  let syslog: SyslogOutput | undefined;
  try {
    if (flags.reportJson !== undefined) tc.reportEnable();
    const container = tc.indicators();
    applySyncFilters(container);
    const source = clientSource(tc, {
      changes: (modifiedSince, signal) => {
        if (modifiedSince !== undefined) container.setModifiedSince(modifiedSince);
        return container.stream({ signal });
      },
      owners: (flags.owner as string[] | undefined) ?? [],
      type: type === undefined ? undefined : INDICATOR_TYPE_FLAGS[type],
    });
    result = await runSync<Indicator>({
      statePath: flags.state,
      selection: selectionOf(flags),
      overlapSeconds: flags.overlap,
      deletions: flags.deletions === true,
      dryRun,
      source,
      encoder,
      openSink: (seq) => {
        if (dryRun || !toFile) {
          if (!dryRun && flags.syslog !== undefined) {
            syslog ??= openSyncSyslogOutput(io, flags);
            return Promise.resolve(syncSyslogSink(syslog));
          }
          return Promise.resolve(writableSink(io.stdout));
        }
        return openFileSink(flags.output as string, seq);
      },
      signal: io.interrupt,
      crash,
    });
    // Everything was acknowledged at the run's last commit; this ends the connection cleanly.
    await syslog?.close();
  } catch (error) {
    failure =
      !dryRun && !toFile && flags.syslog === undefined && isBrokenPipe(error)
        ? // Not the listings' quiet end: what the reader did not take was not delivered.
          new CliError(
            'sync',
            'stdout was closed before every change was delivered; the state was not advanced',
            1,
            {
              cause: error,
            },
          )
        : mapError(error);
    await syslog?.abort();
  }
  try {
    if (flags.reportJson !== undefined) {
      const report = JSON.parse(JSON.stringify(tc.report)) as Record<string, unknown>;
      await writeFileAtomically(
        io,
        'sync',
        '--report-json',
        flags.reportJson,
        `${JSON.stringify({ ...report, sync: result ?? null })}\n`,
      );
    }
  } catch (error) {
    failure ??= error;
  } finally {
    await connection.close();
  }
  if (failure !== undefined) throw failure as Error;
  if (result !== undefined && flags.verbose === true) io.stderr.write(summary(result));
}

function mapError(error: unknown): unknown {
  if (error instanceof SyncLockedError) return new CliError('sync', error.message, 3, { cause: error });
  if (error instanceof SyncStateError) return new CliError('sync', error.message, 1, { cause: error });
  return error;
}

/** The `--verbose` lines. */
function summary(r: SyncResult): string {
  const lines = r.notes.map((note) => `threatconnect sync: ${note}\n`);
  const total = r.changes + r.deletions;
  const where = r.dryRun
    ? 'printed (dry run: nothing delivered, state unchanged)'
    : r.output !== undefined
      ? `written to ${r.output}`
      : total === 0
        ? 'to deliver'
        : 'delivered';
  lines.push(
    `threatconnect sync: run ${r.seq}${r.since === null ? ' (first)' : ` since ${r.since}`}: ` +
      `${r.changes} change(s), ${r.deletions} deletion(s) ${where}; ` +
      `${r.skipped + r.skippedDeletions} already delivered skipped; next checkpoint ${r.checkpoint}\n`,
  );
  return lines.join('');
}
