/**
 * An error the CLI reports as one line on stderr, `threatconnect <command>: <message>`, with no stack
 * trace, and exits with `exitCode` (decisions.md 4: 1 error, 2 usage).
 */
export class CliError extends Error {
  readonly command: string;
  readonly exitCode: number;

  constructor(command: string, message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.command = command;
    this.exitCode = exitCode;
  }
}
