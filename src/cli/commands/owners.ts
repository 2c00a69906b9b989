/** `threatconnect owners`: the owners the API user may access. */
import { Command, Option } from 'commander';
import { addConnectionOptions } from '../connection.js';
import { createWriter } from '../formats.js';
import { openSink } from '../output.js';
import type { OwnerRecord } from '../records.js';
import { action, type CommandContext, interrupted } from './context.js';
import type { ConnectionFlags } from '../connection.js';
import { connect } from '../connection.js';

interface OwnersFlags extends ConnectionFlags {
  format: 'jsonl' | 'json' | 'table';
  output?: string;
}

/** Aligned columns `ID NAME TYPE`, for people. */
function table(owners: readonly OwnerRecord[]): string {
  const rows = [['ID', 'NAME', 'TYPE'], ...owners.map((o) => [String(o.id), o.name ?? '', o.type ?? ''])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      `${(r[0] ?? '').padEnd(widths[0] ?? 0)}  ${(r[1] ?? '').padEnd(widths[1] ?? 0)}  ${r[2] ?? ''}`.trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

export function ownersCommand(context: CommandContext): Command {
  const command = new Command('owners')
    .description('list the owners (organizations and communities) the API user may access')
    .addOption(
      new Option('--format <name>', 'output format').choices(['jsonl', 'json', 'table']).default('jsonl'),
    )
    .option('--output <file>', 'write to this file, complete or not at all (default: stdout)');
  addConnectionOptions(command);
  return command.action(
    action<OwnersFlags>(context, 'owners', async (flags, cmd) => {
      const { io } = context;
      const connection = await connect(flags, io, cmd, 'owners');
      context.baseUrl = connection.server;
      try {
        const sink = await openSink(io, 'owners', flags.output);
        try {
          const owners = connection.tc.owners().stream({ signal: io.interrupt });
          if (flags.format === 'table') {
            // Owners are few: the table is built once all are known, to size its columns.
            const all: OwnerRecord[] = [];
            for await (const owner of owners) all.push(owner);
            await sink.write(table(all));
          } else {
            const made = createWriter(flags.format, { kind: 'owner', compat: flags.compat });
            if ('problem' in made) throw new Error(made.problem.message);
            await sink.write(made.writer.begin());
            for await (const owner of owners) await sink.write(made.writer.record(owner));
            await sink.write(made.writer.end());
          }
          await sink.commit();
        } catch (error) {
          await sink.abort();
          throw io.interrupt.aborted ? interrupted() : error;
        }
      } finally {
        await connection.close();
      }
    }),
  );
}
