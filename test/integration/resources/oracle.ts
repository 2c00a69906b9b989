/**
 * An independent evaluation of filter objects over the sandbox's sample data (decisions.md 2.6): what
 * the sandbox answers to each request (sandbox docs: base listings of one owner, owner-scoped tag and
 * label pivots, association pivots across every owner the user may access, active indicators only in
 * listings) and what the SDK then keeps (sdk-behaviour.md 3.6 and decisions.md 1.7: owner check,
 * post filters AND'd, API filters and owners OR'd, filter objects combined left to right).
 *
 * It never calls the SDK: tests compare the SDK's results with it. It models the rules as the specs
 * state them, so it is written from them, not from the engine's code.
 */
import type {
  SampleData,
  SampleGroup,
  SampleGroupType,
  SampleIndicator,
  SampleIndicatorType,
  SampleOwner,
  SampleTask,
  SampleVictim,
} from '../../../src/sandbox/index.js';

/** A container, as the test builds it. */
export type ContainerModel =
  | { readonly kind: 'indicators' }
  | { readonly kind: 'typedIndicators'; readonly type: Exclude<SampleIndicatorType, 'ASN'> }
  | { readonly kind: 'groupType'; readonly type: SampleGroupType }
  | { readonly kind: 'groups' }
  | { readonly kind: 'victims' }
  | { readonly kind: 'tasks' }
  | { readonly kind: 'owners' };

export type GroupIdFilter =
  | 'addAdversaryId'
  | 'addCampaignId'
  | 'addDocumentId'
  | 'addEmailId'
  | 'addIncidentId'
  | 'addSignatureId'
  | 'addThreatId';

export const GROUP_ID_TYPES: Readonly<Record<GroupIdFilter, SampleGroupType>> = {
  addAdversaryId: 'Adversary',
  addCampaignId: 'Campaign',
  addDocumentId: 'Document',
  addEmailId: 'Email',
  addIncidentId: 'Incident',
  addSignatureId: 'Signature',
  addThreatId: 'Threat',
};

/** One API filter: the method and its value. */
export type ApiFilterModel =
  | readonly [GroupIdFilter | 'addId' | 'addTaskId' | 'addVictimId', number]
  | readonly ['addTag' | 'addSecurityLabel', string]
  /** The value and its type (the test picks values whose type is plain). */
  | readonly ['addIndicator', string, Exclude<SampleIndicatorType, 'ASN'>];

export type Operator = 'EQ' | 'NE' | 'GT' | 'GE' | 'LT' | 'LE';

export type PostFilterModel =
  | {
      readonly name: 'addPfName' | 'addPfType' | 'addPfFileType' | 'addPfTag' | 'addPfAttribute';
      readonly value: string;
      readonly op: Operator;
    }
  | {
      readonly name:
        | 'addPfConfidence'
        | 'addPfRating'
        | 'addPfThreatAssessConfidence'
        | 'addPfThreatAssessRating';
      readonly value: number;
      readonly op: Operator;
    }
  | { readonly name: 'addPfDateAdded' | 'addPfLastModified'; readonly value: string; readonly op: Operator };

export interface FilterModel {
  readonly owners: readonly string[];
  readonly api: readonly ApiFilterModel[];
  readonly post: readonly PostFilterModel[];
  /** How it combines with the filter objects before it (ignored on the first). */
  readonly operator: 'and' | 'or';
}

