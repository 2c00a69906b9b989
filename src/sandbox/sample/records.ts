/** Record factories and webLink paths for the sample data. */
import type {
  SampleGroup,
  SampleGroupType,
  SampleIndicator,
  SampleIndicatorType,
  SampleTask,
  SampleTaskStatus,
  SampleVictim,
} from '../sample-types.js';

const OWNER_PARAMS: Readonly<Record<string, string>> = {
  'Example Org': 'Example+Org',
  'Example Community': 'Example+Community',
  'Common Community': 'Common+Community',
};

/** `Example Community` → `Example+Community`, as in the recorded webLinks. */
export function ownerParam(ownerName: string): string {
  return OWNER_PARAMS[ownerName] ?? encodeURIComponent(ownerName).replace(/%20/g, '+');
}

const INDICATOR_PAGES: Record<SampleIndicatorType, string> = {
  Address: 'address',
  EmailAddress: 'emailaddress',
  File: 'file',
  Host: 'host',
  URL: 'url',
  ASN: 'customIndicator',
};

/**
 * The webLink path of an indicator (rest-api-v2 3.4), starting with `/auth/`. URLs use their id
 * (`orgid`), custom types their id (`id`), files their first hash, the others their value.
 */
export function indicatorWebLink(indicator: SampleIndicator): string {
  const page = INDICATOR_PAGES[indicator.type];
  let query: string;
  if (indicator.type === 'URL') query = `orgid=${indicator.id}`;
  else if (indicator.type === 'ASN') query = `id=${indicator.id}`;
  else {
    const value =
      indicator.type === 'File'
        ? (indicator.md5 ?? indicator.sha1 ?? indicator.sha256 ?? '')
        : indicator.summary;
    query = `${page}=${encodeURIComponent(value)}`;
  }
  return `/auth/indicators/details/${page}.xhtml?${query}&owner=${ownerParam(indicator.ownerName)}`;
}

export function groupWebLink(type: SampleGroupType, id: number): string {
  const page = type.toLowerCase();
  return `/auth/${page}/${page}.xhtml?${page}=${id}`;
}

export function victimWebLink(id: number): string {
  return `/auth/victim/victim.xhtml?victim=${id}`;
}

export function taskWebLink(id: number): string {
  return `/auth/workflow/task.xhtml?task=${id}`;
}

export interface IndicatorValue {
  /** Single-valued types. */
  value?: string;
  /** Files: at least one hash. */
  md5?: string;
  sha1?: string;
  sha256?: string;
}

/**
 * A new indicator without metadata or links. Its value fields and `summary` come from `value`; its
 * webLink is the generated path unless `webLink` is given.
 */
export function newIndicator(
  id: number,
  ownerName: string,
  type: SampleIndicatorType,
  value: IndicatorValue,
  dateAdded: string,
  lastModified: string,
  webLink?: string,
): SampleIndicator {
  const indicator: SampleIndicator = {
    id,
    ownerName,
    type,
    dateAdded,
    lastModified,
    webLink: '',
    summary: '',
    active: true,
    tags: [],
    securityLabels: [],
    attributes: [],
    groupIds: [],
    victimIds: [],
    taskIds: [],
  };
  if (type === 'File') {
    const hashes: string[] = [];
    if (value.md5 !== undefined) {
      indicator.md5 = value.md5;
      hashes.push(value.md5);
    }
    if (value.sha1 !== undefined) {
      indicator.sha1 = value.sha1;
      hashes.push(value.sha1);
    }
    if (value.sha256 !== undefined) {
      indicator.sha256 = value.sha256;
      hashes.push(value.sha256);
    }
    if (hashes.length === 0) throw new Error(`sample data: file ${id} has no hash`);
    indicator.summary = hashes.join(' : ');
  } else {
    const v = value.value;
    if (v === undefined) throw new Error(`sample data: indicator ${id} has no value`);
    indicator.summary = v;
    if (type === 'Address') indicator.ip = v;
    else if (type === 'EmailAddress') indicator.address = v;
    else if (type === 'Host') indicator.hostName = v;
    else if (type === 'URL') indicator.text = v;
    else indicator['AS Number'] = v;
  }
  indicator.webLink = webLink ?? indicatorWebLink(indicator);
  return indicator;
}

export function newGroup(
  id: number,
  type: SampleGroupType,
  name: string,
  ownerName: string,
  dateAdded: string,
  lastModified: string,
  webLink?: string,
): SampleGroup {
  return {
    id,
    name,
    type,
    ownerName,
    dateAdded,
    lastModified,
    webLink: webLink ?? groupWebLink(type, id),
    tags: [],
    securityLabels: [],
    attributes: [],
    indicatorIds: [],
    groupIds: [],
    victimIds: [],
    taskIds: [],
  };
}

export function newVictim(id: number, name: string, ownerName: string): SampleVictim {
  return {
    id,
    name,
    ownerName,
    webLink: victimWebLink(id),
    assets: [],
    tags: [],
    securityLabels: [],
    attributes: [],
    indicatorIds: [],
    groupIds: [],
    taskIds: [],
  };
}

export function newTask(
  id: number,
  name: string,
  ownerName: string,
  status: SampleTaskStatus,
  dateAdded: string,
  lastModified: string,
): SampleTask {
  return {
    id,
    name,
    ownerName,
    dateAdded,
    lastModified,
    webLink: taskWebLink(id),
    status,
    escalated: false,
    reminded: false,
    overdue: false,
    assignee: [],
    escalatee: [],
    tags: [],
    securityLabels: [],
    attributes: [],
    indicatorIds: [],
    groupIds: [],
    victimIds: [],
  };
}
