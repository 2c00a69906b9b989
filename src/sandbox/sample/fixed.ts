/**
 * The fixed records of decisions.md 2.5: always present, identical for every n, ids below 1,000,000.
 * Dates use the 2015 `-05:00` style of the recorded records; the five recorded indicators keep their
 * recorded dates and webLinks verbatim.
 */
import { createHash } from 'node:crypto';
import type {
  SampleGroup,
  SampleGroupType,
  SampleIndicator,
  SampleIndicatorType,
  SampleTask,
  SampleTaskStatus,
  SampleVictim,
  SampleVictimAsset,
} from '../sample-types.js';
import type { SampleBuilder } from './builder.js';
import {
  COMMON_COMMUNITY,
  EXAMPLE_COMMUNITY,
  EXAMPLE_ORG,
  GROUP_TYPE_NAMES,
  MAIN_USER,
  OWNER_NAMES,
  RESTRICTED_USER,
  TAG_APT,
  TAG_EXAMPLE,
  TLP_AMBER,
  TLP_GREEN,
  TLP_RED,
  TLP_WHITE,
} from './constants.js';
import { newGroup, newIndicator, newTask, newVictim } from './records.js';

export const DOCUMENT_19_CONTENT = 'Example document #19 contents.\n';

/** Ids of the fixed records, for tests and docs. */
export const FIXED_IDS = {
  host: 355999,
  orgAddress: 356000,
  address: 356001,
  file: 356002,
  url: 356003,
  email: 356004,
  poolFirst: 100000,
  poolLast: 100021,
  commonCommunityPool: [100010, 100011],
  asn: [100100, 100101, 100102, 100103],
  adversary5: 5,
  document19: 19,
  threat38: 38,
  communityAdversaries: [700, 701, 702],
  orgAdversaries: [710, 711, 712],
  victimAdversary: 720,
  victim10: 10,
} as const;

