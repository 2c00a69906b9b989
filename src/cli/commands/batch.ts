/**
 * `threatconnect batch FILE` (decisions.md 4): the records of FILE (a JSON array of batch V2 records,
 * a V2 file `{indicator, group}`, or JSON lines) written with `tc.batch()`. Progress goes to stderr on
 * a terminal; the summary (created, failed, unprocessed) and each failed record, with its index and
 * reason, go to stderr; the exit code is 1 when any record failed.
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { Command, Option } from 'commander';
import type { BatchProgress, BatchResult } from '../../index.js';
import { CliError } from '../cli-error.js';
import { addConnectionOptions, type ConnectionFlags, connect } from '../connection.js';
import { checkWritable, writeFileAtomically } from '../output.js';
import { text } from '../parsers.js';
import { action, type CommandContext, interrupted } from './context.js';

interface BatchFlags extends ConnectionFlags {
  owner?: string;
  action: 'create' | 'delete';
  haltOnError?: boolean;
  resume?: string;
  reportJson?: string;
}

/** A JSON lines record that is not JSON: passed on as its text, so it fails with its index. */
class BadLine {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {}
}

function checkFile(file: string): void {
  let reason: string;
  try {
    if (!statSync(file).isDirectory()) return;
    reason = 'it is a directory';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
  }
  throw new CliError('batch', `cannot read ${file}: ${reason}`);
}

/**
 * The first `count` non-blank lines of a file, read only as far as they go: JSON lines are then read
 * as they are needed, never whole.
 */
function firstLines(file: string, count: number): string[] {
  const fd = openSync(file, 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(64 * 1024);
  const lines: string[] = [];
  let parts: string[] = [];
  const push = (line: string): void => {
    if (line.trim() !== '') lines.push(line);
  };
  try {
    while (lines.length < count) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) {
        push(parts.join('') + decoder.end());
        break;
      }
      let text = decoder.write(buffer.subarray(0, read));
      for (let newline = text.indexOf('\n'); newline !== -1 && lines.length < count; ) {
        push(parts.join('') + text.slice(0, newline));
        parts = [];
        text = text.slice(newline + 1);
        newline = text.indexOf('\n');
      }
      parts.push(text);
    }
  } finally {
    closeSync(fd);
  }
  return lines.slice(0, count);
}

/**
 * Whether FILE is one JSON document (an array, or a V2 file `{indicator, group}`) rather than JSON
 * lines. A first line that is a whole JSON object starts JSON lines, unless it is the only line and
 * a V2 file; a single record on one line is JSON lines of one line.
 */
function isDocument(file: string): boolean {
  const [first, second] = firstLines(file, 2);
  const start = first?.trimStart().charAt(0);
  if (start === '[') return true;
  if (start !== '{' || first === undefined) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(first);
  } catch {
    // `{` alone, or a pretty-printed document: parsed (or refused) as a whole.
    return true;
  }
  if (second !== undefined) return false;
  return typeof parsed === 'object' && parsed !== null && ('indicator' in parsed || 'group' in parsed);
}

