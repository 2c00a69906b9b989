/**
 * The far ends of associations (rest-api-v2.md 10): a group, an indicator, a victim or a task, given as
 * an SDK object or as a type and an id (or value). An object is resolved when the request is sent, so
 * it may be committed after the association was queued, as long as that happens first.
 */
import { IndicatorType, isIndicatorType, resourceTypeName } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { checkPathSegment, quotePathSegment } from '../core/url.js';
import { describeValue } from '../core/validators.js';
import { checkId, checkText } from './checks.js';
import { type AssociationTarget, Item } from './item.js';
import { GROUP_KINDS, type GroupKind, INDICATOR_KINDS, type IndicatorKind } from './kinds.js';

/** What an association needs of a group object. */
interface GroupLike {
  readonly kind: GroupKind | undefined;
}

/** What an association needs of an indicator object. */
interface IndicatorLike {
  readonly kind: IndicatorKind | undefined;
  readonly referenceValue: string;
}

function committed(item: Item): void {
  if (item.phase === 'new') {
    throw new ValidationError(`${item.label} has not been committed: commit() it before associating it`);
  }
  if (item.phase === 'deleted') throw new ValidationError(`${item.label} was deleted`);
}

function isGroupKind(value: unknown): value is GroupKind {
  return typeof value === 'object' && value !== null && GROUP_KINDS.includes(value as GroupKind);
}

/** A group type: a group `ResourceType` (ADVERSARIES, …) or one of {@link GROUP_KINDS}. */
export function groupKindOf(type: unknown, label = 'group type'): GroupKind {
  if (isGroupKind(type)) return type;
  const kind = GROUP_KINDS.find((k) => k.resourceType === type);
  if (kind !== undefined) return kind;
  const shown = resourceTypeName(type) ?? describeValue(type);
  throw new ValidationError(
    `${label} must be a group ResourceType (${GROUP_KINDS.map((k) => resourceTypeName(k.resourceType)).join(', ')}), got ${shown}`,
  );
}

/** `associateGroup(group)` or `associateGroup(ResourceType.ADVERSARIES, 5)`. */
export function groupTarget(target: unknown, id: unknown): AssociationTarget {
  if (target instanceof Item && target.itemKind === 'group') {
    const group = target as Item & GroupLike;
    const kind = group.kind;
    if (kind === undefined) {
      throw new ValidationError(
        `${group.label}: the SDK does not model this group type, so it cannot be associated`,
      );
    }
    return {
      description: group.label,
      suffix: () => {
        committed(group);
        return `/groups/${kind.branch}/${group.id}`;
      },
      owner: () => undefined,
    };
  }
  const kind = groupKindOf(target);
  const groupId = checkId(id, 'group id');
  return {
    description: `${kind.branch}/${groupId}`,
    suffix: () => `/groups/${kind.branch}/${groupId}`,
    owner: () => undefined,
  };
}

/** An indicator type for a target: a built-in `IndicatorType` or an `IndicatorKind` (custom types). */
export function indicatorKindOf(type: unknown, label = 'indicator type'): IndicatorKind {
  if (isIndicatorType(type) && type !== IndicatorType.CUSTOM_INDICATORS) {
    const kind = INDICATOR_KINDS.get(type);
    if (kind !== undefined) return kind;
  }
  if (
    typeof type === 'object' &&
    type !== null &&
    typeof (type as IndicatorKind).branch === 'string' &&
    Array.isArray((type as IndicatorKind).valueFields)
  ) {
    return type as IndicatorKind;
  }
  const shown =
    type === IndicatorType.CUSTOM_INDICATORS ? 'IndicatorType.CUSTOM_INDICATORS' : describeValue(type);
  throw new ValidationError(
    `${label} must be an IndicatorType (ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS, URLS) or a custom type's IndicatorKind, got ${shown}`,
  );
}

/** `associateIndicator(indicator)` or `associateIndicator(IndicatorType.HOSTS, 'x.example.com', owner?)`. */
export function indicatorTarget(target: unknown, value: unknown, owner: unknown): AssociationTarget {
  if (target instanceof Item && target.itemKind === 'indicator') {
    const indicator = target as Item & IndicatorLike;
    const kind = indicator.kind;
    if (kind === undefined) {
      throw new ValidationError(
        `${indicator.label}: the client does not know this indicator type, so it cannot be associated`,
      );
    }
    return {
      description: indicator.label,
      suffix: () => {
        committed(indicator);
        return `/indicators/${kind.branch}/${quotePathSegment(indicator.referenceValue)}`;
      },
      owner: () => indicator.ownerName,
    };
  }
  const kind = indicatorKindOf(target);
  const text = checkText(value, 'indicator value');
  // Checked now, not when the step is sent: by then a new object's create has gone out.
  checkPathSegment(text, 'an indicator value');
  const indicatorOwner = owner === undefined ? undefined : checkText(owner, 'owner');
  return {
    description: `${kind.branch}/${text}`,
    suffix: () => `/indicators/${kind.branch}/${quotePathSegment(text)}`,
    owner: () => indicatorOwner,
  };
}

/** `associateVictim(victim)` / `associateVictim(10)`, and the same for tasks. */
export function idTarget(collection: 'victims' | 'tasks', target: unknown): AssociationTarget {
  const itemKind = collection === 'victims' ? 'victim' : 'task';
  if (target instanceof Item && target.itemKind === itemKind) {
    return {
      description: target.label,
      suffix: () => {
        committed(target);
        return `/${collection}/${target.id}`;
      },
      owner: () => undefined,
    };
  }
  const id = checkId(target, `${itemKind} id`);
  return { description: `${collection}/${id}`, suffix: () => `/${collection}/${id}`, owner: () => undefined };
}
