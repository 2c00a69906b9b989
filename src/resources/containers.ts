/**
 * The containers of `tc.indicators()`, `tc.groups()`, `tc.adversaries()` … `tc.threats()`,
 * `tc.victims()`, `tc.tasks()` and `tc.owners()` (sdk-behaviour.md 3.3).
 */
import { IndicatorType, ResourceType } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { formatModifiedSince, isSendableDate } from '../core/request-object.js';
import { describeValue, isDate } from '../core/validators.js';
import type { Filter, FilterObject } from '../filters/filter.js';
import type { FilterTarget } from '../filters/requests.js';
import { isIsoToSend } from '../formats/dates.js';
import { Container } from './container.js';
import { createGroup, createIndicator, createTask, createVictim } from './create.js';
import { type DeletedIndicator, type DeletedOptions, deletedIndicators } from './deleted.js';
import type { ResourceContext } from './context.js';
import { type Group, parseGroup } from './group.js';
import { type Indicator, wireIndicator } from './indicator.js';
import { readString } from './values.js';
import { type ObservedIndicator, type ObservedOptions, observed } from './intelligence.js';
import {
  GROUP_KINDS,
  type GroupKind,
  INDICATOR_KIND_BY_BRANCH,
  INDICATOR_KIND_BY_TYPE,
  INDICATOR_KINDS,
  type IndicatorKind,
} from './kinds.js';
import {
  type LookupOptions,
  type Members,
  type OwnerMetric,
  findIndicatorKind,
  readMembers,
  readOwnerMetrics,
} from './lookups.js';
import { indicatorKindOf } from './targets.js';
import { type Owner, parseOwner } from './owner.js';
import { parseTask, type Task } from './task.js';
import { parseVictim, type Victim } from './victim.js';

function detectBranch(context: ResourceContext): (value: string) => string | undefined {
  return (value) => {
    const type = context.detector.detect(value);
    return type === undefined ? undefined : INDICATOR_KINDS.get(type)?.branch;
  };
}

/** Parses an indicator item, reading `/v2/types/indicatorTypes` (once per client) for a type it does not know. */
function indicatorFrom(
  context: ResourceContext,
  item: Record<string, unknown>,
  branch: string | undefined,
  metadata: boolean,
  signal: AbortSignal | undefined,
): Indicator | Promise<Indicator> {
  const type = item.type;
  const typeName = typeof type === 'string' ? type : undefined;
  let kind: IndicatorKind | undefined =
    branch === undefined ? undefined : INDICATOR_KIND_BY_BRANCH.get(branch);
  if (kind === undefined && typeName !== undefined) kind = INDICATOR_KIND_BY_TYPE.get(typeName);
  // A built-in type is parsed at once; only another type waits for the type table.
  if (kind !== undefined || (typeName === undefined && branch === undefined)) {
    return wireIndicator(item, context, readString(type), kind, metadata);
  }
  return customIndicator(context, item, typeName, branch, metadata, signal);
}

/**
 * {@link indicatorFrom} for a type it does not know, once the type table is read. A function of its
 * own: the closure below would otherwise make V8 allocate a context for the variables it captures on
 * every call of `indicatorFrom`, built-in types included (80 bytes an item of a listing).
 */
function customIndicator(
  context: ResourceContext,
  item: Record<string, unknown>,
  typeName: string | undefined,
  branch: string | undefined,
  metadata: boolean,
  signal: AbortSignal | undefined,
): Promise<Indicator> {
  // The caller's signal stops this wait (not the shared read): an abort is seen at once.
  return context.indicatorKindsForReading(signal).then((kinds) => {
    const found =
      typeName === undefined ? [...kinds.values()].find((k) => k.branch === branch) : kinds.get(typeName);
    return wireIndicator(item, context, readString(item.type), found, metadata);
  });
}

/**
 * The target of a typed indicators filter object. Its `addIndicator` looks the value up under the
 * filter object's own type without checking it against the client's patterns, as a type override
 * does (decisions.md 1.7): the API holds values no pattern takes (`www.badguy_014.com`).
 */
function typedTarget(branch: string, label: string): FilterTarget {
  return { kind: 'typedIndicators', label, branch, detectBranch: () => branch };
}

/** `tc.indicators()`: every indicator type; `addFilter(IndicatorType.X)` narrows one filter object to a type. */
export class IndicatorsContainer extends Container<Indicator, 'indicators'> {
  #modifiedSince: string | undefined;

  /** @internal */
  constructor(context: ResourceContext) {
    const target: FilterTarget = {
      kind: 'indicators',
      label: 'indicators',
      detectBranch: detectBranch(context),
    };
    super(context, {
      target,
      resourceType: ResourceType.INDICATORS,
      ownerCheck: true,
      parse: (item, spec, metadata, _owner, signal) =>
        indicatorFrom(context, item, spec.indicatorBranch, metadata, signal),
    });
  }

