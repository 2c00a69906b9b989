/**
 * The indicator type table of one sandbox (rest-api-v2.md 6.1): the five base types, the custom type
 * ASN (decisions.md 2.4), and the custom types given by `startSandbox({ indicatorTypes })`. Every
 * indicator endpoint serves every type of the table on its `apiBranch`; `/v2/types/indicatorTypes`
 * lists it. Custom types given as options are kept in the database, so a reused `dbPath` still knows
 * the types its indicators have.
 */
import { INDICATOR_TYPES, type IndicatorTypeInfo } from './types.js';

/** A custom indicator type, in the shape `/v2/types/indicatorTypes` lists it. */
export interface CustomIndicatorTypeDefinition {
  /** The `type` value on the wire, e.g. `Registry Key`. */
  name: string;
  /** Path branch, e.g. `registryKeys`. */
  apiBranch: string;
  /** JSON data key, e.g. `registryKey`. */
  apiEntity: string;
  /** How values are compared when addressed by value. @default 'sensitive' */
  casePreference?: 'upper' | 'lower' | 'sensitive';
  value1Label: string;
  value1Type?: string;
  value2Label?: string;
  value2Type?: string;
  value3Label?: string;
  value3Type?: string;
}

/** A bad `indicatorTypes` option; index.ts turns it into a SandboxOptionsError. */
export class IndicatorTypeError extends Error {}

const NAME = /^[A-Za-z][A-Za-z0-9 ]{0,63}$/;
const IDENTIFIER = /^[a-z][A-Za-z0-9]{0,63}$/;
const CASES = new Set(['upper', 'lower', 'sensitive']);
const KEYS = new Set([
  'name',
  'apiBranch',
  'apiEntity',
  'casePreference',
  'value1Label',
  'value1Type',
  'value2Label',
  'value2Type',
  'value3Label',
  'value3Type',
]);
/** Value fields a custom type may not use: they are the base types' or every indicator's fields. */
const RESERVED_FIELDS = new Set([
  'id',
  'type',
  'owner',
  'ownerName',
  'summary',
  'rating',
  'confidence',
  'dateAdded',
  'lastModified',
  'webLink',
  'description',
  'source',
  'active',
  'activeLocked',
  'privateFlag',
]);