const POOL_TYPES: readonly SampleIndicatorType[] = ['Host', 'Address', 'File', 'URL', 'EmailAddress'];
const CATALOG_ANIMALS: readonly string[] = ['Otter', 'Heron', 'Lynx'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A June 2015 date in the recorded `-05:00` style. */
function june(day: number, hour: number, minute: number, second = 0): string {
  return `2015-06-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}-05:00`;
}

function hash(algorithm: 'md5' | 'sha1' | 'sha256', text: string): string {
  return createHash(algorithm).update(text).digest('hex').toUpperCase();
}

function describe(b: SampleBuilder, indicator: SampleIndicator, text: string): void {
  b.addAttribute(
    { kind: 'indicator', item: indicator },
    {
      type: 'Description',
      value: text,
      displayed: true,
      dateAdded: indicator.dateAdded,
      lastModified: indicator.lastModified,
    },
  );
}

function recordedIndicators(b: SampleBuilder): Map<number, SampleIndicator> {
  const out = new Map<number, SampleIndicator>();
  const add = (indicator: SampleIndicator): SampleIndicator => {
    indicator.tags.push(TAG_APT);
    out.set(indicator.id, b.addFixedIndicator(indicator));
    return indicator;
  };

  const host = add(
    newIndicator(
      FIXED_IDS.host,
      EXAMPLE_COMMUNITY,
      'Host',
      { value: 'www.badguy_014.com' },
      '2015-06-21T10:40:33-05:00',
      '2015-06-21T10:40:33-05:00',
      'https://tc.sumx.us/auth/indicators/details/host.xhtml?host=www.badguy_014.com&owner=Example+Community',
    ),
  );
  host.rating = 1.0;
  host.confidence = 14;
  describe(b, host, 'TEST attribute #14');

  const orgAddress = add(
    newIndicator(
      FIXED_IDS.orgAddress,
      EXAMPLE_ORG,
      'Address',
      { value: '10.20.30.40' },
      '2015-06-18T20:21:45-05:00',
      '2015-06-19T08:00:00-05:00',
    ),
  );
  orgAddress.rating = 3.0;
  orgAddress.confidence = 50;
  describe(b, orgAddress, 'Callback "C2" address, seen=twice');

  const address = add(
    newIndicator(
      FIXED_IDS.address,
      EXAMPLE_COMMUNITY,
      'Address',
      { value: '10.20.30.40' },
      '2015-06-18T20:21:45-05:00',
      '2015-06-19T08:00:00-05:00',
      'https://tc.sumx.us/auth/indicators/details/address.xhtml?address=10.20.30.40&owner=Example+Community',
    ),
  );
  address.rating = 3.0;
  address.confidence = 50;
  describe(b, address, 'Callback "C2" address, seen=twice');

  const file = add(
    newIndicator(
      FIXED_IDS.file,
      EXAMPLE_COMMUNITY,
      'File',
      { md5: '422AD421127685E3EF4A44B546258107' },
      '2015-06-17T12:00:00-05:00',
      '2015-06-17T12:00:00-05:00',
      'https://tc.sumx.us/auth/indicators/details/file.xhtml?file=422AD421127685E3EF4A44B546258107&owner=Example+Community',
    ),
  );
  file.rating = 5.0;
  file.confidence = 90;

  const url = add(
    newIndicator(
      FIXED_IDS.url,
      EXAMPLE_COMMUNITY,
      'URL',
      { value: 'http://bad.example.com/a?b=c&d=e' },
      '2015-05-01T00:00:00Z',
      '2015-05-02T00:00:00Z',
      'https://tc.sumx.us/auth/indicators/details/url.xhtml?orgid=356003&owner=Example+Community',
    ),
  );
  url.rating = 2.5;
  url.confidence = 0;
  describe(b, url, 'pipe | and backslash \\ test');

  add(
    newIndicator(
      FIXED_IDS.email,
      EXAMPLE_COMMUNITY,
      'EmailAddress',
      { value: 'bad@example.com' },
      '2015-06-20T00:00:00-05:00',
      '2015-06-20T00:00:00-05:00',
      'https://tc.sumx.us/auth/indicators/details/emailaddress.xhtml?emailaddress=bad%40example.com&owner=Example+Community',
    ),
  );
  return out;
}

/**
 * The pool 100000..100021 (the recording server's synthetic pool): type cycles Host, Address, File,
 * URL, EmailAddress. 100010 and 100011 belong to Common Community; the other 20 to Example Community,
 * all tagged EXAMPLE. TLP Red is on 100000..100009.
 */
function poolIndicators(b: SampleBuilder): Map<number, SampleIndicator> {
  const out = new Map<number, SampleIndicator>();
  for (let i = 0; i <= FIXED_IDS.poolLast - FIXED_IDS.poolFirst; i += 1) {
    const id = FIXED_IDS.poolFirst + i;
    const common = (FIXED_IDS.commonCommunityPool as readonly number[]).includes(id);
    const owner = common ? COMMON_COMMUNITY : EXAMPLE_COMMUNITY;
    const type = POOL_TYPES[i % POOL_TYPES.length] ?? 'Host';
    const label = `pool${pad2(i)}`;
    let value: { value?: string; md5?: string; sha1?: string; sha256?: string };
    if (type === 'Host') value = { value: `${label}.badguy.example.com` };
    else if (type === 'Address') value = { value: `192.0.2.${i + 1}` };
    else if (type === 'URL') value = { value: `http://${label}.badguy.example.com/download/${i}.exe` };
    else if (type === 'EmailAddress') value = { value: `${label}@badguy.example.com` };
    else {
      const seed = `sample pool file ${i}`;
      const all = { md5: hash('md5', seed), sha1: hash('sha1', seed), sha256: hash('sha256', seed) };
      // 2: all three hashes, 7: md5 + sha1, 12: sha256 only, 17: md5 only.
      if (i === 7) value = { md5: all.md5, sha1: all.sha1 };
      else if (i === 12) value = { sha256: all.sha256 };
      else if (i === 17) value = { md5: all.md5 };
      else value = all;
    }
    const indicator = newIndicator(id, owner, type, value, june(1 + i, 8, i), june(1 + i, 17, 30 + i));
    if (i % 7 !== 6) indicator.rating = i % 6;
    // Capped at 100: 21 and 22 times 5 would be out of range (decisions.md 2.5).
    if (i % 9 !== 8) indicator.confidence = Math.min(100, 5 * (i + 1));
    if (type === 'Host') {
      indicator.dnsActive = i % 2 === 0 ? 'true' : 'false';
      indicator.whoisActive = 'false';
    }
    if (type === 'File' && i !== 12) indicator.size = 1024 * (i + 1);
    if (!common) indicator.tags.push(TAG_EXAMPLE);
    if (i < 10) indicator.securityLabels.push(TLP_RED);
    if (i % 4 === 3) {
      b.addAttribute(
        { kind: 'indicator', item: indicator },
        {
          type: 'Source',
          value: 'Example pool feed',
          displayed: i % 8 === 3,
          dateAdded: indicator.dateAdded,
          lastModified: indicator.lastModified,
        },
      );
    }
    out.set(id, b.addFixedIndicator(indicator));
  }
  return out;
}

function asnIndicators(b: SampleBuilder): SampleIndicator[] {
  const layout: [number, string, string][] = [
    [100100, EXAMPLE_ORG, 'ASN64500'],
    [100101, EXAMPLE_COMMUNITY, 'ASN12345'],
    [100102, COMMON_COMMUNITY, 'ASN64502'],
    [100103, EXAMPLE_COMMUNITY, 'ASN64501'],
  ];
  return layout.map(([id, owner, value], i) => {
    const indicator = newIndicator(id, owner, 'ASN', { value }, june(2, 9, 10 + i), june(3, 9, 10 + i));
    indicator.rating = 2;
    indicator.confidence = 40 + 10 * i;
    if (i === 0) indicator.securityLabels.push(TLP_GREEN);
    b.addAttribute(
      { kind: 'indicator', item: indicator },
      {
        type: 'Source',
        value: 'Routing registry',
        displayed: true,
        dateAdded: indicator.dateAdded,
        lastModified: indicator.lastModified,
      },
    );
    return b.addFixedIndicator(indicator);
  });
}

function adversary(
  b: SampleBuilder,
  id: number,
  name: string,
  owner: string,
  dateAdded: string,
  apt: boolean,
): SampleGroup {
  const group = newGroup(id, 'Adversary', name, owner, dateAdded, dateAdded);
  if (apt) group.tags.push(TAG_APT);
  return b.addGroup(group);
}

function asset(
  b: SampleBuilder,
  type: SampleVictimAsset['type'],
  name: string,
  fields: Record<string, string>,
): SampleVictimAsset {
  const out = { id: b.nextAssetId, type, name, fields };
  b.nextAssetId += 1;
  return out;
}

interface Catalog {
  groups: Map<SampleGroupType, SampleGroup>;
  victim: SampleVictim;
  tasks: SampleTask[];
}

/** One group of each of the seven types, one victim and three tasks in every owner. */
function catalog(b: SampleBuilder, ownerIndex: number, asn: SampleIndicator): Catalog {
  const owner = OWNER_NAMES[ownerIndex] ?? EXAMPLE_ORG;
  const animal = CATALOG_ANIMALS[ownerIndex] ?? 'Otter';
  const lower = animal.toLowerCase();
  const groups = new Map<SampleGroupType, SampleGroup>();
  GROUP_TYPE_NAMES.forEach((type, t) => {
    const id = 800 + 10 * ownerIndex + t;
    const day = 2 + t;
    const names: Record<SampleGroupType, string> = {
      Adversary: `${animal} Syndicate`,
      Campaign: `Operation ${animal} Tide`,
      Document: `${animal} briefing`,
      Email: `Overdue invoice (${animal})`,
      Incident: `201506${pad2(day)}: ${animal} credential phishing`,
      Signature: `${animal} loader rule`,
      Threat: `${animal} Loader`,
    };
    const group = newGroup(id, type, names[type], owner, june(day, 10, 5 * ownerIndex), june(day + 1, 11, 0));
    if (type === 'Campaign') {
      group.firstSeen = june(1, 0, 0);
      group.tags.push('Crimeware');
    } else if (type === 'Document') {
      group.fileName = `${lower}-briefing.txt`;
      group.status = 'Success';
      group.malware = false;
      group.securityLabels.push(TLP_GREEN);
    } else if (type === 'Email') {
      const from = `billing@${lower}-invoices.example.net`;
      const to = `accounts@example.org`;
      group.subject = 'Your invoice is overdue';
      group.from = from;
      group.to = to;
      group.header = `Received: from mail.${lower}-invoices.example.net\nFrom: ${from}\nTo: ${to}\nSubject: Your invoice is overdue`;
      group.body = 'Please open the attached invoice and pay within 3 days.';
      group.score = 60 + 10 * ownerIndex;
      group.tags.push('Phishing');
    } else if (type === 'Incident') {
      group.eventDate = june(day - 1, 14, 0);
      group.status = ['Open', 'Containment Achieved', 'Closed'][ownerIndex] ?? 'Open';
      group.tags.push('Phishing');
      group.securityLabels.push(TLP_AMBER);
    } else if (type === 'Signature') {
      group.fileName = `${lower}-loader.yar`;
      group.fileType = 'YARA';
      group.fileText = `rule ${animal}Loader\n{\n  strings:\n    $a = "${lower}-loader"\n  condition:\n    $a\n}\n`;
      group.securityLabels.push(TLP_WHITE);
    } else if (type === 'Threat') {
      group.tags.push('Botnet');
    }
    b.addGroup(group);
    b.addAttribute(
      { kind: 'group', item: group },
      {
        type: 'Description',
        value: `${names[type]}: sample ${type.toLowerCase()} of ${owner}.`,
        displayed: true,
        dateAdded: group.dateAdded,
        lastModified: group.lastModified,
      },
    );
    if (type === 'Adversary') {
      b.addAttribute(
        { kind: 'group', item: group },
        {
          type: 'Source',
          value: 'Partner report',
          displayed: true,
          source: 'Partner',
          dateAdded: group.dateAdded,
          lastModified: group.lastModified,
        },
      );
    }
    if (type === 'Document') {
      b.addDocument(group, Buffer.from(`Briefing on the ${animal} Syndicate.\nOwner: ${owner}.\n`, 'utf8'));
    }
    groups.set(type, group);
  });
  const g = (type: SampleGroupType): SampleGroup => {
    const group = groups.get(type);
    if (!group) throw new Error(`sample data: catalog has no ${type}`);
    return group;
  };
  b.linkGroups(g('Adversary'), g('Threat'));
  b.linkGroups(g('Campaign'), g('Threat'));
  b.linkGroups(g('Campaign'), g('Adversary'));
  b.linkGroups(g('Email'), g('Campaign'));
  b.linkGroups(g('Incident'), g('Adversary'));
  b.linkGroups(g('Document'), g('Incident'));
  b.linkGroups(g('Signature'), g('Threat'));
  b.linkIndicatorGroup(asn, g('Adversary'));

  const victimNames = ['Finance Department', 'Research Lab', 'Partner Portal'];
  const victim = b.addVictim(newVictim(11 + ownerIndex, victimNames[ownerIndex] ?? 'Victim', owner));
  victim.org = 'Northwind Traders';
  victim.suborg = ['Finance', 'Research', 'Partners'][ownerIndex] ?? 'Finance';
  victim.workLocation = 'Headquarters';
  victim.nationality = 'American';
  victim.assets.push(
    asset(b, 'WebSite', `www.${lower}-victim.example.org`, { webSite: `www.${lower}-victim.example.org` }),
    asset(b, 'Phone', `+1-555-010${ownerIndex}`, { phoneType: `+1-555-010${ownerIndex}` }),
  );
  victim.tags.push('Watchlist');
  b.addAttribute(
    { kind: 'victim', item: victim },
    {
      type: 'Description',
      value: `Sample victim of ${owner}.`,
      displayed: true,
      dateAdded: june(5, 9, 0),
      lastModified: june(5, 9, 0),
    },
  );
  b.linkVictimGroup(victim, g('Incident'));
  b.linkVictimGroup(victim, g('Adversary'));

  const statuses: SampleTaskStatus[][] = [
    ['Not Started', 'In Progress', 'Completed'],
    ['Waiting on Someone', 'Deferred', 'In Progress'],
    ['Not Started', 'Completed', 'Waiting on Someone'],
  ];
  const taskNames = [
    `Contain the ${animal} incident`,
    `Block ${asn.summary}`,
    `Warn staff about the ${animal} invoices`,
  ];
  const tasks = [0, 1, 2].map((k) => {
    const status = statuses[ownerIndex]?.[k] ?? 'Not Started';
    const task = newTask(
      1 + 3 * ownerIndex + k,
      taskNames[k] ?? 'Task',
      owner,
      status,
      june(6 + k, 9, 0),
      june(7 + k, 9, 0),
    );
    task.assignee.push({ ...MAIN_USER });
    if (owner === EXAMPLE_ORG && k === 1) task.assignee.push({ ...RESTRICTED_USER });
    if (k === 0) {
      task.dueDate = june(20, 17, 0);
      task.reminderDate = june(18, 9, 0);
      task.escalationDate = june(22, 9, 0);
      task.reminded = true;
      task.escalated = true;
      task.escalatee.push({ ...MAIN_USER });
    } else if (k === 1) {
      task.dueDate = june(30, 17, 0);
      task.reminderDate = june(28, 9, 0);
      task.reminded = true;
    }
    task.overdue = task.dueDate !== undefined && status !== 'Completed';
    b.addAttribute(
      { kind: 'task', item: task },
      {
        type: 'Description',
        value: `${taskNames[k] ?? 'Task'} (${owner}).`,
        displayed: true,
        dateAdded: task.dateAdded,
        lastModified: task.lastModified,
      },
    );
    return b.addTask(task);
  });
  const [contain, block, warn] = tasks as [SampleTask, SampleTask, SampleTask];
  b.linkTaskGroup(contain, g('Incident'));
  b.linkTaskVictim(contain, victim);
  b.linkTaskIndicator(block, asn);
  b.linkTaskGroup(block, g('Adversary'));
  b.linkTaskGroup(warn, g('Email'));
  return { groups, victim, tasks };
}

/** Adds every fixed record to the builder. */
export function addFixedRecords(b: SampleBuilder): void {
  const recorded = recordedIndicators(b);
  const pool = poolIndicators(b);
  const asns = asnIndicators(b);
  const ind = (id: number): SampleIndicator => {
    const found = recorded.get(id) ?? pool.get(id);
    if (!found) throw new Error(`sample data: no fixed indicator ${id}`);
    return found;
  };

  // Adversary 5 (Example Community) with indicators.
  const adversary5 = adversary(
    b,
    FIXED_IDS.adversary5,
    'Example Adversary',
    EXAMPLE_COMMUNITY,
    june(10, 9, 0),
    false,
  );
  for (const id of [FIXED_IDS.host, FIXED_IDS.file, FIXED_IDS.url, FIXED_IDS.email, 100013, 100014]) {
    b.linkIndicatorGroup(ind(id), adversary5);
  }

  // Threat 38: pool 100005..100012, of which 100010 and 100011 are Common Community's.
  const threat38 = b.addGroup(
    newGroup(
      FIXED_IDS.threat38,
      'Threat',
      'Example Threat',
      EXAMPLE_COMMUNITY,
      june(15, 11, 0),
      june(15, 11, 0),
    ),
  );
  for (let id = 100005; id <= 100012; id += 1) b.linkIndicatorGroup(ind(id), threat38);
  b.linkGroups(adversary5, threat38);

  // Document 19.
  const document19 = newGroup(
    FIXED_IDS.document19,
    'Document',
    'Example document #19',
    EXAMPLE_COMMUNITY,
    june(16, 14, 30),
    june(16, 14, 30),
  );
  document19.fileName = 'example-document-19.txt';
  document19.status = 'Success';
  document19.malware = false;
  document19.securityLabels.push(TLP_AMBER);
  b.addGroup(document19);
  b.addDocument(document19, Buffer.from(DOCUMENT_19_CONTENT, 'utf8'));
  b.linkGroups(document19, threat38);
  b.linkIndicatorGroup(ind(FIXED_IDS.file), document19);

  // Bad Guy, Other Guy, Bad Guy: dateAdded at, after and before 2015-06-18T20:21:45-05:00.
  const dates = [june(18, 20, 21, 45), june(19, 7, 15), june(17, 16, 5, 12)];
  const names = ['Bad Guy', 'Other Guy', 'Bad Guy'];
  const community = FIXED_IDS.communityAdversaries.map((id, k) =>
    adversary(b, id, names[k] ?? 'Bad Guy', EXAMPLE_COMMUNITY, dates[k] ?? june(18, 0, 0), true),
  );
  const org = FIXED_IDS.orgAdversaries.map((id, k) =>
    adversary(b, id, names[k] ?? 'Bad Guy', EXAMPLE_ORG, dates[k] ?? june(18, 0, 0), true),
  );
  const [c700, c701] = community as [SampleGroup, SampleGroup, SampleGroup];
  const [o710, o711] = org as [SampleGroup, SampleGroup, SampleGroup];
  b.linkIndicatorGroup(ind(FIXED_IDS.address), c700);
  b.linkIndicatorGroup(ind(FIXED_IDS.address), c701);
  b.linkIndicatorGroup(ind(FIXED_IDS.orgAddress), o710);
  b.linkIndicatorGroup(ind(FIXED_IDS.orgAddress), o711);

  // Victim 10 (Example Community) and adversary 720.
  const adversary720 = adversary(
    b,
    FIXED_IDS.victimAdversary,
    'Kestrel Crew',
    EXAMPLE_COMMUNITY,
    june(20, 12, 0),
    false,
  );
  const victim10 = b.addVictim(newVictim(FIXED_IDS.victim10, 'Jane Doe', EXAMPLE_COMMUNITY));
  victim10.org = 'Example Corp';
  victim10.suborg = 'Finance';
  victim10.workLocation = 'Headquarters';
  victim10.nationality = 'American';
  victim10.assets.push(
    asset(b, 'NetworkAccount', 'jdoe', { account: 'jdoe', network: 'Active Directory' }),
    asset(b, 'EmailAddress', 'jdoe@example.com', { address: 'jdoe@example.com', addressType: 'Work' }),
  );
  b.addAttribute(
    { kind: 'victim', item: victim10 },
    {
      type: 'Description',
      value: 'Finance employee targeted by the Bad Guy adversaries.',
      displayed: true,
      dateAdded: june(20, 12, 0),
      lastModified: june(20, 12, 0),
    },
  );
  b.linkVictimGroup(victim10, adversary720);
  b.linkVictimGroup(victim10, o710);
  b.linkVictimGroup(victim10, o711);
  b.linkVictimIndicator(victim10, ind(FIXED_IDS.address));
  b.linkVictimIndicator(victim10, ind(FIXED_IDS.host));

  // One group of each type, a victim and three tasks in every owner, with the ASN indicators.
  const asnByOwner = [asns[0], asns[1], asns[2]];
  const catalogs = asnByOwner.map((asn, o) => {
    if (!asn) throw new Error('sample data: missing ASN indicator');
    return catalog(b, o, asn);
  });
  const exampleCommunity = catalogs[1];
  const commonCommunity = catalogs[2];
  const campaign = exampleCommunity?.groups.get('Campaign');
  const email = exampleCommunity?.groups.get('Email');
  const threat = commonCommunity?.groups.get('Threat');
  const extraAsn = asns[3];
  if (!campaign || !email || !threat || !extraAsn || !exampleCommunity)
    throw new Error('sample data: catalog incomplete');
  b.linkIndicatorGroup(ind(100015), campaign);
  b.linkIndicatorGroup(ind(100016), campaign);
  b.linkIndicatorGroup(ind(100019), email);
  b.linkIndicatorGroup(ind(100010), threat);
  b.linkIndicatorGroup(ind(100011), threat);
  b.linkVictimIndicator(exampleCommunity.victim, extraAsn);
  const lastTask = exampleCommunity.tasks[2];
  if (lastTask) b.linkTaskIndicator(lastTask, ind(100018));
}
