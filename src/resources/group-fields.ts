/**
 * What a group holds (rest-api-v2.md 7): its type, common fields and type fields, as read or set, with
 * each type's setters. group.ts adds the outputs, contents, associations and what `commit()` sends.
 */
import { ValidationError } from '../core/errors.js';
import { describeValue } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { checkDate, checkText } from './checks.js';
import type { Phase } from './item.js';
import { LinkedItem } from './linked-item.js';
import type { GroupKind } from './kinds.js';
import { readNumber, readString } from './values.js';

/** Fields never stored in `fields` (write-only on the wire). */
const WRITE_ONLY = new Set(['password']);

function checkString(value: unknown, label: string): string {
  if (typeof value !== 'string')
    throw new ValidationError(`${label} must be a string, got ${describeValue(value)}`);
  return value;
}

/** @internal What a group is made from. */
export interface GroupInit {
  readonly id: number;
  readonly type: string;
  readonly kind: GroupKind | undefined;
  readonly context: ResourceContext;
  readonly phase?: Phase | undefined;
}

/** The fields and setters of {@link Group} (group.ts). */
export abstract class GroupFields extends LinkedItem {
  /** `Adversary`, `Campaign`, …; a type the SDK does not model keeps its name with no kind. */
  declare readonly type: string;
  declare readonly kind: GroupKind | undefined;
  declare name: string | undefined;
  declare dateAdded: string | undefined;
  declare lastModified: string | undefined;
  declare webLink: string | undefined;
  /** The type's own fields as read or set (`eventDate`, `fileName`, `fileType`, `fileSize`, `status`, `subject`, …). */
  declare readonly fields: Record<string, unknown>;

  /** @internal Built by {@link parseGroup} and by `createGroup()` (`container.add()`). */
  constructor(init: GroupInit) {
    // `new Group()` from plain JavaScript has no init: the base constructor names the mistake.
    const given = init as GroupInit | undefined;
    super(given?.id ?? Number.NaN, given?.context as ResourceContext, given?.phase ?? 'clean');
    this.type = init.type;
    this.kind = init.kind;
    this.name = undefined;
    this.dateAdded = undefined;
    this.lastModified = undefined;
    this.webLink = undefined;
    this.fields = {};
  }

  // ---- type fields, as read --------------------------------------------------------------------

  /** A signature's or document's file type, for `addPfFileType`. */
  get fileType(): string | undefined {
    return readString(this.fields.fileType);
  }
  /** Document and signature file name. */
  get fileName(): string | undefined {
    return readString(this.fields.fileName);
  }
  /** Document size in bytes (set by the server). */
  get fileSize(): number | undefined {
    return readNumber(this.fields.fileSize);
  }
  /** Document upload status or incident status. */
  get status(): string | undefined {
    return readString(this.fields.status);
  }
  /** Signature text. */
  get fileText(): string | undefined {
    return readString(this.fields.fileText);
  }
  /** Email subject. */
  get subject(): string | undefined {
    return readString(this.fields.subject);
  }
  /** Email header. */
  get header(): string | undefined {
    return readString(this.fields.header);
  }
  /** Email body. */
  get body(): string | undefined {
    return readString(this.fields.body);
  }
  /** Email sender. */
  get from(): string | undefined {
    return readString(this.fields.from);
  }
  /** Email recipient. */
  get to(): string | undefined {
    return readString(this.fields.to);
  }
  /** Email score (set by the server; read-only). */
  get score(): number | undefined {
    return readNumber(this.fields.score);
  }
  /** Incident event date. */
  get eventDate(): string | undefined {
    return readString(this.fields.eventDate);
  }
  /** Campaign first-seen date. */
  get firstSeen(): string | undefined {
    return readString(this.fields.firstSeen);
  }

  // ---- setters ---------------------------------------------------------------------------------

  private setField(field: string, value: unknown, method: string, types: readonly string[]): this {
    if (!types.includes(this.type)) {
      throw new ValidationError(
        `${method}() applies to ${types.join(' and ')} groups only, not to ${this.label}`,
      );
    }
    this.change(field, value, method);
    if (!WRITE_ONLY.has(field)) this.fields[field] = value;
    return this;
  }

  /** Document or signature file name (required on create). */
  setFileName(fileName: string): this {
    return this.setField('fileName', checkText(fileName, 'fileName'), 'setFileName', [
      'Document',
      'Signature',
    ]);
  }

  /** Marks a document as malware: its content must be a password-protected zip. */
  setMalware(malware: boolean): this {
    if (typeof malware !== 'boolean') {
      throw new ValidationError(`malware must be a boolean, got ${describeValue(malware)}`);
    }
    return this.setField('malware', malware, 'setMalware', ['Document']);
  }

  /** A malware document's archive password. @default 'TCinfected' when `setMalware(true)` */
  setPassword(password: string): this {
    return this.setField('password', checkText(password, 'password'), 'setPassword', ['Document']);
  }

  /** Email subject (required on create). */
  setSubject(subject: string): this {
    return this.setField('subject', checkText(subject, 'subject'), 'setSubject', ['Email']);
  }

  /** Email header (required on create). */
  setHeader(header: string): this {
    return this.setField('header', checkText(header, 'header'), 'setHeader', ['Email']);
  }

  /** Email body (required on create). */
  setBody(body: string): this {
    return this.setField('body', checkText(body, 'body'), 'setBody', ['Email']);
  }

  /** Email sender. */
  setFrom(from: string): this {
    return this.setField('from', checkString(from, 'from'), 'setFrom', ['Email']);
  }

  /** Email recipient. */
  setTo(to: string): this {
    return this.setField('to', checkString(to, 'to'), 'setTo', ['Email']);
  }

  /** Incident event date (required on create): an ISO 8601 string or a Date. */
  setEventDate(date: string | Date): this {
    return this.setField('eventDate', checkDate(date, 'eventDate'), 'setEventDate', ['Incident']);
  }

  /** Incident status (`New`, `Open`, `Stalled`, `Containment Achieved`, …, `Closed`). */
  setStatus(status: string): this {
    return this.setField('status', checkText(status, 'status'), 'setStatus', ['Incident']);
  }

  /** Campaign first-seen date: an ISO 8601 string or a Date. */
  setFirstSeen(date: string | Date): this {
    return this.setField('firstSeen', checkDate(date, 'firstSeen'), 'setFirstSeen', ['Campaign']);
  }

  /** Signature file type (`Snort`, `YARA`, …; required on create). */
  setFileType(fileType: string): this {
    return this.setField('fileType', checkText(fileType, 'fileType'), 'setFileType', ['Signature']);
  }

  /** Signature text (required on create). */
  setFileText(fileText: string): this {
    return this.setField('fileText', checkText(fileText, 'fileText'), 'setFileText', ['Signature']);
  }
}
