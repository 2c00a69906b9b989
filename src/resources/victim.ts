/**
 * A victim (rest-api-v2.md 8): read side, setters, metadata, associations, `commit()` and `delete()`.
 * Victims carry no owner on the wire; `ownerName` is the owner they were created or listed in.
 */
import { describeValue } from '../core/validators.js';
import { ValidationError } from '../core/errors.js';
import type { ResourceContext } from './context.js';
import { FieldsItem } from './fields-item.js';
import type { ItemKind, Phase } from './item.js';
import { readId, readString } from './values.js';
import { VictimAssets } from './victim-assets.js';

/** A victim: the person or organization an incident targeted, with its assets. */
export class Victim extends FieldsItem {
  /** `description`, `org`, `suborg`, `workLocation`, `nationality`, … as read or set. */
  declare readonly fields: Record<string, unknown>;

  /**
   * @internal The SDK's way to make one ({@link parseVictim}, `createVictim()`): users get victims from
   * `tc.victims()`, and the published constructor is private, so that `new Victim()` does not compile.
   */
  static create(id: number, context: ResourceContext, phase: Phase = 'clean'): Victim {
    return new Victim(id, context, phase);
  }

  private constructor(id: number, context: ResourceContext, phase: Phase) {
    super(id, context, phase);
  }

  get itemKind(): ItemKind {
    return 'victim';
  }

  /** Victims have no `type` on the wire; post filters see `Victim`. */
  get type(): string {
    return 'Victim';
  }

  /** The victim's description, if any. */
  get description(): string | undefined {
    return readString(this.fields.description);
  }
  /** The victim's organization, if any. */
  get org(): string | undefined {
    return readString(this.fields.org);
  }
  /** The victim's sub-organization, if any. */
  get suborg(): string | undefined {
    return readString(this.fields.suborg);
  }
  /** Where the victim works, if known. */
  get workLocation(): string | undefined {
    return readString(this.fields.workLocation);
  }
  /** The victim's nationality, if known. */
  get nationality(): string | undefined {
    return readString(this.fields.nationality);
  }

  /**
   * The victim's assets (e-mail addresses, accounts, phone numbers, web sites), read and written at
   * once, not at `commit()`. A victim needs one before it can be associated (rest-api-v2.md 8).
   * @throws {ValidationError} from its methods, for a victim not committed yet.
   */
  assets(): VictimAssets {
    return new VictimAssets(this.context, () => {
      this.assertCommitted('assets');
      return `${this.itemPath()}/victimAssets`;
    });
  }

  // ---- setters ---------------------------------------------------------------------------------

  private setField(field: string, value: unknown, method: string): this {
    if (typeof value !== 'string') {
      throw new ValidationError(`${field} must be a string, got ${describeValue(value)}`);
    }
    return this.storeField(field, value, method);
  }

  /** The victim's description. */
  setDescription(description: string): this {
    return this.setField('description', description, 'setDescription');
  }
  /** The victim's organization. */
  setOrg(org: string): this {
    return this.setField('org', org, 'setOrg');
  }
  /** The victim's sub-organization. */
  setSuborg(suborg: string): this {
    return this.setField('suborg', suborg, 'setSuborg');
  }
  /** Where the victim works. */
  setWorkLocation(workLocation: string): this {
    return this.setField('workLocation', workLocation, 'setWorkLocation');
  }
  /** The victim's nationality. */
  setNationality(nationality: string): this {
    return this.setField('nationality', nationality, 'setNationality');
  }

  // ---- what commit() needs ---------------------------------------------------------------------

  protected itemPath(): string {
    return `/v2/victims/${this.id}`;
  }

  protected get entityKey(): string {
    return 'victim';
  }

  /**
   * An indicator and a victim are linked and unlinked from the indicator's side,
   * `/v2/indicators/{type}/{value}/victims/{id}`: the only form rest-api-v2.md 10 gives for them.
   */
  protected override associationPath(suffix: string): string {
    return suffix.startsWith('/indicators/')
      ? `/v2${suffix}/victims/${this.id}`
      : super.associationPath(suffix);
  }

  protected saveRequest(
    creating: boolean,
    changes: ReadonlyMap<string, unknown>,
  ): { path: string; body: Record<string, unknown> } {
    // The name is required on update too (rest-api-v2.md 8).
    const body: Record<string, unknown> = this.name === undefined ? {} : { name: this.name };
    for (const [field, value] of changes) body[field] = value;
    return { path: creating ? '/v2/victims' : this.itemPath(), body };
  }
}

/** A victim from a wire item; `owner`, the owner it was listed in (a victim item has none). */
export function parseVictim(item: Record<string, unknown>, context: ResourceContext, owner?: string): Victim {
  const victim = Victim.create(readId(item.id), context);
  victim.readWire(item);
  if (victim.ownerName === undefined && owner !== undefined) victim.ownerName = owner;
  return victim;
}
