/**
 * Collects the sample records while they are built, keeps the link arrays of both ends and the
 * top-level lists in step, and checks that indicator values stay unique per (owner, type). The records
 * leave it in parts ({@link SampleBuilder.take}), so that a large data set never has to be held whole.
 */
import type {
  SampleAssociation,
  SampleData,
  SampleDnsResolution,
  SampleDocument,
  SampleFalsePositive,
  SampleFileOccurrence,
  SampleGroup,
  SampleIndicator,
  SampleIndicatorType,
  SampleItemAttribute,
  SampleItemKind,
  SampleObservation,
  SampleTask,
  SampleVictim,
} from '../sample-types.js';
import { OWNERS, SECURITY_LABELS, TAG_DESCRIPTIONS, USERS } from './constants.js';

const KIND_RANK: Record<SampleItemKind, number> = { indicator: 0, group: 1, victim: 2, task: 3 };

/** An item together with its kind. */
export type ItemTarget =
  | { kind: 'indicator'; item: SampleIndicator }
  | { kind: 'group'; item: SampleGroup }
  | { kind: 'victim'; item: SampleVictim }
  | { kind: 'task'; item: SampleTask };

export interface AttributeInput {
  type: string;
  value: string;
  displayed: boolean;
  source?: string;
  dateAdded: string;
  lastModified: string;
}

export class SampleBuilder {
  readonly indicators: SampleIndicator[] = [];
  readonly groups: SampleGroup[] = [];
  readonly victims: SampleVictim[] = [];
  readonly tasks: SampleTask[] = [];
  readonly attributes: SampleItemAttribute[] = [];
  readonly associations: SampleAssociation[] = [];
  readonly documents: SampleDocument[] = [];
  readonly observations: SampleObservation[] = [];
  readonly falsePositives: SampleFalsePositive[] = [];
  readonly fileOccurrences: SampleFileOccurrence[] = [];
  readonly dnsResolutions: SampleDnsResolution[] = [];
  /** Next id for attributes and for victim assets; the generated part moves them to a high range. */
  nextAttributeId = 1;
  nextAssetId = 1;
  readonly #values = new Map<string, Map<SampleIndicatorType, Set<string>>>();
  /** The tags of the records taken so far, per owner. */
  readonly #tagNames = new Map<string, Set<string>>(OWNERS.map((o) => [o.name, new Set<string>()]));

  /**
   * Marks `value` as used in (owner, type). Returns false when it was already used there. Values are
   * compared as they are: the sample values are all in their canonical case already (lower-case hosts,
   * URLs and mailboxes, upper-case hashes).
   */
  claimValue(ownerName: string, type: SampleIndicatorType, value: string): boolean {
    let byType = this.#values.get(ownerName);
    if (!byType) {
      byType = new Map();
      this.#values.set(ownerName, byType);
    }
    let used = byType.get(type);
    if (!used) {
      used = new Set();
      byType.set(type, used);
    }
    if (used.has(value)) return false;
    used.add(value);
    return true;
  }

  /** Adds an indicator whose values were already claimed with `claimValue`. */
  addIndicator(indicator: SampleIndicator): SampleIndicator {
    this.indicators.push(indicator);
    return indicator;
  }

  /** Adds a fixed indicator, claiming its values; a duplicate is a bug in the fixed layout. */
  addFixedIndicator(indicator: SampleIndicator): SampleIndicator {
    const values =
      indicator.type === 'File'
        ? [indicator.md5, indicator.sha1, indicator.sha256].filter((h): h is string => h !== undefined)
        : [indicator.summary];
    for (const value of values) {
      if (!this.claimValue(indicator.ownerName, indicator.type, value)) {
        throw new Error(`sample data: duplicate ${indicator.type} value ${value} in ${indicator.ownerName}`);
      }
    }
    return this.addIndicator(indicator);
  }

  addGroup(group: SampleGroup): SampleGroup {
    this.groups.push(group);
    return group;
  }

  addVictim(victim: SampleVictim): SampleVictim {
    this.victims.push(victim);
    return victim;
  }

  addTask(task: SampleTask): SampleTask {
    this.tasks.push(task);
    return task;
  }

  addDocument(group: SampleGroup, content: Buffer): void {
    if (group.fileName === undefined) throw new Error(`sample data: document ${group.id} has no fileName`);
    group.fileSize = content.length;
    this.documents.push({ groupId: group.id, fileName: group.fileName, content });
  }

