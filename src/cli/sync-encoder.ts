/**
 * The lines of `threatconnect sync`: changed indicators as `threatconnect indicators --format` prints
 * them (src/cli/formats.ts), and delete events in the same format (src/sync/delete-events.ts). With
 * `--deletions`, CSV gets a last column `deleted` (`false` on changes, `true` on deletions) so both
 * kinds of row share one header.
 */
import type { CompatMode, Indicator } from '../index.js';
import { deletionLine, type SyncFormat } from '../sync/delete-events.js';
import type { SyncEncoder } from '../sync/engine.js';
import { createWriter } from './formats.js';

const stripEnding = (line: string): { body: string; ending: string } => {
  const match = /\r?\n$/.exec(line);
  return match === null
    ? { body: line, ending: '\n' }
    : { body: line.slice(0, match.index), ending: match[0] };
};

export function createSyncEncoder(
  format: SyncFormat,
  options: { deletions: boolean; compat: CompatMode | undefined },
): SyncEncoder<Indicator> {
  const made = createWriter(format, { kind: 'indicator', compat: options.compat });
  if ('problem' in made) throw new Error(made.problem.message);
  const writer = made.writer;
  const header = writer.begin();
  const csvColumn = format === 'csv' && options.deletions;
  // The line ending of the format (CSV: CRLF, or LF in compat mode).
  const ending = format === 'csv' ? stripEnding(header).ending : '\n';
  return {
    header: () => {
      if (!csvColumn) return header;
      const { body, ending: end } = stripEnding(header);
      return `${body},deleted${end}`;
    },
    change: (record) => {
      const line = writer.record(record);
      if (!csvColumn) return line;
      const { body, ending: end } = stripEnding(line);
      return `${body},false${end}`;
    },
    deletion: (deleted) => `${deletionLine(format, deleted)}${ending}`,
  };
}