/** The records of a JSON document: an array, or a V2 file's groups then indicators. */
function documentRecords(file: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError('batch', `${file} is not JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null) {
    const v2 = parsed as { indicator?: unknown; group?: unknown };
    const groups = Array.isArray(v2.group) ? (v2.group as unknown[]) : [];
    const indicators = Array.isArray(v2.indicator) ? (v2.indicator as unknown[]) : [];
    if (groups.length + indicators.length > 0 || 'indicator' in v2 || 'group' in v2)
      return [...groups, ...indicators];
  }
  throw new CliError(
    'batch',
    `${file} holds neither a JSON array of records, a batch V2 file, nor JSON lines`,
  );
}

/** JSON lines, read as they are needed; blank lines are skipped. */
async function* lineRecords(file: string): AsyncGenerator {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line) as unknown;
    } catch (error) {
      yield new BadLine(number, `line ${number} is not JSON: ${(error as Error).message}`);
    }
  }
}

function summary(result: BatchResult, verb: string): string {
  const total = result.succeeded + result.failed + result.unprocessed;
  return `threatconnect batch: ${result.succeeded} ${verb}, ${result.failed} failed, ${result.unprocessed} unprocessed (${total} record${total === 1 ? '' : 's'}, ${result.jobs.length} job${result.jobs.length === 1 ? '' : 's'})\n`;
}

export function batchCommand(context: CommandContext): Command {
  const command = new Command('batch')
    .description('write the indicators and groups of FILE through the batch API, in jobs')
    .argument(
      '<file>',
      'a JSON array of batch V2 records, a batch V2 file, or JSON lines (one record a line)',
    )
    .option('--owner <name>', 'the owner to write to (default: the default org)', text('--owner'))
    .addOption(
      new Option('--action <action>', 'create (also updates) or delete')
        .choices(['create', 'delete'])
        .default('create'),
    )
    .option('--halt-on-error', 'stop at the first failed record; the rest is unprocessed')
    .option('--resume <state>', 'a state file: a rerun with the same FILE skips the jobs it shows completed')
    .option(
      '--report-json <file>',
      'write the result (jobs, counts, errors) and the run report as JSON to this file',
    );
  addConnectionOptions(command).addHelpText(
    'after',
    `
Examples:
  threatconnect batch indicators.jsonl --owner 'Example Community'
  threatconnect batch feed.json --halt-on-error --resume feed.state.json`,
  );
  return command.action(
    action<BatchFlags>(context, 'batch', async (flags, cmd) => {
      const { io } = context;
      const [file] = cmd.processedArgs as [string];
      checkFile(file);
      // Before any request: a run that wrote its records must not fail on its state or report file.
      if (flags.resume !== undefined) checkWritable('batch', '--resume', flags.resume);
      if (flags.reportJson !== undefined) checkWritable('batch', '--report-json', flags.reportJson);
      const records: Iterable<unknown> | AsyncIterable<unknown> = isDocument(file)
        ? documentRecords(file)
        : lineRecords(file);
      const connection = await connect(flags, io, cmd, 'batch');
      context.baseUrl = connection.server;
      const { tc } = connection;
      const showProgress = io.stderr.isTTY === true;
      const onProgress = (event: BatchProgress): void => {
        if (!showProgress || (event.phase !== 'job' && event.phase !== 'done' && event.phase !== 'skipped'))
          return;
        io.stderr.write(
          `batch: job ${event.jobIndex + 1} (id ${event.batchId ?? '?'}) ${event.phase === 'skipped' ? 'already completed' : (event.status ?? '')}; ${event.recordsRead} records read, ${event.succeeded} ok, ${event.failed} failed\n`,
        );
      };
      let result: BatchResult;
      try {
        if (flags.reportJson !== undefined) tc.reportEnable();
        result = await tc.batch(flags.owner ?? tc.config.defaultOrg, records as AsyncIterable<never>, {
          action: flags.action === 'delete' ? 'Delete' : 'Create',
          haltOnError: flags.haltOnError === true,
          stateFile: flags.resume,
          signal: io.interrupt,
          onProgress,
        });
      } catch (error) {
        throw io.interrupt.aborted ? interrupted() : error;
      } finally {
        await connection.close();
      }
      io.stderr.write(summary(result, flags.action === 'delete' ? 'deleted' : 'created'));
      for (const error of [...result.errors].sort((a, b) => a.index - b.index)) {
        const record = error.record as unknown;
        const reason = record instanceof BadLine ? record.reason : error.reason;
        io.stderr.write(
          `  record ${error.index}: ${reason}${error.code === 'TC_VALIDATION' ? '' : ` (${error.code})`}\n`,
        );
      }
      if (flags.reportJson !== undefined) {
        const errors = result.errors.map((e) => ({
          index: e.index,
          code: e.code,
          reason: e.record instanceof BadLine ? e.record.reason : e.reason,
        }));
        await writeFileAtomically(
          io,
          'batch',
          '--report-json',
          flags.reportJson,
          `${JSON.stringify({ ...result, errors, report: tc.report.toJSON() })}\n`,
        );
      }
      if (result.failed > 0) context.exitCode = 1;
    }),
  );
}
