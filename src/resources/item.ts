/**
 * The objects that carry metadata (rest-api-v2.md 9): {@link Item} is the write side of
 * item-core.ts plus tags, attributes and security labels: queued like every other request of
 * `commit()`, and read with `loadTags()`, `loadAttributes()` and `loadSecurityLabels()`.
 */
import type { ApiResponse } from '../core/response.js';
import { quotePathSegment } from '../core/url.js';
import { checkCallOptions, SIGNAL_OPTION } from '../core/validators.js';
import { checkBooleanValue, checkId, checkLabel, checkTag, checkText } from './checks.js';
import { type CallOptions, ItemCore } from './item-core.js';
import { type AttributeValue, readAttributes, readSingleObject, readString } from './values.js';

export type { AssociationTarget, CallOptions, ItemKind, Phase } from './item-core.js';

/** The names of a listing of tags or labels. */
function names(items: readonly Record<string, unknown>[]): string[] {
  return items.flatMap((item) => {
    const name = readString(item.name);
    return name === undefined ? [] : [name];
  });
}

/** An indicator, group, victim or task: see item-core.ts for the write side. */
export abstract class Item extends ItemCore {
  // ---- tags ------------------------------------------------------------------------------------

  /** Queues `POST {item}/tags/{name}`; the API creates a tag it does not know. */
  addTag(name: string): this {
    const tag = checkTag(name);
    this.queue(
      `addTag(${JSON.stringify(tag)})`,
      async (signal) => {
        await this.call('POST', `${this.itemPath()}/tags/${quotePathSegment(tag)}`, {
          owner: this.requestOwner,
          signal,
        });
        if (this.tags !== undefined && !this.tags.includes(tag)) this.tags.push(tag);
      },
      'addTag',
    );
    return this;
  }

  /** Queues `DELETE {item}/tags/{name}`. */
  deleteTag(name: string): this {
    const tag = checkTag(name);
    this.queue(
      `deleteTag(${JSON.stringify(tag)})`,
      async (signal) => {
        await this.call('DELETE', `${this.itemPath()}/tags/${quotePathSegment(tag)}`, {
          owner: this.requestOwner,
          signal,
        });
        if (this.tags !== undefined) this.tags = this.tags.filter((t) => t !== tag);
      },
      'deleteTag',
    );
    return this;
  }

  /** Reads the object's tags (`GET {item}/tags`) into `tags`. */
  async loadTags(options: CallOptions = {}): Promise<string[]> {
    checkCallOptions(options, 'loadTags', SIGNAL_OPTION);
    this.assertCommitted('loadTags');
    this.tags = names(await this.list(`${this.itemPath()}/tags`, this.requestOwner, options.signal));
    return this.tags;
  }

  // ---- attributes ------------------------------------------------------------------------------

  /**
   * The attribute of a write's answer (`data.attribute`), or undefined, with a warning, when the answer
   * does not hold one that can be read: the write itself was accepted.
   */
  private savedAttribute(response: ApiResponse, step: string): AttributeValue | undefined {
    let attribute: AttributeValue | undefined;
    try {
      // An object, or an array holding only it (rest-api-v2.md 3.1).
      const item = readSingleObject(response.json<{ data?: { attribute?: unknown } }>().data?.attribute);
      attribute = item === undefined ? undefined : readAttributes([item])?.[0];
    } catch {
      attribute = undefined;
    }
    if (attribute === undefined) {
      this.context.requester.logger.warning(
        `${this.label}: ${step}: the server accepted the attribute, but its answer holds none that can be read; loadAttributes() reads them again`,
      );
    }
    return attribute;
  }

  /**
   * Queues `POST {item}/attributes` with `{type, value, displayed}`. A displayed Description or Source
   * attribute fills an indicator's `description` or `source`.
   */
  addAttribute(type: string, value: string, displayed = true): this {
    const attributeType = checkText(type, 'attribute type');
    const text = checkText(value, 'attribute value');
    const shown = checkBooleanValue(displayed, 'attribute displayed');
    this.queue(
      `addAttribute(${JSON.stringify(attributeType)}, ${JSON.stringify(text)})`,
      async (signal) => {
        const response = await this.call('POST', `${this.itemPath()}/attributes`, {
          json: { type: attributeType, value: text, displayed: shown },
          owner: this.requestOwner,
          signal,
        });
        // The server took the attribute: the step is done even when its answer cannot be read, or the
        // next commit would add it a second time. The attributes read before are then dropped, so that
        // `loadAttributes()` reads them again rather than a list without the new one.
        const added = this.savedAttribute(response, 'addAttribute');
        if (this.attributes === undefined) return;
        if (added === undefined) this.attributes = undefined;
        else this.attributes.push(added);
      },
      'addAttribute',
    );
    return this;
  }

