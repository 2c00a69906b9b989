/**
 * A group (rest-api-v2.md 7): adversaries, campaigns, documents, emails, incidents, signatures and
 * threats. Read from list items and single objects, written back with each type's setters, metadata,
 * associations, `commit()` and `delete()` (sdk-behaviour.md 8.3; the fields and setters are in
 * group-fields.ts, the shared write side in item.ts),
 * and for documents and signatures their contents (`upload()`, `download()`; sdk-behaviour.md 5).
 */
import type { FormatOptions, RecordData } from '../formats/index.js';
import { FORMAT_RECORD, type GroupRecord } from '../formats/records.js';
import { clientCompat, groupOutput, groupRecord } from './output.js';
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { InvalidResponseError, ValidationError } from '../core/errors.js';
import type { ApiResponse } from '../core/response.js';
import { checkCallOptions, SIGNAL_OPTION, describeValue, isRecord } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { annotate } from './checks.js';
import type { CallOptions, ItemKind } from './item.js';
import { GroupFields, type GroupInit } from './group-fields.js';
import { AdversaryAssets } from './adversary-assets.js';
import { GROUP_KIND_BY_TYPE, type GroupKind } from './kinds.js';
import { idTarget } from './targets.js';
import { readLinkedWire } from './fields-item.js';
import { readId, readOptionalId, readString } from './values.js';
import type { Victim } from './victim.js';

/** The archive password ThreatConnect uses for malware documents, as the original defaulted it. */
export const DEFAULT_MALWARE_PASSWORD = 'TCinfected';

/** What a signature update sends again (rest-api-v2.md 7.1), read first when the object lacks one. */
const SIGNATURE_UPDATE_FIELDS = ['name', 'fileName', 'fileType'] as const;

/** Fields each type requires on create, besides `name` (rest-api-v2.md 7.1), with their setters. */
const REQUIRED: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  Document: [['fileName', 'setFileName']],
  Email: [
    ['subject', 'setSubject'],
    ['header', 'setHeader'],
    ['body', 'setBody'],
  ],
  Incident: [['eventDate', 'setEventDate']],
  Signature: [
    ['fileName', 'setFileName'],
    ['fileType', 'setFileType'],
    ['fileText', 'setFileText'],
  ],
};

/** A group of any type (adversary, campaign, document, e-mail, incident, signature, threat): fields, setters, metadata, associations, `commit()` and `delete()`. */
export class Group extends GroupFields {
  /**
   * @internal The SDK's way to make one ({@link parseGroup}, `createGroup()`): users get groups from a
   * container, and the published constructor is private, so that `new Group()` does not compile.
   */
  static create(init: GroupInit): Group {
    return new Group(init);
  }

  private constructor(init: GroupInit) {
    super(init);
  }

  // ---- output formats (decisions.md 3; groups have CSV, KeyVal and JSON) ----

  /** One CSV record (RFC 4180), no line ending. */
  get csv(): string {
    return groupOutput.csv(this, clientCompat(this));
  }
  /** The CSV header of groups. */
  get csvHeader(): string {
    return groupOutput.csvHeader(clientCompat(this));
  }
  /** Sorted `key="value"` pairs. */
  get keyval(): string {
    return groupOutput.keyval(this, clientCompat(this));
  }
  /** Compact JSON with sorted keys. */
  get json(): string {
    return groupOutput.json(this, clientCompat(this));
  }
  /** The object `json` prints. */
  get data(): RecordData {
    return groupOutput.data(this);
  }
  /** @internal The format record, so that `formatCsv(group)` and the streams print this object as `csv` does. */
  [FORMAT_RECORD](): GroupRecord {
    return groupRecord(this);
  }
  /** This group as one CSV row (`formatCsv`). */
  toCsv(options: FormatOptions = clientCompat(this)): string {
    return groupOutput.csv(this, options);
  }
  /** This group as one key=value line (`formatKeyval`). */
  toKeyval(options: FormatOptions = clientCompat(this)): string {
    return groupOutput.keyval(this, options);
  }
  /** This group as one JSON line (`formatJson`). */
  toJson(options: FormatOptions = clientCompat(this)): string {
    return groupOutput.json(this, options);
  }

  get itemKind(): ItemKind {
    return 'group';
  }

  get label(): string {
    const id = this.phase === 'new' ? '(new)' : String(this.id);
    return `${this.type} ${id} ${JSON.stringify(this.name ?? '')}`;
  }

  // ---- contents (documents and signatures) -----------------------------------------------------

