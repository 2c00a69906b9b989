/**
 * The generated part of the sample data: n indicators over the five base types and the three owners,
 * with groups, victims and tasks whose counts grow gently with n. Ids start at 1,000,001, dates are `Z`
 * dates before a fixed epoch, and everything comes from two seeded generators: one for the groups and
 * indicators, one for the victims and tasks and their links to indicators.
 *
 * The indicators leave in parts of `batchSize` as soon as they are complete, so n can be large without
 * holding every record at once. That is why victims and tasks are made before the indicators (each
 * indicator may link to one of its owner's victims and tasks; nothing links to an indicator after it
 * is made), and why groups, victims and tasks, whose link arrays grow until the last indicator, leave
 * at the end.
 */
import type {
  SampleData,
  SampleGroup,
  SampleIndicatorType,
  SampleTask,
  SampleVictim,
  SampleVictimAsset,
} from '../sample-types.js';
import { INCIDENT_STATUSES, SIGNATURE_FILE_TYPES, TASK_STATUSES, VICTIM_ASSET_TYPES } from '../types.js';
import type { AttributeInput, ItemTarget, SampleBuilder } from './builder.js';
import {
  ADJECTIVES,
  ANIMALS,
  DEPARTMENTS,
  EXAMPLE_ORG,
  FIRST_NAMES,
  GENERATED_LABELS,
  GENERATED_TAGS,
  GROUP_TYPE_NAMES,
  LAST_NAMES,
  LOCATIONS,
  MAIN_USER,
  NATIONALITIES,
  ORGANIZATIONS,
  OWNER_NAMES,
  RESTRICTED_USER,
  SOCIAL_NETWORKS,
  TAG_APT,
  TASK_ACTIONS,
  TASK_OBJECTS,
  TOP_LEVEL_DOMAINS,
  URL_PATHS,
  WORDS,
} from './constants.js';
import { SeededRandom } from './random.js';
import { newGroup, newIndicator, newTask, newVictim } from './records.js';

/** First id of every generated collection (indicators, groups, victims, tasks, attributes, assets). */
export const GENERATED_ID_START = 1_000_001;
/** Generated dates lie in the two years before this instant. */
export const SAMPLE_EPOCH = '2024-01-01T00:00:00Z';
const EPOCH_SECONDS = Date.parse(SAMPLE_EPOCH) / 1000;
const SPAN_SECONDS = 730 * 86_400;
const SEED = 0x7c0ffee;
/** The victims' and tasks' own generator, so that the indicators are as the single generator made them. */
const PEOPLE_SEED = 0x51c7e5;

const INDICATOR_TYPES: readonly SampleIndicatorType[] = ['Address', 'Host', 'File', 'URL', 'EmailAddress'];
const INDICATOR_TYPE_WEIGHTS: readonly number[] = [30, 25, 20, 15, 10];
const OWNER_WEIGHTS: readonly number[] = [40, 35, 25];
/** Weights in the order of GROUP_TYPE_NAMES. */
const GROUP_TYPE_WEIGHTS: readonly number[] = [25, 15, 8, 10, 15, 7, 20];
const SOURCES: readonly string[] = ['OSINT', 'Partner feed', 'Honeypot', 'Customer report'];
const THREAT_KINDS: readonly string[] = ['Loader', 'RAT', 'Stealer', 'Botnet', 'Dropper', 'Wiper'];
const EMAIL_SUBJECTS: readonly string[] = [
  'Your invoice is overdue',
  'Password expiry notice',
  'Shipment delivery failed',
  'Updated payroll schedule',
  'Action required: verify your account',
  'Meeting notes attached',
];
const ASSET_TYPES: readonly SampleVictimAsset['type'][] = VICTIM_ASSET_TYPES.map((t) => t.type);

/** Scaled counts of the generated groups, victims and tasks for n indicators. */
export function generatedCounts(n: number): { groups: number; victims: number; tasks: number } {
  if (n === 0) return { groups: 0, victims: 0, tasks: 0 };
  const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
  return {
    groups: clamp(Math.ceil(n / 50), GROUP_TYPE_NAMES.length * OWNER_NAMES.length, 2000),
    victims: clamp(Math.ceil(n / 500), OWNER_NAMES.length, 200),
    tasks: clamp(Math.ceil(n / 500), OWNER_NAMES.length, 200),
  };
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, k) => String(k).padStart(2, '0'));