  /** Queues `PUT {item}/attributes/{id}` with the new value (and `displayed` when given). */
  updateAttribute(id: number, value: string, displayed?: boolean): this {
    const attributeId = checkId(id, 'attribute id');
    const text = checkText(value, 'attribute value');
    const body: Record<string, unknown> = { value: text };
    if (displayed !== undefined) body.displayed = checkBooleanValue(displayed, 'attribute displayed');
    this.queue(
      `updateAttribute(${attributeId}, ${JSON.stringify(text)})`,
      async (signal) => {
        const response = await this.call('PUT', `${this.itemPath()}/attributes/${attributeId}`, {
          json: body,
          owner: this.requestOwner,
          signal,
        });
        const updated = this.savedAttribute(response, 'updateAttribute');
        if (this.attributes === undefined) return;
        this.attributes =
          updated === undefined
            ? undefined
            : this.attributes.map((a) => (a.id === attributeId ? updated : a));
      },
      'updateAttribute',
    );
    return this;
  }

  /** Queues `DELETE {item}/attributes/{id}`. */
  deleteAttribute(id: number): this {
    const attributeId = checkId(id, 'attribute id');
    this.queue(
      `deleteAttribute(${attributeId})`,
      async (signal) => {
        await this.call('DELETE', `${this.itemPath()}/attributes/${attributeId}`, {
          owner: this.requestOwner,
          signal,
        });
        if (this.attributes !== undefined)
          this.attributes = this.attributes.filter((a) => a.id !== attributeId);
      },
      'deleteAttribute',
    );
    return this;
  }

  /** Reads the object's attributes (`GET {item}/attributes`) into `attributes`. */
  async loadAttributes(options: CallOptions = {}): Promise<AttributeValue[]> {
    checkCallOptions(options, 'loadAttributes', SIGNAL_OPTION);
    this.assertCommitted('loadAttributes');
    const items = await this.list(`${this.itemPath()}/attributes`, this.requestOwner, options.signal);
    this.attributes = readAttributes(items) ?? [];
    return this.attributes;
  }

  // ---- security labels -------------------------------------------------------------------------

  /** Queues `POST {item}/securityLabels/{name}`; the label must exist in the object's owner. */
  addSecurityLabel(name: string): this {
    const label = checkLabel(name);
    this.queue(
      `addSecurityLabel(${JSON.stringify(label)})`,
      async (signal) => {
        await this.postLabel(label, signal);
        if (this.securityLabels !== undefined && !this.securityLabels.includes(label))
          this.securityLabels.push(label);
      },
      'addSecurityLabel',
    );
    return this;
  }

  /**
   * Queues making `name` the object's only security label: at commit, the labels it has are read, the
   * others removed and this one added if missing. (The original's `set_security_label` only added.)
   */
  setSecurityLabel(name: string): this {
    const label = checkLabel(name);
    this.queue(
      `setSecurityLabel(${JSON.stringify(label)})`,
      async (signal) => {
        const current = names(
          await this.list(`${this.itemPath()}/securityLabels`, this.requestOwner, signal),
        );
        for (const other of current) {
          if (other === label) continue;
          await this.call('DELETE', `${this.itemPath()}/securityLabels/${quotePathSegment(other)}`, {
            owner: this.requestOwner,
            signal,
          });
        }
        if (!current.includes(label)) await this.postLabel(label, signal);
        this.securityLabels = [label];
      },
      'setSecurityLabel',
    );
    return this;
  }

  /** Queues `DELETE {item}/securityLabels/{name}`. */
  deleteSecurityLabel(name: string): this {
    const label = checkLabel(name);
    this.queue(
      `deleteSecurityLabel(${JSON.stringify(label)})`,
      async (signal) => {
        await this.call('DELETE', `${this.itemPath()}/securityLabels/${quotePathSegment(label)}`, {
          owner: this.requestOwner,
          signal,
        });
        if (this.securityLabels !== undefined)
          this.securityLabels = this.securityLabels.filter((l) => l !== label);
      },
      'deleteSecurityLabel',
    );
    return this;
  }

  /** Reads the object's security labels (`GET {item}/securityLabels`) into `securityLabels`. */
  async loadSecurityLabels(options: CallOptions = {}): Promise<string[]> {
    checkCallOptions(options, 'loadSecurityLabels', SIGNAL_OPTION);
    this.assertCommitted('loadSecurityLabels');
    this.securityLabels = names(
      await this.list(`${this.itemPath()}/securityLabels`, this.requestOwner, options.signal),
    );
    return this.securityLabels;
  }

  private async postLabel(label: string, signal: AbortSignal | undefined): Promise<void> {
    await this.call('POST', `${this.itemPath()}/securityLabels/${quotePathSegment(label)}`, {
      owner: this.requestOwner,
      signal,
    });
  }
}
