/**
 * The seed's output formats on objects (decisions.md 3): `indicator.cef`, `.leef`, `.csv`, `.keyval`,
 * `.json`, `.data`, `.csvHeader`, and `toCef({ compat })` and the rest; groups have csv, keyval and
 * json. An object is turned into a format record from its wire fields, so what is printed is what was
 * read or set. The properties use the client's `compat` setting; the methods take it per call.
 */
import type { CompatMode } from '../core/config-types.js';
import {
  type FormatOptions,
  type GroupRecord,
  type IndicatorRecord,
  type LeefOptions,
  type RecordData,
  csvHeader,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  fromApiGroup,
  fromApiIndicator,
  recordData,
} from '../formats/index.js';
import { cefText } from '../formats/cef.js';
import type { Group } from './group.js';
import type { Indicator } from './indicator.js';
import { unreadWire } from './indicator-data.js';
import { wireRecord } from './wire-record.js';

/** An indicator's format record. */
export function indicatorRecord(indicator: Indicator): IndicatorRecord {
  const wire = unreadWire(indicator);
  if (wire !== undefined) {
    const record = wireRecord(indicator, wire);
    if (record !== undefined) return record;
  }
  const item: Record<string, unknown> = {
    id: indicator.id,
    type: indicator.type,
    ownerName: indicator.ownerName,
    dateAdded: indicator.dateAdded,
    lastModified: indicator.lastModified,
    rating: indicator.rating,
    confidence: indicator.confidence,
    threatAssessRating: indicator.threatAssessRating,
    threatAssessConfidence: indicator.threatAssessConfidence,
    description: indicator.description,
    webLink: indicator.webLink,
    dnsActive: indicator.dnsActive,
    whoisActive: indicator.whoisActive,
    size: indicator.size,
    ...indicator.values,
  };
  // A custom type's value is its summary: its value fields, from the type's definition, joined by ` : `.
  if (indicator.kind?.builtIn !== true) item.summary = indicator.summary;
  return fromApiIndicator(item, indicator.type, { valueFields: indicator.kind?.valueFields });
}

/** A group's format record. */
export function groupRecord(group: Group): GroupRecord {
  return fromApiGroup(
    {
      ...group.fields,
      id: group.id,
      type: group.type,
      name: group.name,
      ownerName: group.ownerName,
      dateAdded: group.dateAdded,
      webLink: group.webLink,
    },
    group.type,
  );
}

/** The client's `compat` setting, for the properties. */
export function clientCompat(object: Indicator | Group): FormatOptions {
  const compat: CompatMode | undefined = object.context.requester.config.compat;
  return compat === undefined ? {} : { compat };
}

export const indicatorOutput = {
  // The record is an indicator's, built here: formatCef's checks of a caller's record are not needed.
  cef: (i: Indicator, options: FormatOptions) => cefText(indicatorRecord(i), options),
  leef: (i: Indicator, options: LeefOptions) => formatLeef(indicatorRecord(i), options),
  csv: (i: Indicator, options: FormatOptions) => formatCsv(indicatorRecord(i), options),
  keyval: (i: Indicator, options: FormatOptions) => formatKeyval(indicatorRecord(i), options),
  json: (i: Indicator, options: FormatOptions) => formatJson(indicatorRecord(i), options),
  data: (i: Indicator): RecordData => recordData(indicatorRecord(i)),
  csvHeader: (options: FormatOptions) => csvHeader('indicator', options),
};

export const groupOutput = {
  csv: (g: Group, options: FormatOptions) => formatCsv(groupRecord(g), options),
  keyval: (g: Group, options: FormatOptions) => formatKeyval(groupRecord(g), options),
  json: (g: Group, options: FormatOptions) => formatJson(groupRecord(g), options),
  data: (g: Group): RecordData => recordData(groupRecord(g)),
  csvHeader: (options: FormatOptions) => csvHeader('group', options),
};