/** Formats epoch seconds as `YYYY-MM-DDTHH:MM:SSZ`, caching the date part of each day. */
class DateFormatter {
  readonly #days = new Map<number, string>();

  format(seconds: number): string {
    const day = Math.floor(seconds / 86_400);
    let prefix = this.#days.get(day);
    if (prefix === undefined) {
      prefix = `${new Date(day * 86_400_000).toISOString().slice(0, 10)}T`;
      this.#days.set(day, prefix);
    }
    const rest = seconds - day * 86_400;
    const hour = Math.floor(rest / 3600);
    const minute = Math.floor((rest % 3600) / 60);
    return `${prefix}${TWO_DIGITS[hour] ?? ''}:${TWO_DIGITS[minute] ?? ''}:${TWO_DIGITS[rest % 60] ?? ''}Z`;
  }
}

class SampleGenerator {
  readonly #b: SampleBuilder;
  /** Groups and indicators. */
  readonly #r = new SeededRandom(SEED);
  /** Victims, tasks, and which indicators link to them. */
  readonly #people = new SeededRandom(PEOPLE_SEED);
  readonly #dates = new DateFormatter();
  readonly #groupsByOwner = new Map<string, SampleGroup[]>();
  readonly #victimsByOwner = new Map<string, SampleVictim[]>();
  readonly #tasksByOwner = new Map<string, SampleTask[]>();
  readonly #groups: SampleGroup[] = [];
  readonly #victims: SampleVictim[] = [];
  readonly #tasks: SampleTask[] = [];

  constructor(b: SampleBuilder) {
    this.#b = b;
    for (const owner of OWNER_NAMES) {
      this.#groupsByOwner.set(owner, []);
      this.#victimsByOwner.set(owner, []);
      this.#tasksByOwner.set(owner, []);
    }
  }

