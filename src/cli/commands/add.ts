/**
 * `threatconnect add indicator` and `add group` (decisions.md 4) need the SDK's write side for
 * indicators and groups, which is not built yet. They are registered so that `--help` lists them and
 * a script gets a clear error (exit 1) rather than "unknown command".
 */
import { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { action, type CommandContext } from './context.js';

function notYet(context: CommandContext, name: string, usage: string, description: string): Command {
  return new Command(name)
    .description(`${description} (not available yet)`)
    .usage(usage)
    .argument('[args...]')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(
      action(context, `add ${name}`, () => {
        throw new CliError(
          `add ${name}`,
          `not available yet: it needs the SDK's ${name} write side, which a later version adds`,
        );
      }),
    );
}

export function addCommand(context: CommandContext): Command {
  return new Command('add')
    .description('create an indicator or a group (not available yet)')
    .addCommand(
      notYet(
        context,
        'indicator',
        'VALUE [--type T] [--owner O] [--rating R] [--confidence C] [--description D] [--tag T...] [--security-label L]',
        'create an indicator',
      ),
    )
    .addCommand(
      notYet(context, 'group', 'TYPE NAME [--owner O] [--tag T...] [type fields]', 'create a group'),
    );
}
