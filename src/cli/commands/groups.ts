/** `threatconnect groups <type>`: streams groups of one type, or of every type (decisions.md 4). */
import { Argument, Command } from 'commander';
import type { ThreatConnect } from '../../index.js';
import { addConnectionOptions } from '../connection.js';
import { addFilterOptions, applyFilters } from '../filter-flags.js';
import { action, type CommandContext } from './context.js';
import { addListingOptions, type ListingFlags, runListing } from './listing.js';

const TYPES = [
  'adversaries',
  'campaigns',
  'documents',
  'emails',
  'incidents',
  'signatures',
  'threats',
  'all',
] as const;
type GroupTypeName = (typeof TYPES)[number];

function containerOf(tc: ThreatConnect, type: GroupTypeName) {
  switch (type) {
    case 'all':
      return tc.groups();
    case 'adversaries':
      return tc.adversaries();
    case 'campaigns':
      return tc.campaigns();
    case 'documents':
      return tc.documents();
    case 'emails':
      return tc.emails();
    case 'incidents':
      return tc.incidents();
    case 'signatures':
      return tc.signatures();
    case 'threats':
      return tc.threats();
  }
}

export function groupsCommand(context: CommandContext): Command {
  const command = new Command('groups')
    .description('list groups of one type (or all), filtered, as JSON lines (or --format)')
    .addArgument(new Argument('<type>', 'the plural group type').choices(TYPES));
  addListingOptions(command);
  addFilterOptions(command, 'groups');
  addConnectionOptions(command).addHelpText(
    'after',
    `
Examples:
  threatconnect groups adversaries --sandbox --owner 'Example Community' --pf-name 'Bad Guy'
  threatconnect groups all --indicator 10.20.30.40 --owner 'Example Community'
  threatconnect groups signatures --pf-file-type YARA --format json`,
  );
  return command.action(
    action<ListingFlags>(context, 'groups', (flags, cmd, [type]) =>
      runListing(context, cmd, flags, {
        name: 'groups',
        kind: 'group',
        stream: (tc, signal) => {
          const container = containerOf(tc, type as GroupTypeName);
          applyFilters(flags, 'groups', {
            newFilter: () => container.addFilter(),
            always: false,
            where: `with groups ${type ?? ''}`,
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