  /**
   * Adds an attribute to an item. A displayed Description fills the item's `description` (indicators,
   * victims and tasks have that field), a displayed Source an indicator's `source`.
   */
  addAttribute(target: ItemTarget, input: AttributeInput): void {
    const id = this.nextAttributeId;
    this.nextAttributeId += 1;
    const { type, value, displayed, dateAdded, lastModified, source } = input;
    if (source === undefined) {
      target.item.attributes.push({ id, type, value, displayed, dateAdded, lastModified });
      this.attributes.push({
        id,
        type,
        value,
        displayed,
        dateAdded,
        lastModified,
        itemKind: target.kind,
        itemId: target.item.id,
      });
    } else {
      target.item.attributes.push({ id, type, value, displayed, source, dateAdded, lastModified });
      this.attributes.push({
        id,
        type,
        value,
        displayed,
        source,
        dateAdded,
        lastModified,
        itemKind: target.kind,
        itemId: target.item.id,
      });
    }
    if (!input.displayed) return;
    if (input.type === 'Description' && target.kind !== 'group') target.item.description = input.value;
    else if (input.type === 'Source' && target.kind === 'indicator') target.item.source = input.value;
  }

  #associate(aKind: SampleItemKind, aId: number, bKind: SampleItemKind, bId: number): void {
    const swap = KIND_RANK[aKind] > KIND_RANK[bKind] || (aKind === bKind && aId > bId);
    this.associations.push(
      swap
        ? { a: { kind: bKind, id: bId }, b: { kind: aKind, id: aId } }
        : { a: { kind: aKind, id: aId }, b: { kind: bKind, id: bId } },
    );
  }

  /** Links an indicator and a group. Returns false (and changes nothing) when they are already linked. */
  linkIndicatorGroup(indicator: SampleIndicator, group: SampleGroup): boolean {
    if (indicator.groupIds.includes(group.id)) return false;
    indicator.groupIds.push(group.id);
    group.indicatorIds.push(indicator.id);
    this.#associate('indicator', indicator.id, 'group', group.id);
    return true;
  }

  linkGroups(first: SampleGroup, second: SampleGroup): boolean {
    if (first.id === second.id || first.groupIds.includes(second.id)) return false;
    first.groupIds.push(second.id);
    second.groupIds.push(first.id);
    this.#associate('group', first.id, 'group', second.id);
    return true;
  }

  linkVictimGroup(victim: SampleVictim, group: SampleGroup): boolean {
    if (victim.groupIds.includes(group.id)) return false;
    victim.groupIds.push(group.id);
    group.victimIds.push(victim.id);
    this.#associate('victim', victim.id, 'group', group.id);
    return true;
  }

  linkVictimIndicator(victim: SampleVictim, indicator: SampleIndicator): boolean {
    if (victim.indicatorIds.includes(indicator.id)) return false;
    victim.indicatorIds.push(indicator.id);
    indicator.victimIds.push(victim.id);
    this.#associate('victim', victim.id, 'indicator', indicator.id);
    return true;
  }

  linkTaskGroup(task: SampleTask, group: SampleGroup): boolean {
    if (task.groupIds.includes(group.id)) return false;
    task.groupIds.push(group.id);
    group.taskIds.push(task.id);
    this.#associate('task', task.id, 'group', group.id);
    return true;
  }

  linkTaskIndicator(task: SampleTask, indicator: SampleIndicator): boolean {
    if (task.indicatorIds.includes(indicator.id)) return false;
    task.indicatorIds.push(indicator.id);
    indicator.taskIds.push(task.id);
    this.#associate('task', task.id, 'indicator', indicator.id);
    return true;
  }

  linkTaskVictim(task: SampleTask, victim: SampleVictim): boolean {
    if (task.victimIds.includes(victim.id)) return false;
    task.victimIds.push(victim.id);
    victim.taskIds.push(task.id);
    this.#associate('task', task.id, 'victim', victim.id);
    return true;
  }

  /**
   * Takes the records collected since the last call, as one part of the sample data: every list holds
   * only those records, and `owners`, `users`, `tags` and `securityLabels` are empty. Link arrays are
   * sorted, and the tags each record carries are noted for {@link finish}. A record must be complete
   * when it is taken: the caller adds it to the builder only once nothing will link to it any more.
   */
  take(): SampleData {
    const numeric = (x: number, y: number): number => x - y;
    const tidy = (
      item: { ownerName: string; tags: string[]; securityLabels: string[] },
      links: number[][],
    ): void => {
      const owned = this.#tagNames.get(item.ownerName);
      if (!owned) throw new Error(`sample data: unknown owner ${item.ownerName}`);
      for (const t of item.tags) owned.add(t);
      for (const label of item.securityLabels) {
        if (!SECURITY_LABELS.some((l) => l.name === label))
          throw new Error(`sample data: unknown security label ${label}`);
      }
      for (const list of links) if (list.length > 1) list.sort(numeric);
    };
    for (const i of this.indicators) tidy(i, [i.groupIds, i.victimIds, i.taskIds]);
    for (const g of this.groups) tidy(g, [g.indicatorIds, g.groupIds, g.victimIds, g.taskIds]);
    for (const v of this.victims) tidy(v, [v.indicatorIds, v.groupIds, v.taskIds]);
    for (const t of this.tasks) tidy(t, [t.indicatorIds, t.groupIds, t.victimIds]);
    const part: SampleData = {
      owners: [],
      users: [],
      indicators: this.indicators.splice(0),
      groups: this.groups.splice(0),
      victims: this.victims.splice(0),
      tasks: this.tasks.splice(0),
      tags: [],
      securityLabels: [],
      attributes: this.attributes.splice(0),
      associations: this.associations.splice(0),
      documents: this.documents.splice(0),
      observations: this.observations.splice(0),
      falsePositives: this.falsePositives.splice(0),
      fileOccurrences: this.fileOccurrences.splice(0),
      dnsResolutions: this.dnsResolutions.splice(0),
    };
    return part;
  }

  /** The owners, users and built-in labels: the constant part, which comes first. */
  static head(): Pick<SampleData, 'owners' | 'users' | 'securityLabels'> {
    return {
      owners: OWNERS.map((o) => ({ ...o })),
      users: USERS.map((u) => ({ ...u, owners: [...u.owners] })),
      securityLabels: OWNERS.flatMap((owner) =>
        SECURITY_LABELS.map((l) => ({ ownerName: owner.name, ...l })),
      ),
    };
  }

  /**
   * The last part: the records still held (as {@link take} gives them) and the tag list, derived from
   * every record taken: an item's tags belong to its owner (decisions.md 2.4).
   */
  finish(): SampleData {
    const part = this.take();
    part.tags = OWNERS.flatMap((owner) =>
      [...(this.#tagNames.get(owner.name) ?? [])].sort().map((name) => {
        const description = TAG_DESCRIPTIONS[name];
        return description === undefined
          ? { ownerName: owner.name, name }
          : { ownerName: owner.name, name, description };
      }),
    );
    return part;
  }
}

