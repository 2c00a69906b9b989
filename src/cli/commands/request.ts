/** `threatconnect request METHOD URI`: one raw API call, or every page of a listing (decisions.md 4). */
import { readFileSync } from 'node:fs';
import { Argument, Command, InvalidArgumentError } from 'commander';
import { RequestObject, ValidationError } from '../../index.js';
import { CliError } from '../cli-error.js';
import { addConnectionOptions, type ConnectionFlags, connect } from '../connection.js';
import { checkWritable, openSink } from '../output.js';
import { text } from '../parsers.js';
import { action, type CommandContext, interrupted } from './context.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

interface RequestFlags extends ConnectionFlags {
  owner?: string;
  body?: string;
  contentType?: string;
  paginate?: boolean;
  throwOnError?: boolean;
  output?: string;
}

function method(value: string): string {
  const upper = value.toUpperCase();
  if (!METHODS.includes(upper)) throw new InvalidArgumentError(`METHOD must be one of ${METHODS.join(', ')}`);
  return upper;
}

function uri(value: string): string {
  if (!value.startsWith('/')) {
    throw new InvalidArgumentError('URI must be a path after the base URL, such as /v2/owners/mine');
  }
  return value;
}

/** `--body @FILE` reads the file's bytes; any other value is sent as text. */
function readBody(value: string): string | Buffer {
  if (!value.startsWith('@')) return value;
  const file = value.slice(1);
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new CliError('request', `cannot read --body @${file}: ${reason}`);
  }
}

export function requestCommand(context: CommandContext): Command {
  const command = new Command('request')
    .description('send one API request and print the response body (or every page with --paginate)')
    .addArgument(new Argument('<method>', 'GET, POST, PUT or DELETE').argParser(method))
    .addArgument(
      new Argument('<uri>', 'the path after the base URL, query included: /v2/owners/mine').argParser(uri),
    )
    .option('--owner <name>', 'the owner parameter', text('--owner'))
    .option('--body <@file|text>', 'request body: @FILE sends the file as it is, anything else as text')
    .option('--content-type <type>', 'Content-Type of the body (POST and PUT default to application/json)')
    .option('--paginate', 'page through a listing and print the items of every page as JSON lines')
    .option('--throw-on-error', 'exit 1 with the message when the status is not 200, 201 or 202')
    .option('--output <file>', 'write the body to this file, complete or not at all (default: stdout)');
  addConnectionOptions(command).addHelpText(
    'after',
    `
Examples:
  threatconnect request GET /v2/owners/mine
  threatconnect request GET /v2/indicators --owner 'Example Community' --paginate
  threatconnect request POST /v2/groups/threats --body '{"name":"New threat"}' --throw-on-error
  threatconnect request PUT /v2/groups/documents/19/upload --body @report.pdf --content-type application/octet-stream`,
  );
  return command.action(
    action<RequestFlags>(context, 'request', async (flags, cmd) => {
      const { io } = context;
      const [httpMethod, requestUri] = cmd.processedArgs as [string, string];
      if (flags.output !== undefined) checkWritable('request', '--output', flags.output);
      const ro = new RequestObject();
      try {
        ro.setHttpMethod(httpMethod).setRequestUri(requestUri);
        if (flags.owner !== undefined) ro.setOwner(flags.owner);
        if (flags.body !== undefined) ro.setBody(readBody(flags.body));
        if (flags.contentType !== undefined) ro.setContentType(flags.contentType);
      } catch (error) {
        if (error instanceof ValidationError) {
          cmd.error(`error: ${error.message.replace('`requestUri`', 'URI')}`, { exitCode: 2 });
        }
        throw error;
      }
      const connection = await connect(flags, io, cmd, 'request');
      context.baseUrl = connection.server;
      const { tc } = connection;
      try {
        const sink = await openSink(io, 'request', flags.output);
        try {
          if (flags.paginate === true) {
            for await (const item of tc.apiRequestPages(ro, { signal: io.interrupt }).items()) {
              await sink.write(`${JSON.stringify(item)}\n`);
            }
          } else {
            const response = await tc.apiRequest(ro, {
              stream: true,
              signal: io.interrupt,
              throwOnError: flags.throwOnError === true,
            });
            if (flags.debug === true) {
              const type = response.headers['content-type'] ?? 'no content type';
              io.stderr.write(
                `threatconnect request: HTTP ${response.status}, ${type}, ${response.attempts} attempt(s): ${httpMethod} ${response.url}\n`,
              );
            }
            // A success streams; a failing answer arrives buffered (decisions.md 1.4).
            if (response.ok) for await (const chunk of response.body) await sink.write(chunk as Buffer);
            else await sink.write(response.content);
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