/** What a post filter reads, and what the owner check reads. */
interface Item {
  readonly id: number;
  readonly ownerName: string | undefined;
  readonly type: string;
  readonly name?: string | undefined;
  readonly dateAdded?: string | undefined;
  readonly lastModified?: string | undefined;
  readonly rating?: number | undefined;
  readonly confidence?: number | undefined;
  readonly threatAssessRating?: number | undefined;
  readonly threatAssessConfidence?: number | undefined;
  readonly fileType?: string | undefined;
  readonly tags: readonly string[];
  readonly attributeTypes: readonly string[];
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

function indicatorItem(i: SampleIndicator): Item {
  return {
    id: i.id,
    ownerName: i.ownerName,
    type: i.type,
    dateAdded: i.dateAdded,
    lastModified: i.lastModified,
    rating: i.rating,
    confidence: i.confidence,
    threatAssessRating: i.threatAssessRating,
    threatAssessConfidence: i.threatAssessConfidence,
    tags: i.tags,
    attributeTypes: i.attributes.map((a) => a.type),
  };
}

function groupItem(g: SampleGroup): Item {
  return {
    id: g.id,
    ownerName: g.ownerName,
    type: g.type,
    name: g.name,
    dateAdded: g.dateAdded,
    fileType: g.fileType,
    tags: g.tags,
    attributeTypes: g.attributes.map((a) => a.type),
  };
}

/** Victims carry no owner and no dates on the wire; post filters see the type `Victim`. */
function victimItem(v: SampleVictim): Item {
  return {
    id: v.id,
    ownerName: undefined,
    type: 'Victim',
    name: v.name,
    tags: v.tags,
    attributeTypes: v.attributes.map((a) => a.type),
  };
}

function taskItem(t: SampleTask): Item {
  return {
    id: t.id,
    ownerName: t.ownerName,
    type: 'Task',
    name: t.name,
    dateAdded: t.dateAdded,
    tags: t.tags,
    attributeTypes: t.attributes.map((a) => a.type),
  };
}

function ownerItem(o: SampleOwner): Item {
  return { id: o.id, ownerName: o.name, type: o.type, name: o.name, tags: [], attributeTypes: [] };
}

function compare<T extends string | number>(a: T, b: T, op: Operator): boolean {
  switch (op) {
    case 'EQ':
      return a === b;
    case 'NE':
      return a !== b;
    case 'GT':
      return a > b;
    case 'GE':
      return a >= b;
    case 'LT':
      return a < b;
    case 'LE':
      return a <= b;
  }
}

/** Whether an item passes one post filter, read from the spec's table (sdk-behaviour.md 3.5, fixed). */
export function passes(item: Item, p: PostFilterModel): boolean {
  switch (p.name) {
    case 'addPfName':
      return item.name !== undefined && compare(item.name, p.value, p.op);
    case 'addPfType':
      return compare(item.type, p.value, p.op);
    case 'addPfFileType':
      return item.fileType !== undefined && compare(item.fileType, p.value, p.op);
    case 'addPfTag':
      return item.tags.some((t) => compare(t, p.value, p.op));
    case 'addPfAttribute':
      return item.attributeTypes.some((t) => compare(t, p.value, p.op));
    case 'addPfConfidence':
      return item.confidence !== undefined && compare(item.confidence, p.value, p.op);
    case 'addPfThreatAssessConfidence':
      return item.threatAssessConfidence !== undefined && compare(item.threatAssessConfidence, p.value, p.op);
    case 'addPfRating':
      return item.rating !== undefined && compare(item.rating, p.value, p.op);
    case 'addPfThreatAssessRating':
      return item.threatAssessRating !== undefined && compare(item.threatAssessRating, p.value, p.op);
    case 'addPfDateAdded':
    case 'addPfLastModified': {
      const raw = p.name === 'addPfDateAdded' ? item.dateAdded : item.lastModified;
      return raw !== undefined && compare(Date.parse(raw), Date.parse(p.value), p.op);
    }
  }
}

const sameName = (a: string | undefined, b: string) => a !== undefined && a.toUpperCase() === b.toUpperCase();

export class FilterOracle {
  readonly #data: SampleData;
  readonly #defaultOrg: string;
  readonly #indicators: ReadonlyMap<number, SampleIndicator>;
  readonly #groups: ReadonlyMap<number, SampleGroup>;
  readonly #victims: ReadonlyMap<number, SampleVictim>;
  readonly #tasks: ReadonlyMap<number, SampleTask>;

  constructor(data: SampleData, defaultOrg = 'Example Org') {
    this.#data = data;
    this.#defaultOrg = defaultOrg;
    this.#indicators = new Map(data.indicators.map((i) => [i.id, i]));
    this.#groups = new Map(data.groups.map((g) => [g.id, g]));
    this.#victims = new Map(data.victims.map((v) => [v.id, v]));
    this.#tasks = new Map(data.tasks.map((t) => [t.id, t]));
  }

  /** Indicators of the container's type (all for untyped); active ones only unless `all`. */
  #inContainerIndicators(c: ContainerModel, list: readonly SampleIndicator[], all = false): Item[] {
    return list
      .filter((i) => (all || i.active) && (c.kind !== 'typedIndicators' || i.type === c.type))
      .map(indicatorItem);
  }

