/**
 * What `indicators` and `groups` share: the output options, and the run that streams a container's
 * records to stdout or an `--output` file with a progress counter, `--limit`, `--report` and
 * `--report-json`.
 */
import { type Command, Option } from 'commander';
import type { ThreatConnect } from '../../index.js';
import { CliError } from '../cli-error.js';
import { type Connection, type ConnectionFlags, checkOffline, connect } from '../connection.js';
import { type AnyRecord, createWriter, FORMAT_NAMES, type FormatName } from '../formats.js';
import { integer } from '../parsers.js';
import { batched } from '../batched.js';
import { checkWritable, openSink, writeFileAtomically } from '../output.js';
import { createProgress } from '../progress.js';
import type { RecordKind } from '../records.js';
import {
  addSyslogOptions,
  checkSyslogUsage,
  openSyslogOutput,
  type SyslogFlags,
  type SyslogOutput,
} from '../syslog-options.js';
import { type CommandContext, interrupted, isUsageError } from './context.js';

export interface ListingFlags extends ConnectionFlags, SyslogFlags {
  format: FormatName;
  output?: string;
  limit?: number;
  report?: boolean;
  reportJson?: string;
  [filter: string]: unknown;
}

/** `--format`, `--output`, `--limit`, `--report`, `--report-json`, and `--syslog` with its flags. */
export function addListingOptions(command: Command): Command {
  command
    .addOption(
      new Option('--format <name>', 'output format')
        .choices(FORMAT_NAMES)
        .default('jsonl' satisfies FormatName),
    )
    .option('--output <file>', 'write to this file, complete or not at all (default: stdout)')
    .option('--limit <n>', 'emit at most this many records, then stop', integer('--limit', 1))
    .option('--report', 'print the run report (report.stats) on stderr at the end')
    .option('--report-json <file>', 'write the run report as JSON (report.toJSON()) to this file');
  return addSyslogOptions(command);
}

/** A record's threat rating, which maps to the syslog severity (groups have none). */
function ratingOf(record: AnyRecord): number | null {
  const rating = (record as { rating?: unknown }).rating;
  return typeof rating === 'number' ? rating : null;
}

/** What a listing command supplies: the records it streams, once connected. */
export interface ListingSpec {
  readonly name: string;
  readonly kind: RecordKind;
  /** Builds the container and its filters (usage errors happen here), and returns its stream. */
  stream(tc: ThreatConnect, signal: AbortSignal): AsyncIterable<AnyRecord>;
}

/** Runs a listing command from its parsed flags. */
export async function runListing(
  context: CommandContext,
  command: Command,
  flags: ListingFlags,
  spec: ListingSpec,
): Promise<void> {
  const { io } = context;
  const made = createWriter(flags.format, { kind: spec.kind, compat: flags.compat });
  if ('problem' in made) {
    if (made.problem.reason === 'kind') command.error(`error: ${made.problem.message}`, { exitCode: 2 });
    throw new CliError(spec.name, made.problem.message);
  }
  const writer = made.writer;
  checkSyslogUsage(command, flags, flags.format);
  // Before any request: a folder that does not exist fails at once.
  if (flags.output !== undefined) checkWritable(spec.name, '--output', flags.output);
  if (flags.reportJson !== undefined) checkWritable(spec.name, '--report-json', flags.reportJson);
  // The filters first, on a client that sends nothing (the stream is never read).
  await checkOffline((offline) => spec.stream(offline, io.interrupt));
  const connection: Connection = await connect(flags, io, command, spec.name);
  context.baseUrl = connection.server;
  const { tc } = connection;
  let failure: unknown;
  try {
    const records = spec.stream(tc, io.interrupt);
    if (flags.report === true || flags.reportJson !== undefined) tc.reportEnable();
    const syslog: SyslogOutput | undefined =
      flags.syslog === undefined ? undefined : openSyslogOutput(io, spec.name, flags);
    const sink = syslog === undefined ? await openSink(io, spec.name, flags.output) : undefined;
    const progress = createProgress(io.stderr, {
      label: spec.name,
      total: flags.limit,
      dataToTerminal: flags.output === undefined && syslog === undefined && io.stdout.isTTY === true,
    });
    try {
      // The syslog formats have no text before or after the records (SYSLOG_FORMATS).
      const out = sink === undefined ? undefined : batched(sink);
      await out?.add(writer.begin());
      let count = 0;
      // Leaving the loop (at --limit) ends the stream, which aborts its requests in flight.
      for await (const record of records) {
        const text = writer.record(record);
        if (syslog !== undefined) await syslog.write(text, ratingOf(record));
        else {
          // Most records are only kept: no promise to wait for.
          const wait = out?.add(text);
          if (wait !== undefined) await wait;
        }
        progress.increment();
        count += 1;
        if (flags.limit !== undefined && count >= flags.limit) break;
      }
      await out?.add(writer.end());
      await out?.flush();
      progress.stop();
      await sink?.commit();
      const result = await syslog?.close();
      if (result !== undefined && result.resent > 0) {
        io.stderr.write(
          `threatconnect ${spec.name}: note: ${result.resent} syslog messages were sent again after a lost connection; the collector may hold duplicates of them\n`,
        );
      }
    } catch (error) {
      progress.stop();
      await sink?.abort();
      await syslog?.abort();
      throw io.interrupt.aborted ? interrupted() : error;
    }
  } catch (error) {
    failure = error;
  }
  try {
    // After the run, failed or not (a usage error aside): the report says how far it got.
    if (!isUsageError(failure)) await writeReports(context, spec.name, flags, tc);
  } catch (error) {
    failure ??= error;
  } finally {
    await connection.close();
  }
  if (failure !== undefined) throw failure as Error;
}

/** `--report` on stderr and `--report-json` to its file, after the run, failed or not. */
async function writeReports(
  context: CommandContext,
  name: string,
  flags: ListingFlags,
  tc: ThreatConnect,
): Promise<void> {
  if (flags.report === true) context.io.stderr.write(tc.report.stats);
  if (flags.reportJson !== undefined) {
    await writeFileAtomically(
      context.io,
      name,
      '--report-json',
      flags.reportJson,
      `${JSON.stringify(tc.report)}\n`,
    );
  }
}