  private contentsPath(method: string): string {
    if (this.type !== 'Document' && this.type !== 'Signature') {
      throw new ValidationError(
        `${method}() applies to Document and Signature groups only, not to ${this.label}`,
      );
    }
    return `${this.itemPath()}/${method}`;
  }

  /**
   * The content of a document (or a signature's text). On a new document the upload is queued (with a
   * copy of the bytes, so a buffer changed later does not change what is sent) and sent by `commit()`
   * right after the create (POST); a signal then belongs to `commit()`, and one given here is a
   * `ValidationError`. On a committed one it is sent at once, after any commit, delete or upload of
   * this object still running, and replaces the content (PUT). The bytes are sent as given
   * (`application/octet-stream`). Once sent, a signature's `fileText` is the text uploaded, and a
   * document's `fileSize` the bytes uploaded, its `status` unknown (undefined) until read again.
   */
  async upload(content: string | Uint8Array, options: CallOptions = {}): Promise<void> {
    checkCallOptions(options, 'upload', SIGNAL_OPTION);
    this.contentsPath('upload');
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
      throw new ValidationError(
        `content must be a string, Buffer or Uint8Array, got ${describeValue(content)}`,
      );
    }
    const size = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
    if (this.phase === 'new') {
      if (options.signal !== undefined) {
        throw new ValidationError(
          `${this.label}: upload() on a new document is sent by commit(), after the create; give the signal to commit() instead`,
        );
      }
      const bytes = typeof content === 'string' ? content : Buffer.from(content);
      this.unqueue('upload(');
      this.queue(
        `upload(${size} bytes)`,
        async (signal) => {
          await this.call('POST', this.contentsPath('upload'), {
            bytes,
            owner: this.requestOwner,
            signal,
          });
          this.uploaded(bytes, size);
        },
        'upload',
      );
      return;
    }
    this.assertCommitted('upload');
    await this.serialized(async () => {
      this.assertCommitted('upload');
      try {
        await this.call('PUT', this.contentsPath('upload'), {
          bytes: content,
          owner: this.requestOwner,
          signal: options.signal,
        });
      } catch (error) {
        throw annotate(error, `${this.label}: upload(${size} bytes) failed`);
      }
      // An upload still queued (a new document's, refused after its create) is older content: the
      // next commit() must not send it over this one.
      this.unqueue('upload(');
      this.uploaded(content, size);
    });
  }

  /** The fields an upload changed on the server, as they now are (what is known of them). */
  private uploaded(content: string | Uint8Array, size: number): void {
    if (this.type === 'Signature') {
      this.fields.fileText =
        typeof content === 'string'
          ? content
          : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
      return;
    }
    this.fields.fileSize = size;
    // Set by the server (`Success`, `In Progress`, …): not known until the document is read again.
    delete this.fields.status;
  }

  /** The content of a committed document (or a signature's text) as bytes, or as a stream. */
  download(options?: CallOptions & { stream?: false | undefined }): Promise<Buffer>;
  download(options: CallOptions & { stream: true }): Promise<Readable>;
  async download(options: CallOptions & { stream?: boolean | undefined } = {}): Promise<Buffer | Readable> {
    checkCallOptions(options, 'download', ['signal', 'stream']);
    const path = this.contentsPath('download');
    this.assertCommitted('download');
    const stream = options.stream === true;
    try {
      const response = await this.call('GET', path, {
        owner: this.requestOwner,
        signal: options.signal,
        stream,
      });
      return stream ? response.body : response.content;
    } catch (error) {
      throw annotate(error, `${this.label}: download failed`);
    }
  }

  /**
   * An adversary's assets (handles, phone numbers, URLs), read and written at once, not at `commit()`.
   * @throws {ValidationError} for another group type; its methods, for an adversary not committed yet.
   */
  assets(): AdversaryAssets {
    if (this.kind?.type !== 'Adversary') {
      throw new ValidationError(`assets() applies to adversaries only, not to ${this.label}`);
    }
    return new AdversaryAssets(this.context, () => {
      this.assertCommitted('assets');
      return `${this.itemPath()}/adversaryAssets`;
    });
  }

  // ---- associations ----------------------------------------------------------------------------

  /** Queues `POST {group}/victims/{id}`. */
  associateVictim(victim: Victim | number): this {
    return this.queueAssociation('POST', 'associateVictim', idTarget('victims', victim));
  }

  /** Queues `DELETE {group}/victims/{id}`. */
  disassociateVictim(victim: Victim | number): this {
    return this.queueAssociation('DELETE', 'disassociateVictim', idTarget('victims', victim));
  }

  // ---- what commit() needs ---------------------------------------------------------------------

  private branchName(): string {
    if (this.kind === undefined) {
      throw new ValidationError(
        `${this.label}: the SDK does not model the group type ${JSON.stringify(this.type)}`,
      );
    }
    return this.kind.branch;
  }

  protected itemPath(): string {
    return `/v2/groups/${this.branchName()}/${this.id}`;
  }

  protected get entityKey(): string {
    return this.kind?.entity ?? 'group';
  }

  protected override checkCreate(): void {
    this.branchName();
    const missing = (REQUIRED[this.type] ?? []).filter(([field]) => {
      const value = this.fields[field];
      return value === undefined || value === '';
    });
    if (this.name === undefined || this.name === '') missing.unshift(['name', 'setName']);
    if (missing.length > 0) {
      throw new ValidationError(
        `${this.label} cannot be created without ${missing.map(([f]) => f).join(', ')} (${missing.map(([, s]) => `${s}()`).join(', ')})`,
      );
    }
  }

  /**
   * A signature update resends `name`, `fileName` and `fileType` (rest-api-v2.md 7.1: "also required on
   * update"). A signature read from a listing lacks `fileName` (a typed listing gives `fileType` only,
   * the generic one neither), so the missing ones are read from the signature first; values set on
   * the object are kept.
   */
  protected override async prepareUpdate(signal: AbortSignal | undefined): Promise<void> {
    if (this.type !== 'Signature') return;
    const missing = SIGNATURE_UPDATE_FIELDS.filter((field) => {
      const value = field === 'name' ? this.name : this.fields[field];
      return value === undefined || value === '';
    });
    if (missing.length === 0) return;
    const label = this.label;
    let response: ApiResponse;
    try {
      response = await this.call('GET', this.itemPath(), { owner: this.requestOwner, signal });
    } catch (error) {
      throw annotate(error, `${label}: reading its ${missing.join(', ')} for the update failed`);
    }
    const item = response.json<{ data?: Record<string, unknown> }>().data?.signature;
    if (!isRecord(item)) {
      throw new InvalidResponseError(`${label}: the signature's answer has no data.signature object`, {
        status: response.status,
        contentType: response.headers['content-type'],
      });
    }
    for (const field of missing) {
      const value = readString(item[field]);
      if (value === undefined) continue;
      if (field === 'name') this.name = value;
      else this.fields[field] = value;
    }
  }

  protected saveRequest(
    creating: boolean,
    changes: ReadonlyMap<string, unknown>,
  ): { path: string; body: Record<string, unknown> } {
    const body: Record<string, unknown> = {};
    if (creating || this.type === 'Signature') {
      // A signature update needs its name, file name and file type again (rest-api-v2.md 7.1).
      if (this.name !== undefined) body.name = this.name;
      if (this.type === 'Signature') {
        if (this.fileName !== undefined) body.fileName = this.fileName;
        if (this.fileType !== undefined) body.fileType = this.fileType;
      }
    }
    for (const [field, value] of changes) body[field] = value;
    // A write that sets `malware` needs a password (rest-api-v2.md 7.1), an update as a create.
    if (body.malware === true && body.password === undefined) body.password = DEFAULT_MALWARE_PASSWORD;
    return { path: creating ? `/v2/groups/${this.branchName()}` : this.itemPath(), body };
  }

  protected applySaved(item: Record<string, unknown>): void {
    const id = readOptionalId(item.id);
    if (id !== undefined) this.id = id;
    readFields(this, item);
  }

  /** The same one line as `util.inspect` gives, for `String(x)` and template strings. */
  override toString(): string {
    return this[inspect.custom]();
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return `Group { id: ${this.id}, type: ${JSON.stringify(this.type)}, name: ${JSON.stringify(this.name ?? null)}, ownerName: ${JSON.stringify(this.ownerName ?? null)} }`;
  }
}

/** The wire keys a group reads into properties of its own besides the common ones (fields-item.ts). */
const OWN_KEYS = ['type', 'dateAdded'];

function readFields(group: Group, item: Record<string, unknown>): void {
  readLinkedWire(group, item, OWN_KEYS);
  group.dateAdded = readString(item.dateAdded) ?? group.dateAdded;
  group.lastModified = readString(item.lastModified) ?? group.lastModified;
}

/** A group from a wire item; `kind` names the type of a typed listing (whose items carry no `type`). */
export function parseGroup(item: Record<string, unknown>, context: ResourceContext, kind?: GroupKind): Group {
  const typeName = readString(item.type) ?? kind?.type ?? 'Group';
  const group = Group.create({
    id: readId(item.id),
    type: typeName,
    kind: kind ?? GROUP_KIND_BY_TYPE.get(typeName),
    context,
  });
  readFields(group, item);
  return group;
}
