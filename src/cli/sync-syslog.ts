/**
 * `sync --syslog URL`: the run's lines to a syslog collector, through the same delivery as
 * `indicators --syslog` (src/cli/syslog-options.ts, src/delivery/). Each line is one message whose
 * severity comes from the indicator's rating; `commit()` is the sink's acknowledged flush, so the state
 * records only what the collector has confirmed (docs/sync.md, "Guarantees").
 */
import { CliError } from './cli-error.js';
import type { Io } from './io.js';
import { openSyslogOutput, type SyslogFlags, type SyslogOutput } from './syslog-options.js';
import type { SyncSink } from '../sync/sink.js';

/** A sync sink over an open syslog output, and the output itself (closed by the command at the end). */
export function syncSyslogSink(output: SyslogOutput): SyncSink {
  return {
    mode: 'stream',
    write: (line, rating) => output.write(line.replace(/\r?\n$/, ''), rating ?? undefined),
    // A message refused for --syslog-max-bytes was not delivered: the commit fails, so the state does
    // not record it (the run exits 1 and the next one, with a larger limit, sends it).
    commit: async () => {
      const result = await output.flush();
      if (result.refused > 0) {
        throw new CliError(
          'sync',
          `${result.refused} message(s) refused by --syslog-max-bytes were not delivered to ${output.url}; ` +
            'the state was not advanced (raise --syslog-max-bytes)',
        );
      }
    },
    abort: () => output.abort().catch(() => undefined),
  };
}

/** Opens the collector of `--syslog` with the `--syslog-*` flags. */
export function openSyncSyslogOutput(io: Io, flags: SyslogFlags): SyslogOutput {
  return openSyslogOutput(io, 'sync', flags);
}