  /** [dateAdded, lastModified] in seconds: within two years before the epoch, lastModified >= dateAdded. */
  #dateRange(r: SeededRandom = this.#r): [number, number] {
    const added = EPOCH_SECONDS - 1 - r.int(SPAN_SECONDS);
    const modified = r.chance(0.3) ? added : added + r.int(EPOCH_SECONDS - added);
    return [added, modified];
  }

  #iso(seconds: number): string {
    return this.#dates.format(seconds);
  }

  #owner(): string {
    return this.#r.weighted(OWNER_NAMES, OWNER_WEIGHTS);
  }

  /** A few tags (APT among them, unless the record is an adversary) and at most one label. */
  #metadata(
    item: { tags: string[]; securityLabels: string[] },
    aptAllowed: boolean,
    r: SeededRandom = this.#r,
  ): void {
    if (aptAllowed && r.chance(0.08)) item.tags.push(TAG_APT);
    if (r.chance(0.25)) {
      const first = r.pick(GENERATED_TAGS);
      item.tags.push(first);
      if (r.chance(0.2)) {
        const second = r.pick(GENERATED_TAGS);
        if (second !== first) item.tags.push(second);
      }
    }
    if (r.chance(0.15)) item.securityLabels.push(r.pick(GENERATED_LABELS));
  }

  /**
   * A value of (owner, type) not used yet. Random candidates almost never collide; after a few
   * collisions (a crowded value space) the sequence number makes the value unique.
   */
  #unique(owner: string, type: SampleIndicatorType, candidate: () => string, sequence: number): string {
    for (let attempt = 0; ; attempt += 1) {
      const base = candidate();
      const value = attempt < 5 || type === 'File' ? base : this.#withSuffix(type, base, sequence, attempt);
      if (this.#b.claimValue(owner, type, value)) return value;
    }
  }

  #withSuffix(type: SampleIndicatorType, value: string, sequence: number, attempt: number): string {
    const suffix = `${sequence.toString(36)}x${attempt.toString(36)}`;
    if (type === 'Host') return `n${suffix}.${value}`;
    if (type === 'EmailAddress') return value.replace('@', `.${suffix}@`);
    if (type === 'URL') return `${value}${value.includes('?') ? '&' : '?'}n=${suffix}`;
    // Addresses: an IPv6 address made of the sequence number and the attempt.
    const hex = (n: number): string => n.toString(16);
    return `2001:db8:ffff:${hex(attempt & 0xffff)}:0:${hex(Math.floor(sequence / 2 ** 32) & 0xffff)}:${hex(Math.floor(sequence / 0x10000) & 0xffff)}:${hex(sequence & 0xffff)}`;
  }

  #hostName(): string {
    const r = this.#r;
    const sub = r.chance(0.3) ? `${r.pick(['www', 'mail', 'cdn', 'update', 'api', 'secure'])}.` : '';
    const number = r.chance(0.5) ? String(r.int(1000)) : '';
    return `${sub}${r.pick(WORDS)}-${r.pick(WORDS)}${number}.${r.pick(TOP_LEVEL_DOMAINS)}`;
  }

  #ipv4(): string {
    const r = this.#r;
    let first = r.between(1, 223);
    while (first === 10 || first === 127) first = r.between(1, 223);
    return `${first}.${r.int(256)}.${r.int(256)}.${r.between(1, 254)}`;
  }

  /** An IPv6 address in full form: eight groups, lower case, no leading zeros, no `::`. */
  #ipv6(): string {
    const r = this.#r;
    const groups = ['2001', 'db8'];
    for (let k = 0; k < 6; k += 1) groups.push(r.int(0x10000).toString(16));
    return groups.join(':');
  }

  #indicatorValue(
    owner: string,
    type: SampleIndicatorType,
    sequence: number,
  ): Parameters<typeof newIndicator>[3] {
    const r = this.#r;
    if (type === 'File') {
      const which = r.chance(0.6) ? 7 : r.between(1, 7);
      const value: { md5?: string; sha1?: string; sha256?: string } = {};
      if (which & 1) value.md5 = this.#unique(owner, 'File', () => r.hex(32), sequence);
      if (which & 2) value.sha1 = this.#unique(owner, 'File', () => r.hex(40), sequence);
      if (which & 4) value.sha256 = this.#unique(owner, 'File', () => r.hex(64), sequence);
      return value;
    }
    let candidate: () => string;
    if (type === 'Address') candidate = r.chance(0.05) ? () => this.#ipv6() : () => this.#ipv4();
    else if (type === 'Host') candidate = () => this.#hostName();
    else if (type === 'URL') {
      candidate = () => {
        const scheme = r.chance(0.6) ? 'http' : 'https';
        const query = r.chance(0.3) ? `?id=${r.int(100000)}` : '';
        return `${scheme}://${this.#hostName()}/${r.pick(URL_PATHS)}${query}`;
      };
    } else {
      candidate = () =>
        `${r.pick(WORDS)}.${r.pick(WORDS)}${r.int(100)}@${r.pick(WORDS)}-${r.pick(WORDS)}.${r.pick(TOP_LEVEL_DOMAINS)}`;
    }
    return { value: this.#unique(owner, type, candidate, sequence) };
  }

  #attributes(target: ItemTarget, dateAdded: string, lastModified: string, r: SeededRandom = this.#r): void {
    if (r.chance(0.4)) {
      const value = `${r.pick(ADJECTIVES)} activity seen by ${r.pick(WORDS)} sensors.`;
      this.#b.addAttribute(target, {
        type: 'Description',
        value,
        displayed: r.chance(0.9),
        dateAdded,
        lastModified,
      });
    }
    if (r.chance(0.25)) {
      const value = `${r.pick(SOURCES)} ${r.int(100)}`;
      const input: AttributeInput = {
        type: 'Source',
        value,
        displayed: r.chance(0.8),
        dateAdded,
        lastModified,
      };
      if (r.chance(0.3)) input.source = 'Sandbox';
      this.#b.addAttribute(target, input);
    }
    if (r.chance(0.1)) {
      const value = `Observed together with ${r.pick(ANIMALS)} tooling.`;
      this.#b.addAttribute(target, {
        type: 'Additional Analysis and Context',
        value,
        displayed: false,
        dateAdded,
        lastModified,
      });
    }
  }

  /** A random group, of `owner` most of the time. */
  #someGroup(owner: string, r: SeededRandom = this.#r): SampleGroup | undefined {
    const own = this.#groupsByOwner.get(owner) ?? [];
    const pool = own.length > 0 && r.chance(0.85) ? own : this.#groups;
    return pool.length > 0 ? r.pick(pool) : undefined;
  }

  /**
   * Makes the records, yielding the indicators (with their attributes and links) every `batchSize`
   * indicators; the groups, victims and tasks stay in the builder for its last part.
   */
  *run(n: number, batchSize: number): Generator<SampleData> {
    const counts = generatedCounts(n);
    for (let i = 0; i < counts.groups; i += 1) this.#group(i);
    for (const group of this.#groups) {
      if (!this.#r.chance(0.4)) continue;
      const other = this.#someGroup(group.ownerName);
      if (other) this.#b.linkGroups(group, other);
    }
    for (let i = 0; i < counts.victims; i += 1) this.#victim(i);
    for (let i = 0; i < counts.tasks; i += 1) this.#task(i);
    // As many links on average as when victims picked 0-3 indicators and tasks 0-2.
    const links = {
      victim: Math.min(1, (1.5 * counts.victims) / Math.max(1, n)),
      task: Math.min(1, counts.tasks / Math.max(1, n)),
    };
    for (let i = 0; i < n; i += 1) {
      this.#indicator(i, links);
      if ((i + 1) % batchSize === 0 && i + 1 < n) yield this.#b.take();
    }
    // Attribute ids follow the indicators' for the victims and tasks, whose attributes come last.
    const p = this.#people;
    for (const victim of this.#victims) {
      const [added, modified] = this.#dateRange(p);
      this.#attributes({ kind: 'victim', item: victim }, this.#iso(added), this.#iso(modified), p);
    }
    for (const task of this.#tasks)
      this.#attributes({ kind: 'task', item: task }, task.dateAdded, task.lastModified, p);
    for (const group of this.#groups) this.#b.addGroup(group);
    for (const victim of this.#victims) this.#b.addVictim(victim);
    for (const task of this.#tasks) this.#b.addTask(task);
  }

  #group(i: number): void {
    const r = this.#r;
    const id = GENERATED_ID_START + i;
    // The first 21 groups give every type in every owner.
    const catalogSize = GROUP_TYPE_NAMES.length * OWNER_NAMES.length;
    const type =
      i < catalogSize
        ? (GROUP_TYPE_NAMES[i % GROUP_TYPE_NAMES.length] ?? 'Threat')
        : r.weighted(GROUP_TYPE_NAMES, GROUP_TYPE_WEIGHTS);
    const owner =
      i < catalogSize ? (OWNER_NAMES[Math.floor(i / GROUP_TYPE_NAMES.length)] ?? EXAMPLE_ORG) : this.#owner();
    const [added, modified] = this.#dateRange();
    const adjective = r.pick(ADJECTIVES);
    const animal = r.pick(ANIMALS);
    let name: string;
    const group = newGroup(id, type, '', owner, this.#iso(added), this.#iso(modified));
    if (type === 'Adversary') {
      name = `${adjective} ${animal}`;
    } else if (type === 'Campaign') {
      const word = r.pick(WORDS);
      name = `Operation ${adjective} ${word.charAt(0).toUpperCase()}${word.slice(1)}`;
      group.firstSeen = this.#iso(added - r.int(90 * 86_400));
    } else if (type === 'Document') {
      name = `${adjective} ${animal} report ${i}`;
      group.fileName = `${adjective.toLowerCase()}-${animal.toLowerCase()}-report-${i}.txt`;
      group.status = 'Success';
      group.malware = false;
    } else if (type === 'Email') {
      const subject = r.pick(EMAIL_SUBJECTS);
      const from = `${r.pick(WORDS)}@${r.pick(WORDS)}-${r.pick(WORDS)}.${r.pick(TOP_LEVEL_DOMAINS)}`;
      const to = `${r.pick(FIRST_NAMES).toLowerCase()}.${r.pick(LAST_NAMES).toLowerCase()}@example.org`;
      name = subject;
      group.subject = subject;
      group.from = from;
      group.to = to;
      group.header = `Received: from mail.${from.split('@')[1] ?? 'example.net'}\nFrom: ${from}\nTo: ${to}\nSubject: ${subject}`;
      group.body = `Hello,\n\n${subject}. See the attachment.\n`;
      group.score = r.int(101);
    } else if (type === 'Incident') {
      const event = added - r.int(30 * 86_400);
      name = `${this.#iso(event).slice(0, 10).replace(/-/g, '')}: ${adjective} ${animal} intrusion`;
      group.eventDate = this.#iso(event);
      group.status = r.pick(INCIDENT_STATUSES);
    } else if (type === 'Signature') {
      const fileType = r.pick(SIGNATURE_FILE_TYPES);
      name = `${animal} ${fileType} rule ${i}`;
      group.fileName = `${animal.toLowerCase()}-${i}.${signatureExtension(fileType)}`;
      group.fileType = fileType;
      group.fileText = signatureText(fileType, `${adjective}${animal}${i}`, i);
    } else {
      name = `${adjective}${animal} ${r.pick(THREAT_KINDS)}`;
    }
    group.name = name;
    this.#metadata(group, type !== 'Adversary');
    this.#attributes({ kind: 'group', item: group }, group.dateAdded, group.lastModified);
    if (type === 'Document') {
      const lines = [name, `Owner: ${owner}`];
      for (let k = r.int(4); k > 0; k -= 1)
        lines.push(`${r.pick(ADJECTIVES)} ${r.pick(WORDS)} ${r.pick(ANIMALS)}.`);
      this.#b.addDocument(group, Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    }
    this.#groups.push(group);
    this.#groupsByOwner.get(owner)?.push(group);
  }

  /** Indicator i; `links` gives the chance that it links to one of its owner's victims, and to a task. */
  #indicator(i: number, links: { victim: number; task: number }): void {
    const r = this.#r;
    const id = GENERATED_ID_START + i;
    const owner = this.#owner();
    const type = r.weighted(INDICATOR_TYPES, INDICATOR_TYPE_WEIGHTS);
    const [added, modified] = this.#dateRange();
    const indicator = newIndicator(
      id,
      owner,
      type,
      this.#indicatorValue(owner, type, i),
      this.#iso(added),
      this.#iso(modified),
    );
    if (r.chance(0.8)) indicator.rating = r.int(11) / 2;
    if (r.chance(0.8)) indicator.confidence = r.int(101);
    if (r.chance(0.5)) {
      indicator.threatAssessRating = r.int(501) / 100;
      indicator.threatAssessConfidence = r.int(10001) / 100;
    }
    if (type === 'Host') {
      indicator.dnsActive = r.chance(0.5) ? 'true' : 'false';
      indicator.whoisActive = r.chance(0.5) ? 'true' : 'false';
    } else if (type === 'File' && r.chance(0.7)) {
      indicator.size = r.between(100, 10_000_000);
    }
    indicator.active = r.chance(0.95);
    this.#metadata(indicator, true);
    this.#attributes({ kind: 'indicator', item: indicator }, indicator.dateAdded, indicator.lastModified);
    this.#b.addIndicator(indicator);
    const draw = r.next();
    const groupCount = draw < 0.35 ? 1 : draw < 0.45 ? 2 : 0;
    for (let k = 0; k < groupCount; k += 1) {
      const group = this.#someGroup(owner);
      if (group) this.#b.linkIndicatorGroup(indicator, group);
    }
    const p = this.#people;
    if (p.chance(links.victim)) {
      const victims = this.#victimsByOwner.get(owner) ?? [];
      if (victims.length > 0) this.#b.linkVictimIndicator(p.pick(victims), indicator);
    }
    if (p.chance(links.task)) {
      const tasks = this.#tasksByOwner.get(owner) ?? [];
      if (tasks.length > 0) this.#b.linkTaskIndicator(p.pick(tasks), indicator);
    }
  }

  /** Victim i, without its attributes, which come after the indicators'. */
  #victim(i: number): void {
    const r = this.#people;
    const id = GENERATED_ID_START + i;
    const owner = OWNER_NAMES[i % OWNER_NAMES.length] ?? EXAMPLE_ORG;
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    const victim = newVictim(id, `${first} ${last}`, owner);
    victim.org = r.pick(ORGANIZATIONS);
    if (r.chance(0.7)) victim.suborg = r.pick(DEPARTMENTS);
    if (r.chance(0.7)) victim.workLocation = r.pick(LOCATIONS);
    if (r.chance(0.5)) victim.nationality = r.pick(NATIONALITIES);
    const user = `${first.charAt(0)}${last}`.toLowerCase();
    for (let k = r.between(1, 3); k > 0; k -= 1) {
      const type = r.pick(ASSET_TYPES);
      let name: string;
      let fields: Record<string, string>;
      if (type === 'EmailAddress') {
        name = `${user}${i}@${victim.org.toLowerCase().replace(/ /g, '')}.example.com`;
        fields = { address: name, addressType: r.pick(['Work', 'Personal']) };
      } else if (type === 'NetworkAccount') {
        name = `${user}${i}`;
        fields = { account: name, network: r.pick(['Active Directory', 'VPN', 'LDAP']) };
      } else if (type === 'Phone') {
        name = `+1-555-${String(r.int(10_000)).padStart(4, '0')}`;
        fields = { phoneType: name };
      } else if (type === 'SocialNetwork') {
        name = `@${user}${i}`;
        fields = { account: name, network: r.pick(SOCIAL_NETWORKS) };
      } else {
        name = `www.${user}${i}.example.com`;
        fields = { webSite: name };
      }
      victim.assets.push({ id: this.#b.nextAssetId, type, name, fields });
      this.#b.nextAssetId += 1;
    }
    this.#metadata(victim, true, r);
    this.#victims.push(victim);
    this.#victimsByOwner.get(owner)?.push(victim);
    for (let k = r.between(1, 2); k > 0; k -= 1) {
      const group = this.#someGroup(owner, r);
      if (group) this.#b.linkVictimGroup(victim, group);
    }
  }

  /** Task i, without its attributes, which come after the indicators'. */
  #task(i: number): void {
    const r = this.#people;
    const id = GENERATED_ID_START + i;
    const owner = OWNER_NAMES[i % OWNER_NAMES.length] ?? EXAMPLE_ORG;
    const status = r.pick(TASK_STATUSES);
    const [added, modified] = this.#dateRange(r);
    const task = newTask(
      id,
      `${r.pick(TASK_ACTIONS)} ${r.pick(TASK_OBJECTS)}`,
      owner,
      status,
      this.#iso(added),
      this.#iso(modified),
    );
    if (r.chance(0.8)) {
      const due = added + r.between(1, 60) * 86_400;
      task.dueDate = this.#iso(due);
      if (r.chance(0.5)) {
        const reminder = due - r.between(1, 3) * 86_400;
        task.reminderDate = this.#iso(reminder);
        task.reminded = reminder < EPOCH_SECONDS;
      }
      if (r.chance(0.4)) {
        const escalation = due + r.between(1, 5) * 86_400;
        task.escalationDate = this.#iso(escalation);
        task.escalated = escalation < EPOCH_SECONDS && status !== 'Completed';
        task.escalatee.push({ ...MAIN_USER });
      }
      task.overdue = due < EPOCH_SECONDS && status !== 'Completed';
    }
    task.assignee.push({ ...MAIN_USER });
    if (owner === EXAMPLE_ORG && r.chance(0.5)) task.assignee.push({ ...RESTRICTED_USER });
    this.#metadata(task, true, r);
    this.#tasks.push(task);
    this.#tasksByOwner.get(owner)?.push(task);
    for (let k = r.int(3); k > 0; k -= 1) {
      const group = this.#someGroup(owner, r);
      if (group) this.#b.linkTaskGroup(task, group);
    }
    const ownVictims = this.#victimsByOwner.get(owner) ?? [];
    if (ownVictims.length > 0 && r.chance(0.4)) this.#b.linkTaskVictim(task, r.pick(ownVictims));
  }
}

function signatureExtension(fileType: string): string {
  if (fileType === 'YARA') return 'yar';
  if (fileType === 'Snort' || fileType === 'Suricata') return 'rules';
  return 'txt';
}

function signatureText(fileType: string, ruleName: string, i: number): string {
  if (fileType === 'YARA')
    return `rule ${ruleName}\n{\n  strings:\n    $a = "${ruleName.toLowerCase()}"\n  condition:\n    $a\n}\n`;
  if (fileType === 'Snort' || fileType === 'Suricata') {
    return `alert tcp any any -> any 80 (msg:"${ruleName} beacon"; content:"${ruleName.toLowerCase()}"; sid:${9_000_000 + i}; rev:1;)\n`;
  }
  if (fileType === 'Regex') return `${ruleName.toLowerCase()}[0-9]{2,4}\\.exe\n`;
  return `# ${fileType} signature ${ruleName}\n${ruleName.toLowerCase()}\n`;
}

/**
 * Makes the generated records for n indicators, in their own id range, yielding a part of the builder
 * every `batchSize` indicators; the rest stays in the builder for its last part.
 */
export function* generatedRecords(b: SampleBuilder, n: number, batchSize: number): Generator<SampleData> {
  b.nextAttributeId = GENERATED_ID_START;
  b.nextAssetId = GENERATED_ID_START;
  if (n > 0) yield* new SampleGenerator(b).run(n, batchSize);
}
