/**
 * `threatconnect document download ID` and `document upload NAME FILE`: a document's contents, streamed
 * down to stdout or an `--output` file, and a new document created with a file's contents.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Argument, Command } from 'commander';
import { RequestObject, type ThreatConnect } from '../../index.js';
import { CliError, describeError } from '../cli-error.js';
import { addConnectionOptions, type ConnectionFlags, connect } from '../connection.js';
import { checkWritable, openSink } from '../output.js';
import type { Io } from '../io.js';
import { integer, text } from '../parsers.js';
import { groupView } from '../records.js';
import { action, type CommandContext, interrupted } from './context.js';

interface DownloadFlags extends ConnectionFlags {
  owner?: string;
  output?: string;
}

interface UploadFlags extends ConnectionFlags {
  owner?: string;
  fileName?: string;
}

function downloadCommand(context: CommandContext): Command {
  const command = new Command('download')
    .description("write a document's contents to stdout or --output (streamed, byte for byte)")
    .addArgument(new Argument('<id>', 'the document id').argParser(integer('ID', 0)))
    .option('--owner <name>', 'the owner parameter', text('--owner'))
    .option('--output <file>', 'write to this file, complete or not at all (default: stdout)');
  addConnectionOptions(command).addHelpText(
    'after',
    `
Example:
  threatconnect document download 19 --output document-19.txt`,
  );
  return command.action(
    action<DownloadFlags>(context, 'document download', async (flags, cmd) => {
      const { io } = context;
      const [id] = cmd.processedArgs as [number];
      if (flags.output !== undefined) checkWritable('document download', '--output', flags.output);
      const connection = await connect(flags, io, cmd, 'document download');
      context.baseUrl = connection.server;
      try {
        const ro = new RequestObject()
          .setHttpMethod('GET')
          .setRequestUri(`/v2/groups/documents/${id}/download`);
        if (flags.owner !== undefined) ro.setOwner(flags.owner);
        const sink = await openSink(io, 'document download', flags.output);
        try {
          const response = await connection.tc.apiRequest(ro, {
            stream: true,
            throwOnError: true,
            signal: io.interrupt,
          });
          for await (const chunk of response.body) await sink.write(chunk as Buffer);
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

/** Reads the upload's file, or says why it cannot (exit 1). The whole file is held in memory. */
function readUpload(file: string): Buffer {
  let reason: string;
  try {
    if (statSync(file).isDirectory()) reason = 'it is a directory';
    else return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
  }
  throw new CliError('document upload', `cannot read ${file}: ${reason}`);
}

/** Deletes the document a failed upload created, so nothing half made is left; says how it went. */
async function removeCreated(tc: ThreatConnect, id: number, owner: string | undefined): Promise<string> {
  const ro = new RequestObject().setHttpMethod('DELETE').setRequestUri(`/v2/groups/documents/${id}`);
  if (owner !== undefined) ro.setOwner(owner);
  try {
    await tc.apiRequest(ro, { throwOnError: true });
    return `document ${id} was created, and deleted again`;
  } catch (error) {
    return `document ${id} was created and could not be deleted (${describeError(error)})`;
  }
}

/**
 * The document as the server has it after the upload (its `status` and `fileSize` are the server's),
 * read back through the SDK, so that it prints in the shape of `groups documents` and `add group`.
 * The upload succeeded either way: if that read fails, the create answer is printed with the file's
 * size and without its `status`, which the upload changed, and stderr says so.
 */
async function uploaded(
  tc: ThreatConnect,
  id: number,
  owner: string | undefined,
  created: Record<string, unknown>,
  size: number,
  io: Io,
): Promise<Record<string, unknown>> {
  try {
    const documents = tc.documents();
    const filter = documents.addFilter().addId(id);
    if (owner !== undefined) filter.addOwner(owner);
    await documents.retrieve({ signal: io.interrupt });
    const [document] = documents;
    if (document !== undefined) return groupView(document);
  } catch (error) {
    if (io.interrupt.aborted) throw error;
  }
  io.stderr.write(
    'threatconnect document upload: uploaded, but the document could not be read back; printed as created\n',
  );
  const rest: Record<string, unknown> = { ...created, fileSize: size };
  delete rest.status;
  return rest;
}

function uploadCommand(context: CommandContext): Command {
  const command = new Command('upload')
    .description('create a document named NAME with the contents of FILE; prints the new document')
    .argument('<name>', 'the document name')
    .argument('<file>', 'the file to upload (read into memory)')
    .option('--owner <name>', 'the owner to create it in (default: the default org)', text('--owner'))
    .option('--file-name <name>', "the document's fileName (default: FILE's base name)", text('--file-name'));
  addConnectionOptions(command).addHelpText(
    'after',
    `
Example:
  threatconnect document upload 'Quarterly report' report.pdf --owner 'Example Community'`,
  );
  return command.action(
    action<UploadFlags>(context, 'document upload', async (flags, cmd, [name, file]) => {
      const { io } = context;
      if (name === undefined || name.trim() === '')
        cmd.error('error: NAME must not be empty', { exitCode: 2 });
      const content = readUpload(file ?? '');
      const connection = await connect(flags, io, cmd, 'document upload');
      context.baseUrl = connection.server;
      const { tc } = connection;
      try {
        const create = new RequestObject()
          .setHttpMethod('POST')
          .setRequestUri('/v2/groups/documents')
          .setBody(JSON.stringify({ name, fileName: flags.fileName ?? path.basename(file ?? '') }));
        if (flags.owner !== undefined) create.setOwner(flags.owner);
        const created = await tc.apiRequest(create, { throwOnError: true, signal: io.interrupt });
        const document = created.json<{ data?: { document?: Record<string, unknown> & { id?: unknown } } }>()
          .data?.document;
        if (typeof document?.id !== 'number') {
          throw new CliError(
            'document upload',
            `the server's answer to the create names no document id: ${created.text().slice(0, 200)}`,
          );
        }
        const id = document.id;
        const upload = new RequestObject()
          .setHttpMethod('POST')
          .setRequestUri(`/v2/groups/documents/${id}/upload`)
          .setContentType('application/octet-stream')
          .setBody(content);
        if (flags.owner !== undefined) upload.setOwner(flags.owner);
        try {
          await tc.apiRequest(upload, { throwOnError: true, signal: io.interrupt });
        } catch (error) {
          const outcome = await removeCreated(tc, id, flags.owner);
          if (io.interrupt.aborted) {
            io.stderr.write(`threatconnect document upload: ${outcome}\n`);
            throw interrupted();
          }
          throw new CliError(
            'document upload',
            `the upload failed: ${describeError(error, { baseUrl: connection.server })}; ${outcome}`,
            1,
            {
              cause: error,
            },
          );
        }
        io.stdout.write(
          `${JSON.stringify(await uploaded(tc, id, flags.owner, document, content.byteLength, io))}\n`,
        );
      } finally {
        await connection.close();
      }
    }),
  );
}

export function documentCommand(context: CommandContext): Command {
  return new Command('document')
    .description("download a document's contents, or upload a file as a new document")
    .addCommand(downloadCommand(context))
    .addCommand(uploadCommand(context));
}
