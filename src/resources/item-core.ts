/**
 * What indicators, groups, victims and tasks share on the write side (sdk-behaviour.md 8;
 * rest-api-v2.md 9, 10): a phase, the field changes a `commit()` sends, the queue of metadata and
 * association requests it sends after them, and `delete()`. Tags, attributes and labels are in
 * item.ts.
 *
 * `commit()` sends the create (POST) or update (PUT) first, then the queued requests in the order they
 * were made, each with the object's owner. Each queued request leaves the queue once the server has
 * accepted it. The first failure stops the commit and throws the typed error, its message prefixed
 * with the object and the step (`Host "x.example.com": addTag("APT") failed: …`); the steps before it
 * stay applied, the failed step and those after it stay queued (`pendingChanges`), and the next
 * `commit()` resumes with them. Nothing is rolled back, and nothing fails silently.
 */
import { InvalidResponseError, ValidationError } from '../core/errors.js';
import { type HttpMethod, RequestObject } from '../core/request-object.js';
import type { ApiResponse } from '../core/response.js';
import { checkCallOptions, SIGNAL_OPTION } from '../core/validators.js';

import { annotate } from './checks.js';
import type { ResourceType } from '../core/enums.js';
import type { Group } from './group.js';
import type { GroupKind } from './kinds.js';
// (targets.ts imports this module too; neither uses the other before a method runs.)
import { groupTarget } from './targets.js';
import { ItemState, type Step } from './item-state.js';
import { readSingleObject } from './values.js';

export type { Phase } from './item-state.js';

/** The four kinds of objects that carry metadata and associations. */
export type ItemKind = 'indicator' | 'group' | 'victim' | 'task';

/** Options of `commit()`, `delete()` and the loading methods. */
export interface CallOptions {
  /** Cancels the call: the step in flight is aborted and the rest stay queued. */
  readonly signal?: AbortSignal | undefined;
}

/** Options of {@link Item.call}. */
interface SendOptions {
  readonly owner?: string | undefined;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as is, `application/octet-stream`. */
  readonly bytes?: string | Uint8Array | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly stream?: boolean | undefined;
}

/** The far end of an association, resolved when its request is sent. */
export interface AssociationTarget {
  /** For messages and `pendingChanges`: `adversaries/5`. */
  readonly description: string;
  /** `/groups/adversaries/5`, `/indicators/hosts/x.example.com`, `/victims/10`. */
  suffix(): string;
  /** The owner the request names: an indicator's own (it picks the indicator), else the item's. */
  owner(): string | undefined;
}

/**
 * The write side shared by indicators, groups, victims and tasks: phase, queued work, commit, delete
 * and group associations, on the storage of item-state.ts (which says why helper methods here are
 * `private`, not `#private`). {@link Item} (item.ts) adds tags, attributes and security labels.
 */
export abstract class ItemCore extends ItemState {
  /** Which kind of object this is. */
  abstract get itemKind(): ItemKind;

  /**
   * What the next `commit()` will send, in order: `create` or `update (rating, confidence)`, then each
   * queued request (`addTag("APT")`, `associateGroup(adversaries/5)`, …).
   */
  get pendingChanges(): string[] {
    const out: string[] = [];
    if (this.phase === 'new') out.push('create');
    else if (this.phase === 'modified')
      out.push(`update (${[...(this.extrasIfAny()?.changes?.keys() ?? [])].join(', ')})`);
    for (const step of this.extrasIfAny()?.steps ?? []) out.push(step.description);
    return out;
  }

  /**
   * Drops the queued requests the next `commit()` would send (metadata, associations, uploads), but not
   * a pending create or update; returns what was dropped. For a step the server keeps refusing.
   */
  discardPending(): string[] {
    // Emptied in place, so a commit in flight sends none of these after its current step (it sends
    // the steps queued later).
    return (this.extrasIfAny()?.steps?.splice(0) ?? []).map((s) => s.description);
  }

  // ---- what each kind provides ------------------------------------------------------------------

  /** `Host "x.example.com"`, `Adversary 5 "Bad Guy"`: names the object in messages. */
  abstract get label(): string;

  /**
   * The item's path, e.g. `/v2/indicators/hosts/x.example.com` or `/v2/groups/adversaries/5`.
   * @throws {ValidationError} when the object cannot be addressed (a type the SDK does not model).
   */
  protected abstract itemPath(): string;

  /** The create (`creating`) or update request: path and JSON body. */
  protected abstract saveRequest(
    creating: boolean,
    changes: ReadonlyMap<string, unknown>,
  ): { path: string; body: Record<string, unknown> };

  /** The key of the saved object under `data` in the create and update answers. */
  protected abstract get entityKey(): string;

  /** Reads the fields of the object the server sent back after a create or update. */
  protected abstract applySaved(item: Record<string, unknown>): void;

  /** Checks the fields a create needs, before anything is sent. @throws {ValidationError} */
  protected checkCreate(): void {
    // Nothing by default.
  }

