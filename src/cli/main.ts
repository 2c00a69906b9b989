#!/usr/bin/env node
/** The `threatconnect` command-line program. */
import { Command, CommanderError } from 'commander';
import { sandboxCommand } from './sandbox-command.js';

export function createProgram(): Command {
  const program = new Command('threatconnect')
    .description('ThreatConnect v2 command-line client and local sandbox')
    .showHelpAfterError();
  program.addCommand(sandboxCommand());
  // Sub-commands do not inherit exitOverride; every usage error must exit 2 (decisions.md 4).
  for (const command of program.commands) command.exitOverride();
  return program;
}

async function main(): Promise<void> {
  const program = createProgram();
  program.exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Usage errors exit 2 (decisions.md 4); help and version exit 0.
      process.exitCode = error.exitCode === 1 ? 2 : error.exitCode;
    } else {
      process.stderr.write(`threatconnect: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}

void main();
