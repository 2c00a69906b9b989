/**
 * `sync --syslog URL`: the run's lines to a syslog collector.
 *
 * ┌─────────────────────────────────────────────────────────────────────────────────────────────┐
 * │ MERGE POINT (temporary stub). The syslog delivery (`createSyslogSink(url, options)` in        │
 * │ src/delivery/, `addSyslogOptions(command)` / `openSyslogOutput(opts)` in                      │
 * │ src/cli/syslog-options.ts) is built on another branch. Until it is merged, `--syslog` is a    │
 * │ usage error. To connect it: call `addSyslogOptions(command)` in commands/sync.ts (see the     │
 * │ marked line there), and make {@link openSyncSyslogSink} return                               │
 * │ `ackedStreamSink(await openSyslogOutput(flags))` (src/sync/acked-stream-sink.ts).             │
 * └─────────────────────────────────────────────────────────────────────────────────────────────┘
 */
import type { Command } from 'commander';
import type { SyncSink } from '../sync/sink.js';

/** Refuses `--syslog` before any request: a usage error (exit 2) in this build. */
export function checkSyslogAvailable(url: string, command: Command): void {
  command.error(`error: --syslog ${url}: syslog delivery is not available in this build`, { exitCode: 2 });
}

/** The syslog sink of a run; a usage error (exit 2) in this build. */
export function openSyncSyslogSink(
  url: string,
  _flags: Record<string, unknown>,
  command: Command,
): Promise<SyncSink> {
  return command.error(`error: --syslog ${url}: syslog delivery is not available in this build`, {
    exitCode: 2,
  });
}
