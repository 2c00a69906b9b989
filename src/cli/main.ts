#!/usr/bin/env node
/** The `threatconnect` command-line program. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { sandboxCommand } from './sandbox-command.js';

/**
 * The package's version, from the package.json two folders up: this module is `src/cli/main.ts` in
 * a checkout and `dist/cli/main.js` in a build or an installed package.
 */
export function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  if (typeof version !== 'string') throw new Error('package.json has no version');
  return version;
}

export function createProgram(): Command {
  const program = new Command('threatconnect')
    .description('ThreatConnect v2 command-line client and local sandbox')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
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
    } else if (error instanceof CliError) {
      // One line, no stack: the message names the flag or the resource at fault.
      process.stderr.write(`threatconnect ${error.command}: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`threatconnect: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }
}

void main();