  /**
   * Runs before an update is built: a kind whose update must resend fields the object may not hold
   * (a signature read from a listing has no `fileName`) reads them here.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the kinds that read use the signal
  protected prepareUpdate(signal: AbortSignal | undefined): Promise<void> {
    return Promise.resolve();
  }

  /** The `owner` parameter of the object's own requests. */
  protected get requestOwner(): string | undefined {
    return this.ownerName;
  }

  // ---- helpers for the kinds -------------------------------------------------------------------

  /** Refuses changes to a deleted object. */
  protected assertNotDeleted(method: string): void {
    if (this.phase === 'deleted') {
      throw new ValidationError(`${this.label} was deleted: ${method}() cannot change it`);
    }
  }

  /**
   * Records a field for the create or update body; a clean object becomes modified.
   * @throws {ValidationError} for a deleted object, or one the client cannot address.
   */
  protected change(field: string, value: unknown, method: string): void {
    this.assertNotDeleted(method);
    this.itemPath();
    const work = this.extras();
    work.changes ??= new Map();
    work.changes.delete(field);
    work.changes.set(field, value);
    if (this.phase === 'clean') this.setPhase('modified');
  }

  /** Queues a request for `commit()`. */
  protected queue(description: string, run: Step['run'], method: string): void {
    this.assertNotDeleted(method);
    // An object the client cannot address (a type it does not know) fails here, not at commit().
    this.itemPath();
    const work = this.extras();
    work.steps ??= [];
    work.steps.push({ description, run });
  }

  /**
   * Drops queued steps whose description starts with `prefix` (a later `setDescription` wins). In
   * place: a commit in flight walks this same queue.
   */
  protected unqueue(prefix: string): void {
    const steps = this.extrasIfAny()?.steps;
    if (steps === undefined) return;
    for (let i = steps.length - 1; i >= 0; i -= 1) {
      if (steps[i]?.description.startsWith(prefix) === true) steps.splice(i, 1);
    }
  }

  /** Refuses what needs the object on the server. */
  protected assertCommitted(method: string): void {
    if (this.phase === 'new') {
      throw new ValidationError(`${this.label} has not been committed yet: commit() it before ${method}()`);
    }
    if (this.phase === 'deleted') throw new ValidationError(`${this.label} was deleted`);
  }

  /** One request through the client's requester; a non-2xx answer throws the typed ApiError. */
  protected call(method: HttpMethod, path: string, options: SendOptions = {}): Promise<ApiResponse> {
    const ro = new RequestObject().setHttpMethod(method).setRequestUri(path).setResourcePagination(false);
    if (options.owner !== undefined) ro.setOwner(options.owner);
    if (options.json !== undefined) {
      ro.setBody(JSON.stringify(options.json));
      ro.setContentType('application/json');
    } else if (options.bytes !== undefined) {
      ro.setBody(options.bytes);
      ro.setContentType('application/octet-stream');
    }
    return this.context.requester.request(ro, {
      throwOnError: true,
      signal: options.signal,
      stream: options.stream,
    });
  }