  /** Typed filter objects of a custom type named by its id, resolved from the type table at retrieval. */
  readonly #pending = new Map<FilterObject, string>();

  /**
   * A filter object over all types, or over one type, whose results come from that type's listings
   * (`/v2/indicators/{apiBranch}`): a built-in `IndicatorType`, a type's `IndicatorKind` (from
   * `tc.types()`), or `IndicatorType.CUSTOM_INDICATORS` with a custom type's `apiEntity` (`'asn'`; its
   * `apiBranch` or name also work), looked up in `/v2/types/indicatorTypes` when the retrieval starts.
   * @throws {ValidationError} for another argument; an id the instance does not know fails the retrieval.
   */
  override addFilter(): Filter<'indicators'>;
  override addFilter(indicatorType: IndicatorType | IndicatorKind): Filter<'typedIndicators'>;
  override addFilter(
    indicatorType: typeof IndicatorType.CUSTOM_INDICATORS,
    apiEntity: string,
  ): Filter<'typedIndicators'>;
  override addFilter(
    indicatorType?: IndicatorType | IndicatorKind,
    apiEntity?: string,
  ): Filter<'indicators'> | Filter<'typedIndicators'> {
    if (indicatorType === undefined) {
      // Plain JavaScript: `addFilter(IndicatorType.CUSTOM, 'asn')` (a misspelt member is undefined) would
      // otherwise be an untyped filter object, reading every indicator.
      if (apiEntity !== undefined) {
        throw new ValidationError(
          `addFilter: the apiEntity ${describeValue(apiEntity)} goes with IndicatorType.CUSTOM_INDICATORS, got undefined as the type`,
        );
      }
      return super.addFilter();
    }
    if (indicatorType === IndicatorType.CUSTOM_INDICATORS) {
      if (typeof apiEntity !== 'string' || apiEntity.trim() === '') {
        throw new ValidationError(
          `addFilter(IndicatorType.CUSTOM_INDICATORS, apiEntity): give the custom type's apiEntity (such as 'asn'), got ${describeValue(apiEntity)}`,
        );
      }
      const filter = this.filterFor(typedTarget(apiEntity, `${apiEntity} indicators`));
      this.#pending.set(filter, apiEntity);
      return filter;
    }
    const kind =
      typeof indicatorType === 'object'
        ? indicatorKindOf(indicatorType, 'addFilter')
        : INDICATOR_KINDS.get(indicatorType);
    if (kind === undefined || apiEntity !== undefined) {
      throw new ValidationError(
        `addFilter: ${describeValue(indicatorType)}${apiEntity === undefined ? '' : ` with ${describeValue(apiEntity)}`} is not an indicator type with a listing: give ADDRESSES, EMAIL_ADDRESSES, FILES, HOSTS, URLS, a type's IndicatorKind, or CUSTOM_INDICATORS with an apiEntity`,
      );
    }
    return this.filterFor(typedTarget(kind.branch, `${kind.branch} indicators`));
  }

  /** Resolves the custom types of typed filter objects (one read of the type table per client). */
  protected override async prepareFilters(
    filters: FilterObject[],
    signal: AbortSignal | undefined,
  ): Promise<FilterObject[]> {
    const out: FilterObject[] = [];
    for (const filter of filters) {
      const id = this.#pending.get(filter);
      if (id === undefined) {
        out.push(filter);
        continue;
      }
      this.#pending.delete(filter);
      const kind = await findIndicatorKind(this.context, id, signal);
      out.push(filter.retarget(typedTarget(kind.branch, `${kind.branch} indicators`)));
    }
    return out;
  }

  /**
   * Only indicators modified since this time, on every default (owner-only) request of the container,
   * typed filter objects included, whatever the order of the calls (decisions.md 1.7). A `Date` is sent
   * as `YYYY-MM-DDTHH:MM:SSZ`; a string as given.
   */
  setModifiedSince(since: string | Date): this {
    if (isDate(since)) {
      if (!isSendableDate(since)) {
        throw new ValidationError(
          `setModifiedSince: ${Number.isNaN(since.getTime()) ? 'the Date is invalid' : `the Date ${since.toISOString()} is outside the years 0 to 9999`}`,
        );
      }
      this.#modifiedSince = formatModifiedSince(since);
    } else if (typeof since === 'string' && isIsoToSend(since)) {
      this.#modifiedSince = since;
    } else {
      throw new ValidationError(`setModifiedSince: ${describeValue(since)} is not a valid date`);
    }
    return this;
  }

  protected override modifiedSince(): string | undefined {
    return this.#modifiedSince;
  }

  /**
   * The indicators deleted since `since` (`/v2/indicators/deleted`, or the `type`'s own listing), in
   * the order the server deleted them, owner by owner (`owner`: one or several names; the default org
   * when absent). Each is `{ ownerName, type, dateAdded, summary }`: the API gives neither an id nor
   * the time of deletion, and keeps deletions for its retention time only. Independent of the
   * container's filter objects.
   * @throws {ValidationError} for a bad option, before any request.
   */
  deleted(options: DeletedOptions = {}): AsyncGenerator<DeletedIndicator> {
    return deletedIndicators(this.context, options);
  }