/** Checks one definition; returns the table entry. */
function parseDefinition(value: unknown, where: string): IndicatorTypeInfo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IndicatorTypeError(`${where} must be an object`);
  }
  const def = value as Record<string, unknown>;
  for (const key of Object.keys(def)) {
    if (!KEYS.has(key)) throw new IndicatorTypeError(`${where} has an unknown key \`${key}\``);
  }
  const text = (key: string, pattern: RegExp, shape: string): string => {
    const v = def[key];
    if (typeof v !== 'string' || !pattern.test(v)) {
      throw new IndicatorTypeError(`${where}.${key} must be ${shape}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const name = text('name', NAME, 'a type name (a letter, then letters, digits or spaces)');
  const branch = text('apiBranch', IDENTIFIER, 'a camelCase path segment such as `registryKeys`');
  const entity = text('apiEntity', IDENTIFIER, 'a camelCase key such as `registryKey`');
  const casePreference = def.casePreference ?? 'sensitive';
  if (typeof casePreference !== 'string' || !CASES.has(casePreference)) {
    throw new IndicatorTypeError(
      `${where}.casePreference must be upper, lower or sensitive, got ${JSON.stringify(casePreference)}`,
    );
  }
  const fields: string[] = [];
  const fieldTypes: string[] = [];
  for (let n = 1; n <= 3; n += 1) {
    const label = def[`value${n}Label`];
    const type = def[`value${n}Type`] ?? 'text';
    if (label === undefined) {
      if (n === 1) throw new IndicatorTypeError(`${where}.value1Label is required`);
      if (def[`value${n}Type`] !== undefined) {
        throw new IndicatorTypeError(`${where}.value${n}Type is given without value${n}Label`);
      }
      continue;
    }
    if (fields.length !== n - 1) {
      throw new IndicatorTypeError(`${where}.value${n}Label is given without value${n - 1}Label`);
    }
    if (
      typeof label !== 'string' ||
      !NAME.test(label) ||
      RESERVED_FIELDS.has(label) ||
      fields.includes(label)
    ) {
      throw new IndicatorTypeError(
        `${where}.value${n}Label must be a distinct label (letters, digits, spaces) that is no indicator field, got ${JSON.stringify(label)}`,
      );
    }
    if (typeof type !== 'string' || type === '') {
      throw new IndicatorTypeError(`${where}.value${n}Type must be a non-empty string`);
    }
    fields.push(label);
    fieldTypes.push(type);
  }
  return {
    name,
    branch,
    entity,
    fields,
    fieldTypes,
    custom: true,
    casePreference: casePreference as IndicatorTypeInfo['casePreference'],
  };
}

/** The type table of one sandbox. */
export class IndicatorTypeTable {
  readonly list: readonly IndicatorTypeInfo[];
  readonly #byBranch: Map<string, IndicatorTypeInfo>;
  readonly #byName: Map<string, IndicatorTypeInfo>;
  readonly #byEntity: Map<string, IndicatorTypeInfo>;

  constructor(extra: readonly IndicatorTypeInfo[] = []) {
    this.list = [...INDICATOR_TYPES, ...extra];
    this.#byBranch = new Map(this.list.map((t) => [t.branch, t]));
    this.#byName = new Map(this.list.map((t) => [t.name, t]));
    this.#byEntity = new Map(this.list.map((t) => [t.entity, t]));
  }

  byBranch(branch: string): IndicatorTypeInfo | undefined {
    return this.#byBranch.get(branch);
  }

  byName(name: string): IndicatorTypeInfo | undefined {
    return this.#byName.get(name);
  }

  byEntity(entity: string): IndicatorTypeInfo | undefined {
    return this.#byEntity.get(entity);
  }

  /** The custom types beyond the built-in table, as definitions (what the database keeps). */
  extraDefinitions(): CustomIndicatorTypeDefinition[] {
    return this.list.slice(INDICATOR_TYPES.length).map(definitionOf);
  }
}

/** The wire definition of a custom type. */
export function definitionOf(t: IndicatorTypeInfo): CustomIndicatorTypeDefinition {
  const out: Record<string, unknown> = {
    name: t.name,
    apiBranch: t.branch,
    apiEntity: t.entity,
    casePreference: t.casePreference,
  };
  t.fields.forEach((field, i) => {
    out[`value${i + 1}Label`] = field;
    out[`value${i + 1}Type`] = t.fieldTypes?.[i] ?? 'text';
  });
  return out as unknown as CustomIndicatorTypeDefinition;
}

/**
 * The table from the types a database kept and the types of the `indicatorTypes` option: an option
 * replaces a kept type of the same name. A name, branch or entity that another type already has
 * (a base type's included) is refused.
 */
export function buildTypeTable(kept: unknown, given: unknown): IndicatorTypeTable {
  const parseList = (value: unknown, label: string): IndicatorTypeInfo[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value))
      throw new IndicatorTypeError(`\`${label}\` must be an array of type definitions`);
    return value.map((item, i) => parseDefinition(item, `${label}[${i}]`));
  };
  const fromOption = parseList(given, 'indicatorTypes');
  const names = new Set(fromOption.map((t) => t.name));
  const merged = [
    ...parseList(kept, 'stored indicatorTypes').filter((t) => !names.has(t.name)),
    ...fromOption,
  ];
  const seen = new Map<string, string>();
  for (const t of [...INDICATOR_TYPES, ...merged]) {
    for (const [what, key] of [
      ['name', t.name],
      ['apiBranch', t.branch],
      ['apiEntity', t.entity],
    ] as const) {
      const id = `${what}:${key.toLowerCase()}`;
      const other = seen.get(id);
      if (other !== undefined) {
        throw new IndicatorTypeError(
          `indicatorTypes: the ${what} ${JSON.stringify(key)} of ${JSON.stringify(t.name)} is already the type ${JSON.stringify(other)}'s`,
        );
      }
      seen.set(id, t.name);
    }
  }
  return new IndicatorTypeTable(merged);
}