  /** Every item of a listing under the object (tags, attributes, labels). */
  protected async list(
    path: string,
    owner: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>[]> {
    const ro = new RequestObject().setHttpMethod('GET').setRequestUri(path);
    if (owner !== undefined) ro.setOwner(owner);
    const out: Record<string, unknown>[] = [];
    const pages = this.context.requester.pages<Record<string, unknown>>(ro, {
      signal,
      countsAsApiFilter: false,
    });
    for await (const item of pages.items()) out.push(item);
    return out;
  }

  /**
   * Queues `POST {item}/groups/{type}/{id}` (an indicator's, group's, victim's or task's path): with a
   * group object, or a group ResourceType and id.
   */
  associateGroup(group: Group): this;
  associateGroup(type: ResourceType | GroupKind, id: number): this;
  associateGroup(target: Group | ResourceType | GroupKind, id?: number): this {
    return this.queueAssociation('POST', 'associateGroup', groupTarget(target, id));
  }

  /** Queues `DELETE {item}/groups/{type}/{id}`. */
  disassociateGroup(group: Group): this;
  disassociateGroup(type: ResourceType | GroupKind, id: number): this;
  disassociateGroup(target: Group | ResourceType | GroupKind, id?: number): this {
    return this.queueAssociation('DELETE', 'disassociateGroup', groupTarget(target, id));
  }

  /** The path of an association with the target whose path segments are `suffix` (`/groups/threats/5`). */
  protected associationPath(suffix: string): string {
    return `${this.itemPath()}${suffix}`;
  }

  /** Queues an association (`POST`) or its removal (`DELETE`) with `target`. */
  protected queueAssociation(method: 'POST' | 'DELETE', name: string, target: AssociationTarget): this {
    this.queue(
      `${name}(${target.description})`,
      async (signal) => {
        await this.call(method, this.associationPath(target.suffix()), {
          owner: target.owner() ?? this.requestOwner,
          signal,
        });
      },
      name,
    );
    return this;
  }

  // ---- commit and delete -----------------------------------------------------------------------

  /** Runs `run` after the object's commits, deletes and uploads started before it, one at a time. */
  protected serialized<T>(run: () => Promise<T>): Promise<T> {
    const work = this.extras();
    const next = (work.chain ?? Promise.resolve()).then(run, run);
    work.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Creates (POST) or updates (PUT) the object if needed, then sends the queued requests in order.
   * @returns the object, with its real id after a create.
   * @throws {ValidationError} for a deleted object, or a new one missing a required field.
   * @throws {ApiError} (its subclass) for the first request the server refused, named in the message;
   *   what came before it is applied, it and what follows stay queued.
   */
  async commit(options: CallOptions = {}): Promise<this> {
    checkCallOptions(options, 'commit', SIGNAL_OPTION);
    return this.serialized(() => this.runCommit(options.signal));
  }

  private async runCommit(signal: AbortSignal | undefined): Promise<this> {
    if (this.phase === 'deleted') {
      throw new ValidationError(`${this.label} was deleted: there is nothing to commit`);
    }
    if (this.phase === 'new') {
      this.checkCreate();
      await this.save(true, signal);
    } else if (this.phase === 'modified') {
      await this.prepareUpdate(signal);
      await this.save(false, signal);
    }
    // The queue can change while a step is in flight (`discardPending()`, a later `setDescription()`,
    // steps queued meanwhile): each turn takes the first step queued now, and a step the server
    // accepted leaves the queue by identity, if it is still there.
    for (let step = this.nextStep(); step !== undefined; step = this.nextStep()) {
      try {
        await step.run(signal);
      } catch (error) {
        throw annotate(error, `${this.label}: ${step.description} failed`);
      }
      const steps = this.extrasIfAny()?.steps;
      const at = steps?.indexOf(step) ?? -1;
      if (at !== -1) steps?.splice(at, 1);
    }
    return this;
  }

  private nextStep(): Step | undefined {
    return this.extrasIfAny()?.steps?.[0];
  }

  private async save(creating: boolean, signal: AbortSignal | undefined): Promise<void> {
    // A copy: changes made while the request is in flight stay for the next commit.
    const changes = new Map(this.extrasIfAny()?.changes ?? []);
    const label = this.label;
    const { path, body } = this.saveRequest(creating, changes);
    let response: ApiResponse;
    try {
      response = await this.call(creating ? 'POST' : 'PUT', path, {
        json: body,
        owner: this.requestOwner,
        signal,
      });
    } catch (error) {
      throw annotate(error, `${label}: ${creating ? 'create' : 'update'} failed`);
    }
    const data = response.json<{ data?: Record<string, unknown> }>().data;
    // An object, or an array holding only it (rest-api-v2.md 3.1).
    const item = readSingleObject(data?.[this.entityKey]);
    if (item !== undefined) {
      this.applySaved(withoutNewerChanges(item, changes, this.extrasIfAny()?.changes));
    } else if (creating) {
      throw new InvalidResponseError(
        `${label}: the create answer has no data.${this.entityKey} object, so the new id is unknown`,
        { status: response.status, contentType: response.headers['content-type'] },
      );
    }
    const current = this.extrasIfAny()?.changes;
    if (current !== undefined) {
      for (const [field, value] of changes) if (current.get(field) === value) current.delete(field);
    }
    this.setPhase(current !== undefined && current.size > 0 ? 'modified' : 'clean');
  }

  /**
   * Deletes the object on the server at once (`DELETE`); queued changes are dropped.
   * @throws {ValidationError} for an object never committed or already deleted.
   */
  async delete(options: CallOptions = {}): Promise<void> {
    checkCallOptions(options, 'delete', SIGNAL_OPTION);
    return this.serialized(async () => {
      if (this.phase === 'new') {
        throw new ValidationError(`${this.label} has not been committed: there is nothing to delete`);
      }
      if (this.phase === 'deleted') throw new ValidationError(`${this.label} was already deleted`);
      try {
        await this.call('DELETE', this.itemPath(), { owner: this.requestOwner, signal: options.signal });
      } catch (error) {
        throw annotate(error, `${this.label}: delete failed`);
      }
      this.setPhase('deleted');
      const work = this.extras();
      work.changes = undefined;
      work.steps = undefined;
    });
  }
}

/**
 * The saved object's answer without the fields set again while the request was in flight: the object
 * keeps showing those newer values, which the next commit sends (decisions.md, "Resources: objects").
 */
function withoutNewerChanges(
  item: Record<string, unknown>,
  sent: ReadonlyMap<string, unknown>,
  current: ReadonlyMap<string, unknown> | undefined,
): Record<string, unknown> {
  if (current === undefined) return item;
  const newer = [...current].filter(([field, value]) => !(sent.has(field) && sent.get(field) === value));
  if (newer.length === 0) return item;
  const skip = new Set(newer.map(([field]) => field));
  return Object.fromEntries(Object.entries(item).filter(([key]) => !skip.has(key)));
}