  /**
   * A new indicator to `commit()`. Its type is detected with the client's patterns (full match); a
   * given `indicatorType` skips detection and the pattern check, as the seed's type override does.
   * @throws {ValidationError} for a value no type matches, before any request.
   */
  add(value: string, owner?: string, indicatorType?: IndicatorType | IndicatorKind): Indicator {
    return createIndicator(value, owner, indicatorType, this.context);
  }

  /**
   * The observed indicators of an owner (`GET /v2/indicators/observed`), latest first, at most 20,000,
   * in one call; with `date`, that day's observations only (docs/intelligence.md).
   * @throws {ValidationError} for a `date` that is not a day, before any request.
   */
  observed(options: ObservedOptions = {}): Promise<ObservedIndicator[]> {
    return observed(this.context, options);
  }
}

/** `tc.groups()`: every group type. */
export class GroupsContainer extends Container<Group, 'groups'> {
  /** @internal */
  constructor(context: ResourceContext) {
    super(context, {
      target: { kind: 'groups', label: 'groups', detectBranch: detectBranch(context) },
      resourceType: ResourceType.GROUPS,
      ownerCheck: true,
      parse: (item) => parseGroup(item, context),
    });
  }
}

/** `tc.adversaries()`, `tc.campaigns()`, `tc.documents()`, `tc.emails()`, `tc.incidents()`, `tc.signatures()`, `tc.threats()`. */
export class GroupTypeContainer extends Container<Group, 'groupType'> {
  /** The group type of this container. */
  readonly kind: GroupKind;

  /** @internal */
  constructor(context: ResourceContext, kind: GroupKind) {
    super(context, {
      target: {
        kind: 'groupType',
        label: kind.branch,
        branch: kind.branch,
        detectBranch: detectBranch(context),
      },
      resourceType: kind.resourceType,
      ownerCheck: true,
      parse: (item) => parseGroup(item, context, kind),
    });
    this.kind = kind;
  }

  /** A new group of this type to `commit()`; required fields are checked at commit. */
  add(name: string, owner?: string): Group {
    return createGroup(this.kind, name, owner, this.context);
  }
}

/** `tc.victims()`. Victims are not owner-checked, as in the original. */
export class VictimsContainer extends Container<Victim, 'victims'> {
  /** @internal */
  constructor(context: ResourceContext) {
    super(context, {
      target: { kind: 'victims', label: 'victims', detectBranch: detectBranch(context) },
      resourceType: ResourceType.VICTIMS,
      ownerCheck: false,
      // Victims carry no owner on the wire: one listed for an owner is that owner's (rest-api-v2.md 8).
      parse: (item, _spec, _metadata, owner) => parseVictim(item, context, owner),
    });
  }

  /** A new victim to `commit()`. */
  add(name: string, owner?: string): Victim {
    return createVictim(name, owner, this.context);
  }
}

/** `tc.tasks()`. */
export class TasksContainer extends Container<Task, 'tasks'> {
  /** @internal */
  constructor(context: ResourceContext) {
    super(context, {
      target: { kind: 'tasks', label: 'tasks', detectBranch: detectBranch(context) },
      resourceType: ResourceType.TASKS,
      ownerCheck: true,
      parse: (item) => parseTask(item, context),
    });
  }

  /** A new task to `commit()`. */
  add(name: string, owner?: string): Task {
    return createTask(name, owner, this.context);
  }
}

/** `tc.owners()`: the owners the API user may access. */
export class OwnersContainer extends Container<Owner, 'owners'> {
  /** @internal */
  constructor(context: ResourceContext) {
    super(context, {
      target: { kind: 'owners', label: 'owners', detectBranch: detectBranch(context) },
      resourceType: ResourceType.OWNERS,
      ownerCheck: false,
      parse: (item) => parseOwner(item, context),
    });
  }

  /**
   * Today's metrics of every owner the API user may access (`GET /v2/owners/metrics`, rest-api-v2.md 5):
   * one entry per owner, which the API does not name (use `owner.metrics()` for one owner).
   */
  metrics(options: LookupOptions = {}): Promise<OwnerMetric[]> {
    return readOwnerMetrics(this.context, undefined, options);
  }

  /**
   * The members of the API user's organization (`GET /v2/owners/mine/members`): their user names, or
   * only pseudonyms (`anonymous: true`) when the organization's membership is anonymous.
   */
  members(options: LookupOptions = {}): Promise<Members> {
    return readMembers(this.context, options);
  }
}

/** The group kind of a `tc.<plural>()` accessor. */
export function groupKind(branch: string): GroupKind {
  const kind = GROUP_KINDS.find((k) => k.branch === branch);
  if (kind === undefined) throw new ValidationError(`${branch} is not a group type`);
  return kind;
}
