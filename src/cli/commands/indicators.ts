/** `threatconnect indicators`: streams indicators, filtered, in a format (decisions.md 4). */
import { Command, Option } from 'commander';
import { IndicatorType } from '../../index.js';
import { addConnectionOptions } from '../connection.js';
import { addFilterOptions, applyFilters } from '../filter-flags.js';
import { isoDate } from '../parsers.js';
import { action, type CommandContext } from './context.js';
import { addListingOptions, type ListingFlags, runListing } from './listing.js';

export const INDICATOR_TYPE_FLAGS = {
  address: IndicatorType.ADDRESSES,
  emailAddress: IndicatorType.EMAIL_ADDRESSES,
  file: IndicatorType.FILES,
  host: IndicatorType.HOSTS,
  url: IndicatorType.URLS,
} as const;

type TypeName = keyof typeof INDICATOR_TYPE_FLAGS;
const TYPES = INDICATOR_TYPE_FLAGS;

interface IndicatorsFlags extends ListingFlags {
  type?: TypeName;
  modifiedSince?: string;
}

export function indicatorsCommand(context: CommandContext): Command {
  const command = new Command('indicators')
    .description('list indicators, filtered, as JSON lines (or --format) on stdout or in --output')
    .addOption(new Option('--type <type>', 'one indicator type').choices(Object.keys(TYPES)))
    .option(
      '--modified-since <iso>',
      'only indicators modified since this time',
      isoDate('--modified-since'),
    );
  addListingOptions(command);
  addFilterOptions(command, 'indicators');
  addConnectionOptions(command).addHelpText(
    'after',
    `
Examples:
  threatconnect indicators --sandbox --owner 'Example Community' --tag APT
  threatconnect indicators --type host --pf-rating '>=3' --pf-date-added '>2024-01-01T00:00:00Z'
  threatconnect indicators --threat-id 38 --security-label 'TLP Red' --format json --output red.json
  threatconnect indicators --modified-since 2024-06-01T00:00:00Z --limit 100 --report`,
  );
  return command.action(
    action<IndicatorsFlags>(context, 'indicators', (flags, cmd) =>
      runListing(context, cmd, flags, {
        name: 'indicators',
        kind: 'indicator',
        stream: (tc, signal) => {
          const container = tc.indicators();
          if (flags.modifiedSince !== undefined) container.setModifiedSince(flags.modifiedSince);
          const type = flags.type;
          applyFilters(flags, 'indicators', {
            newFilter: () => (type === undefined ? container.addFilter() : container.addFilter(TYPES[type])),
            // A type needs a filter object even without filters: it selects the typed listing.
            always: type !== undefined,
            where: type === undefined ? 'without --type' : `with --type ${type}`,
            command: cmd,
          });
          return container.stream({
            signal,
            ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
          });
        },
      }),
    ),
  );
}