/** Joins the parts of the sample data into one, every list sorted as `sampleData(n)` gives it. */
export function joinParts(parts: Iterable<SampleData>): SampleData {
  const all: SampleData = {
    owners: [],
    users: [],
    indicators: [],
    groups: [],
    victims: [],
    tasks: [],
    tags: [],
    securityLabels: [],
    attributes: [],
    associations: [],
    documents: [],
    observations: [],
    falsePositives: [],
    fileOccurrences: [],
    dnsResolutions: [],
  };
  const append = <T>(target: T[], items: readonly T[]): void => {
    for (const item of items) target.push(item);
  };
  for (const part of parts) {
    append(all.owners, part.owners);
    append(all.users, part.users);
    append(all.indicators, part.indicators);
    append(all.groups, part.groups);
    append(all.victims, part.victims);
    append(all.tasks, part.tasks);
    append(all.tags, part.tags);
    append(all.securityLabels, part.securityLabels);
    append(all.attributes, part.attributes);
    append(all.associations, part.associations);
    append(all.documents, part.documents);
    append(all.observations, part.observations);
    append(all.falsePositives, part.falsePositives);
    append(all.fileOccurrences, part.fileOccurrences);
    append(all.dnsResolutions, part.dnsResolutions);
  }
  const byId = (x: { id: number }, y: { id: number }): number => x.id - y.id;
  const rank = (x: SampleAssociation, y: SampleAssociation): number =>
    KIND_RANK[x.a.kind] - KIND_RANK[y.a.kind] ||
    x.a.id - y.a.id ||
    KIND_RANK[x.b.kind] - KIND_RANK[y.b.kind] ||
    x.b.id - y.b.id;
  all.indicators.sort(byId);
  all.groups.sort(byId);
  all.victims.sort(byId);
  all.tasks.sort(byId);
  all.attributes.sort(byId);
  all.associations.sort(rank);
  all.documents.sort((x, y) => x.groupId - y.groupId);
  all.fileOccurrences.sort(byId);
  all.dnsResolutions.sort(byId);
  return all;
}
