/** A task (rest-api-v2.md 8): read side, setters, metadata, associations, `commit()` and `delete()`. */
import { ValidationError } from '../core/errors.js';
import { describeValue } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { checkDate, checkText } from './checks.js';
import { FieldsItem, readLinkedWire } from './fields-item.js';
import type { ItemKind, Phase } from './item.js';
import { idTarget } from './targets.js';
import { readId, readString } from './values.js';
import type { Victim } from './victim.js';

function checkUsers(value: unknown, label: string): { userName: string }[] {
  if (!Array.isArray(value)) {
    throw new ValidationError(`${label} must be an array of user names, got ${describeValue(value)}`);
  }
  const names = value.map((user, i) => checkText(user, `${label}[${i}]`));
  // A user is assigned once: one named twice is sent once, where first named.
  return [...new Set(names)].map((userName) => ({ userName }));
}

/** A task (rest-api-v2.md 8): read side, setters, assignees and escalatees, associations, `commit()` and `delete()`. */
export class Task extends FieldsItem {
  declare dateAdded: string | undefined;
  declare lastModified: string | undefined;
  /** `status`, `dueDate`, `escalated`, `reminded`, `assignee`, … as read or set. */
  declare readonly fields: Record<string, unknown>;

  /**
   * @internal The SDK's way to make one ({@link parseTask}, `createTask()`): users get tasks from
   * `tc.tasks()`, and the published constructor is private, so that `new Task()` does not compile.
   */
  static create(id: number, context: ResourceContext, phase: Phase = 'clean'): Task {
    return new Task(id, context, phase);
  }

  private constructor(id: number, context: ResourceContext, phase: Phase) {
    super(id, context, phase);
    this.dateAdded = undefined;
    this.lastModified = undefined;
  }

  get itemKind(): ItemKind {
    return 'task';
  }

  /** Always `Task` (tasks have no type on the wire; post filters see this). */
  get type(): string {
    return 'Task';
  }

  /** `Not Started`, `In Progress`, `Completed`, `Waiting on Someone` or `Deferred`. */
  get status(): string | undefined {
    return readString(this.fields.status);
  }
  /** The due date as the server sent it (ISO 8601), if any. */
  get dueDate(): string | undefined {
    return readString(this.fields.dueDate);
  }

  // ---- setters ---------------------------------------------------------------------------------

  /** `Not Started`, `In Progress`, `Completed`, `Waiting on Someone` or `Deferred`. */
  setStatus(status: string): this {
    return this.storeField('status', checkText(status, 'status'), 'setStatus');
  }
  /** The task's description. */
  setDescription(description: string): this {
    if (typeof description !== 'string') {
      throw new ValidationError(`description must be a string, got ${describeValue(description)}`);
    }
    return this.storeField('description', description, 'setDescription');
  }
  /** The due date: an ISO 8601 string or a `Date`. */
  setDueDate(date: string | Date): this {
    return this.storeField('dueDate', checkDate(date, 'dueDate'), 'setDueDate');
  }
  /** The reminder date: an ISO 8601 string or a `Date`. */
  setReminderDate(date: string | Date): this {
    return this.storeField('reminderDate', checkDate(date, 'reminderDate'), 'setReminderDate');
  }
  /** The escalation date: an ISO 8601 string or a `Date`. */
  setEscalationDate(date: string | Date): this {
    return this.storeField('escalationDate', checkDate(date, 'escalationDate'), 'setEscalationDate');
  }
  /** The users the task is assigned to, by user name (replaces the list; a name given twice counts once). */
  setAssignees(userNames: readonly string[]): this {
    return this.storeField('assignee', checkUsers(userNames, 'assignees'), 'setAssignees');
  }
  /** The users the task escalates to, by user name (replaces the list; a name given twice counts once). */
  setEscalatees(userNames: readonly string[]): this {
    return this.storeField('escalatee', checkUsers(userNames, 'escalatees'), 'setEscalatees');
  }

  // ---- associations ----------------------------------------------------------------------------

  /** Queues `POST /v2/tasks/{id}/victims/{id}`. */
  associateVictim(victim: Victim | number): this {
    return this.queueAssociation('POST', 'associateVictim', idTarget('victims', victim));
  }

  /** Queues `DELETE /v2/tasks/{id}/victims/{id}`. */
  disassociateVictim(victim: Victim | number): this {
    return this.queueAssociation('DELETE', 'disassociateVictim', idTarget('victims', victim));
  }

  // ---- what commit() needs ---------------------------------------------------------------------

  protected itemPath(): string {
    return `/v2/tasks/${this.id}`;
  }

  protected get entityKey(): string {
    return 'task';
  }

  protected saveRequest(
    creating: boolean,
    changes: ReadonlyMap<string, unknown>,
  ): { path: string; body: Record<string, unknown> } {
    const body: Record<string, unknown> = creating && this.name !== undefined ? { name: this.name } : {};
    for (const [field, value] of changes) body[field] = value;
    return { path: creating ? '/v2/tasks' : this.itemPath(), body };
  }

  /** @internal */
  override readWire(item: Record<string, unknown>): void {
    // `lastModified` is read into its property and also left in `fields`.
    readLinkedWire(this, item, ['dateAdded']);
    this.dateAdded = readString(item.dateAdded) ?? this.dateAdded;
    this.lastModified = readString(item.lastModified) ?? this.lastModified;
  }
}

export function parseTask(item: Record<string, unknown>, context: ResourceContext): Task {
  const task = Task.create(readId(item.id), context);
  task.readWire(item);
  return task;
}
