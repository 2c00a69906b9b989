/**
 * `threatconnect bulk OWNER`: streams an owner's bulk JSON report (rest-api-v2.md 11.1) as indicator
 * records, through the same output path as `indicators` (formats, `--output`, `--limit`, progress,
 * `--report`), in constant memory (decisions.md 4).
 */
import { Argument, Command } from 'commander';
import { addConnectionOptions } from '../connection.js';
import { action, type CommandContext } from './context.js';
import { addListingOptions, type ListingFlags, runListing } from './listing.js';

interface BulkFlags extends ListingFlags {
  runNow?: boolean;
}

export function bulkCommand(context: CommandContext): Command {
  const command = new Command('bulk')
    .description(
      "stream an owner's bulk report of indicators as JSON lines (or --format) on stdout or in --output",
    )
    .addArgument(new Argument('<owner>', 'the owner whose report to read'))
    .option('--run-now', 'ask the server to rebuild the report before sending it');
  addListingOptions(command);
  addConnectionOptions(command).addHelpText(
    'after',
    `
The report is one large JSON document that the server rebuilds daily (--run-now: at once); it is
read incrementally, an indicator at a time, so memory stays flat whatever its size.

Examples:
  threatconnect bulk 'Example Community' --sandbox --limit 5
  threatconnect bulk 'Example Org' --format cef --output example-org.cef
  threatconnect bulk 'Example Org' --run-now --format csv --report`,
  );
  return command.action(
    action<BulkFlags>(context, 'bulk', (flags, cmd, [owner]) => {
      if (owner === undefined || owner.trim() === '') {
        cmd.error('error: OWNER must be an owner name, got an empty one', { exitCode: 2 });
      }
      return runListing(context, cmd, flags, {
        name: 'bulk',
        kind: 'indicator',
        stream: (tc, signal) => tc.bulk(owner ?? '').json({ signal, runNow: flags.runNow === true }),
      });
    }),
  );
}