  /** The container's items among linked ids (an association pivot), in id order. */
  #linked(
    c: ContainerModel,
    links: { indicatorIds?: number[]; groupIds?: number[]; victimIds?: number[]; taskIds?: number[] },
  ): Item[] {
    const pick = <T>(ids: number[] | undefined, map: ReadonlyMap<number, T>): T[] =>
      (ids ?? []).flatMap((id) => {
        const x = map.get(id);
        return x === undefined ? [] : [x];
      });
    switch (c.kind) {
      case 'indicators':
      case 'typedIndicators':
        return this.#inContainerIndicators(c, pick(links.indicatorIds, this.#indicators)).sort(byId);
      case 'groupType':
        return pick(links.groupIds, this.#groups)
          .filter((g) => g.type === c.type)
          .map(groupItem)
          .sort(byId);
      case 'groups':
        return pick(links.groupIds, this.#groups).map(groupItem).sort(byId);
      case 'victims':
        return pick(links.victimIds, this.#victims).map(victimItem).sort(byId);
      case 'tasks':
        return pick(links.taskIds, this.#tasks).map(taskItem).sort(byId);
      case 'owners':
        return [];
    }
  }

  /** Every item of the container in one owner, with metadata, in id order (base listings and pivots). */
  #owned(c: ContainerModel, owner: string): { item: Item; labels: readonly string[] }[] {
    const d = this.#data;
    const withLabels = <T extends { ownerName: string; securityLabels: string[] }>(
      list: T[],
      f: (x: T) => Item,
    ) =>
      list
        .filter((x) => sameOwnerExact(x.ownerName, owner))
        .map((x) => ({ item: f(x), labels: x.securityLabels }));
    switch (c.kind) {
      case 'indicators':
      case 'typedIndicators':
        return withLabels(
          d.indicators.filter((i) => i.active && (c.kind !== 'typedIndicators' || i.type === c.type)),
          indicatorItem,
        ).sort((a, b) => byId(a.item, b.item));
      case 'groupType':
        return withLabels(
          d.groups.filter((g) => g.type === c.type),
          groupItem,
        ).sort((a, b) => byId(a.item, b.item));
      case 'groups':
        return withLabels(d.groups, groupItem).sort((a, b) => byId(a.item, b.item));
      case 'victims':
        return withLabels(d.victims, victimItem).sort((a, b) => byId(a.item, b.item));
      case 'tasks':
        return withLabels(d.tasks, taskItem).sort((a, b) => byId(a.item, b.item));
      case 'owners':
        return [];
    }
  }

  /** The indicator a value names in one owner (any hash of a file; hosts and e-mails without case). */
  #indicatorByValue(value: string, type: SampleIndicatorType, owner: string): SampleIndicator | undefined {
    const v = value.toLowerCase();
    return this.#data.indicators.find(
      (i) =>
        i.type === type &&
        sameOwnerExact(i.ownerName, owner) &&
        (type === 'File'
          ? [i.md5, i.sha1, i.sha256].some((h) => h?.toLowerCase() === v)
          : type === 'URL'
            ? i.summary === value
            : i.summary.toLowerCase() === v),
    );
  }

  /** What the server answers to one request (before the SDK's owner check and post filters). */
  answer(
    c: ContainerModel,
    api: ApiFilterModel | undefined,
    owner: string | undefined,
    modifiedSince?: string,
  ): Item[] {
    const d = this.#data;
    if (api === undefined) {
      if (c.kind === 'owners') return d.owners.map(ownerItem).sort(byId);
      const rows = this.#owned(c, owner ?? this.#defaultOrg).map((x) => x.item);
      if (modifiedSince === undefined) return rows;
      const since = Date.parse(modifiedSince);
      return rows.filter((r) => Date.parse(r.lastModified ?? '') >= since);
    }
    const [name, value] = api;
    switch (name) {
      case 'addTag':
        return this.#owned(c, owner ?? this.#defaultOrg)
          .filter((x) => x.item.tags.includes(value))
          .map((x) => x.item);
      case 'addSecurityLabel':
        return this.#owned(c, owner ?? this.#defaultOrg)
          .filter((x) => x.labels.includes(value))
          .map((x) => x.item);
      case 'addTaskId': {
        const task = this.#tasks.get(value);
        return task === undefined ? [] : this.#linked(c, task);
      }
      case 'addVictimId': {
        const victim = this.#victims.get(value);
        return victim === undefined ? [] : this.#linked(c, victim);
      }
      case 'addId': {
        if (c.kind === 'groupType') {
          const g = this.#groups.get(value);
          return g !== undefined && g.type === c.type ? [groupItem(g)] : [];
        }
        if (c.kind === 'victims') {
          const v = this.#victims.get(value);
          return v === undefined ? [] : [victimItem(v)];
        }
        if (c.kind === 'tasks') {
          const t = this.#tasks.get(value);
          return t === undefined ? [] : [taskItem(t)];
        }
        if (c.kind === 'owners') {
          const o = d.owners.find((x) => x.id === value);
          return o === undefined ? [] : [ownerItem(o)];
        }
        return [];
      }
      case 'addIndicator': {
        if (c.kind === 'owners') {
          // `/v2/indicators/{type}/{value}/owners`: every owner holding the value (the user may access all).
          return d.owners
            .filter((o) => this.#indicatorByValue(value, api[2], o.name) !== undefined)
            .map(ownerItem)
            .sort(byId);
        }
        const type = c.kind === 'typedIndicators' ? c.type : api[2];
        const found = this.#indicatorByValue(value, type, owner ?? this.#defaultOrg);
        if (found === undefined) return [];
        // A GET by value shows an inactive indicator too; a listing does not.
        if (c.kind === 'indicators' || c.kind === 'typedIndicators') return [indicatorItem(found)];
        return this.#linked(c, found);
      }
      default: {
        const group = this.#groups.get(value);
        return group === undefined || group.type !== GROUP_ID_TYPES[name] ? [] : this.#linked(c, group);
      }
    }
  }

  /** Whether a request carries `owner` (sdk-behaviour.md 3.4). */
  static ownerAllowed(c: ContainerModel, api: ApiFilterModel | undefined): boolean {
    if (api === undefined) return c.kind !== 'owners';
    const [name] = api;
    if (name in GROUP_ID_TYPES || name === 'addVictimId') return c.kind === 'tasks';
    if (name === 'addIndicator') return c.kind !== 'owners';
    return true;
  }

  /** The ids one filter object yields, in first-seen order. */
  filterObject(c: ContainerModel, f: FilterModel, modifiedSince?: string): number[] {
    const owners = f.owners.length > 0 ? f.owners : [this.#defaultOrg];
    const ownerCheck = c.kind !== 'victims' && c.kind !== 'owners';
    const out: number[] = [];
    const seen = new Set<number>();
    const keep = (item: Item, allowed: readonly string[]) => {
      if (seen.has(item.id)) return;
      if (ownerCheck && item.ownerName !== undefined && !allowed.some((o) => sameName(item.ownerName, o)))
        return;
      if (!f.post.every((p) => passes(item, p))) return;
      seen.add(item.id);
      out.push(item.id);
    };
    const specs: (ApiFilterModel | undefined)[] = f.api.length > 0 ? [...f.api] : [undefined];
    // Owner by owner, each owner's requests in order (sdk-behaviour.md 3.6); a request that cannot
    // carry an owner is answered once, in the first owner's turn, for every owner (decisions.md 1.7).
    owners.forEach((owner, index) => {
      for (const spec of specs) {
        const since = spec === undefined ? modifiedSince : undefined;
        if (FilterOracle.ownerAllowed(c, spec)) {
          for (const item of this.answer(c, spec, owner, since)) keep(item, [owner]);
        } else if (index === 0) {
          for (const item of this.answer(c, spec, undefined, since)) keep(item, owners);
        }
      }
    });
    return out;
  }

  /**
   * The ids of the whole retrieval, left to right. Order: first seen in the first filter object, then
   * in each OR'd one (an AND'd filter object only decides membership).
   */
  retrieve(c: ContainerModel, filters: readonly FilterModel[], modifiedSince?: string): number[] {
    if (filters.length === 0) {
      // No filter object: the base listing with no owner (the default org), no owner check.
      if (c.kind === 'owners') return this.answer(c, undefined, undefined).map((i) => i.id);
      const since = modifiedSince;
      return this.answer(c, undefined, this.#defaultOrg, since).map((i) => i.id);
    }
    const streams = filters.map((f) => this.filterObject(c, f, modifiedSince));
    let members = new Set(streams[0]);
    filters.forEach((f, i) => {
      if (i === 0) return;
      const s = new Set(streams[i]);
      members =
        f.operator === 'and' ? new Set([...members].filter((id) => s.has(id))) : new Set([...members, ...s]);
    });
    const order: number[] = [];
    const placed = new Set<number>();
    filters.forEach((f, i) => {
      if (i > 0 && f.operator === 'and') return;
      for (const id of streams[i] ?? []) {
        if (members.has(id) && !placed.has(id)) {
          placed.add(id);
          order.push(id);
        }
      }
    });
    return order;
  }
}

function sameOwnerExact(a: string, b: string): boolean {
  return a === b;
}
