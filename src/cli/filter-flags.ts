/**
 * The filter flags of `indicators` and `groups` (decisions.md 4): each API filter and post filter of
 * the SDK's filter objects is a flag. Repeating a flag ORs its values (one filter object, as the SDK
 * ORs the API filters of a filter object); different API filter flags are ANDed (one filter object
 * each, combined with `FilterSetOperator.AND`). Post filters are ANDed. `--owner` applies to all.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { FilterOperator, FilterSetOperator, ValidationError } from '../index.js';
import { collect, integer, text } from './parsers.js';

/** A post filter value: `OPVALUE`, where OP is `=`, `!=`, `>`, `>=`, `<` or `<=` (none means `=`). */
export interface PostFilterValue {
  readonly operator: FilterOperator;
  readonly value: string;
}

const OPERATORS: Readonly<Record<string, FilterOperator>> = {
  '=': FilterOperator.EQ,
  '!=': FilterOperator.NE,
  '>': FilterOperator.GT,
  '>=': FilterOperator.GE,
  '<': FilterOperator.LT,
  '<=': FilterOperator.LE,
};

/** Parses `OPVALUE`; an operator that is not one of the six (`==5`, `=>5`, `<>5`, `!5`) is refused. */
export function parsePostFilter(flag: string) {
  return (input: string): PostFilterValue => {
    const match = /^(!=|>=|<=|=|>|<)?([\s\S]*)$/.exec(input);
    const op = match?.[1] ?? '=';
    const value = match?.[2] ?? '';
    if (/^[=!<>]/.test(value)) {
      throw new InvalidArgumentError(
        `${flag} takes OPVALUE where OP is one of =, !=, >, >=, <, <= (none means =), got '${input}'`,
      );
    }
    if (value.trim() === '') throw new InvalidArgumentError(`${flag} needs a value after its operator`);
    return { operator: OPERATORS[op] ?? FilterOperator.EQ, value };
  };
}

interface FlagSpec {
  /** The commander attribute. */
  readonly key: string;
  /** `--tag`. */
  readonly flag: string;
  /** The filter object's method. */
  readonly method: string;
}

interface ApiFlagSpec extends FlagSpec {
  readonly option: () => Option;
}

const idOption = (flag: string, what: string) => () =>
  new Option(`${flag} <id>`, `${what} (repeatable)`).argParser(collect(integer(flag, 0)));
const textOption = (flag: string, placeholder: string, what: string) => () =>
  new Option(`${flag} <${placeholder}>`, `${what} (repeatable)`).argParser(collect(text(flag)));

/** The API filter flags, in the order their filter objects are combined. */
const API_FLAGS: readonly ApiFlagSpec[] = [
  { key: 'tag', flag: '--tag', method: 'addTag', option: textOption('--tag', 'name', 'items with this tag') },
  {
    key: 'securityLabel',
    flag: '--security-label',
    method: 'addSecurityLabel',
    option: textOption('--security-label', 'name', 'items with this security label'),
  },
  {
    key: 'indicator',
    flag: '--indicator',
    method: 'addIndicator',
    option: textOption('--indicator', 'value', 'an indicator value (its type is detected)'),
  },
  {
    key: 'adversaryId',
    flag: '--adversary-id',
    method: 'addAdversaryId',
    option: idOption('--adversary-id', 'associated with this adversary'),
  },
  {
    key: 'campaignId',
    flag: '--campaign-id',
    method: 'addCampaignId',
    option: idOption('--campaign-id', 'associated with this campaign'),
  },
  {
    key: 'documentId',
    flag: '--document-id',
    method: 'addDocumentId',
    option: idOption('--document-id', 'associated with this document'),
  },
  {
    key: 'emailId',
    flag: '--email-id',
    method: 'addEmailId',
    option: idOption('--email-id', 'associated with this email'),
  },
  {
    key: 'incidentId',
    flag: '--incident-id',
    method: 'addIncidentId',
    option: idOption('--incident-id', 'associated with this incident'),
  },
  {
    key: 'signatureId',
    flag: '--signature-id',
    method: 'addSignatureId',
    option: idOption('--signature-id', 'associated with this signature'),
  },
  {
    key: 'threatId',
    flag: '--threat-id',
    method: 'addThreatId',
    option: idOption('--threat-id', 'associated with this threat'),
  },
  {
    key: 'victimId',
    flag: '--victim-id',
    method: 'addVictimId',
    option: idOption('--victim-id', 'associated with this victim'),
  },
  {
    key: 'taskId',
    flag: '--task-id',
    method: 'addTaskId',
    option: idOption('--task-id', 'associated with this task'),
  },
];

/** `--id`: one group by id (group types only). */
const ID_FLAG: ApiFlagSpec = {
  key: 'id',
  flag: '--id',
  method: 'addId',
  option: idOption('--id', 'the group with this id'),
};

interface PostFlagSpec extends FlagSpec {
  readonly placeholder: string;
  readonly what: string;
}

const pf = (name: string, placeholder: string, what: string): PostFlagSpec => {
  const words = name.replace(/([A-Z])/g, '-$1').toLowerCase();
  return { key: `pf${name}`, flag: `--pf${words}`, method: `addPf${name}`, placeholder, what };
};

const PF_DATE_ADDED = pf('DateAdded', 'date', 'date added (ISO 8601), compared as instants');
const PF_NAME = pf('Name', 'name', 'name');
const PF_TYPE = pf('Type', 'type', 'type name, such as Host or Threat (a built-in one in any case)');
const PF_FILE_TYPE = pf('FileType', 'type', 'file type (signatures: other listings carry none)');

const INDICATOR_POST_FLAGS: readonly PostFlagSpec[] = [
  PF_DATE_ADDED,
  pf('LastModified', 'date', 'last modified (ISO 8601)'),
  pf('Rating', 'rating', 'rating, 0 to 5'),
  pf('Confidence', 'n', 'confidence, 0 to 100'),
  pf('ThreatAssessRating', 'rating', 'threat assess rating, 0 to 5'),
  pf('ThreatAssessConfidence', 'n', 'threat assess confidence, 0 to 100'),
  pf('Tag', 'name', 'a tag name (read with the items)'),
  pf('Attribute', 'type', 'an attribute type (read with the items)'),
  PF_TYPE,
];

/** `groups all` has `--pf-type`; a group type has `--pf-file-type` (documents, signatures). */
const GROUP_POST_FLAGS: readonly PostFlagSpec[] = [PF_NAME, PF_DATE_ADDED, PF_FILE_TYPE, PF_TYPE];

/**
 * The API's names of the built-in types. The type post filter compares names exactly, as the original's
 * did, so `--pf-type host` matched nothing, while `--type host` lists hosts: a built-in name in any case
 * is sent as the API writes it. Any other name (a custom type's) is sent as given.
 */
const BUILT_IN_TYPES: Readonly<Record<FilterFlagSet, readonly string[]>> = {
  indicators: ['Address', 'EmailAddress', 'File', 'Host', 'URL'],
  groups: ['Adversary', 'Campaign', 'Document', 'Email', 'Incident', 'Signature', 'Threat'],
};

function builtInTypeName(value: string, set: FilterFlagSet): string {
  const lower = value.toLowerCase();
  return BUILT_IN_TYPES[set].find((name) => name.toLowerCase() === lower) ?? value;
}

/** Which filter flags a command takes. */
export type FilterFlagSet = 'indicators' | 'groups';

function apiFlagsOf(set: FilterFlagSet): readonly ApiFlagSpec[] {
  return set === 'groups' ? [...API_FLAGS, ID_FLAG] : API_FLAGS;
}

function postFlagsOf(set: FilterFlagSet): readonly PostFlagSpec[] {
  return set === 'groups' ? GROUP_POST_FLAGS : INDICATOR_POST_FLAGS;
}

/** Adds `--owner`, the API filter flags and the post filter flags of `set`. */
export function addFilterOptions(command: Command, set: FilterFlagSet): Command {
  command.optionsGroup('Filters (a repeated flag ORs its values; different flags AND):');
  command.addOption(
    new Option('--owner <name>', 'owner to list (repeatable; default: the default org)').argParser(
      collect(text('--owner')),
    ),
  );
  for (const spec of apiFlagsOf(set)) command.addOption(spec.option());
  command.optionsGroup('Post filters (OPVALUE: OP is =, !=, >, >=, <, <=; none means =; repeatable, ANDed):');
  for (const spec of postFlagsOf(set)) {
    command.addOption(
      new Option(`${spec.flag} <[op]${spec.placeholder}>`, spec.what).argParser(
        collect(parsePostFilter(spec.flag)),
      ),
    );
  }
  return command.optionsGroup('Options:');
}

/** The subset of a filter object the CLI calls; every method throws ValidationError on a bad value. */
export interface FilterCalls {
  addOwner(owner: readonly string[]): unknown;
  addFilterOperator(operator: FilterSetOperator): unknown;
}

type Call = (value: unknown, operator?: FilterOperator) => unknown;

/** The flag of each filter method, to reword the SDK's messages in the user's terms. */
const FLAG_OF_METHOD: ReadonlyMap<string, string> = new Map(
  [...API_FLAGS, ID_FLAG, ...INDICATOR_POST_FLAGS, ...GROUP_POST_FLAGS].map((s) => [s.method, s.flag]),
);

function inFlagTerms(message: string): string {
  return message.replace(/\badd\w+\b/g, (name) => FLAG_OF_METHOD.get(name) ?? name);
}

/**
 * Builds the filter objects the flags ask for on a container, through `newFilter` (the container's
 * `addFilter`). A flag the container has no filter for, or a value the SDK refuses, is a usage error
 * naming the flag. Returns false when no filter object was needed (the container's plain listing).
 *
 * @param where how messages describe the container: `with --type host`, `with groups all`.
 */
export function applyFilters(
  flags: Record<string, unknown>,
  set: FilterFlagSet,
  options: { newFilter: () => FilterCalls; always: boolean; where: string; command: Command },
): boolean {
  const owners = (flags.owner as string[] | undefined) ?? [];
  const apiFlags = apiFlagsOf(set).filter((s) => ((flags[s.key] as unknown[] | undefined) ?? []).length > 0);
  const postFlags = postFlagsOf(set).filter(
    (s) => ((flags[s.key] as unknown[] | undefined) ?? []).length > 0,
  );
  if (!options.always && owners.length === 0 && apiFlags.length === 0 && postFlags.length === 0) return false;

  const usage = (spec: FlagSpec, shown: string, error: ValidationError): never => {
    const message = inFlagTerms(error.message);
    if (error.message.startsWith(`${spec.method} is not a filter of`)) {
      const others = /: its filters are (.*)$/.exec(message)?.[1];
      return options.command.error(
        `error: ${spec.flag} cannot be used ${options.where}${others === undefined ? '' : ` (its filters: ${others})`}`,
        { exitCode: 2 },
      );
    }
    // The SDK's message starts with the method, which reads as the flag.
    const text = message.startsWith(`${spec.flag}: `) ? message : `${spec.flag} ${shown}: ${message}`;
    return options.command.error(`error: ${text}`, { exitCode: 2 });
  };
  const call = (filter: FilterCalls, spec: FlagSpec, shown: string, ...args: unknown[]): void => {
    const method = (filter as unknown as Record<string, Call>)[spec.method];
    try {
      if (method === undefined) throw new ValidationError(`${spec.method} is not a filter of this container`);
      method.apply(filter, args as [unknown, FilterOperator?]);
    } catch (error) {
      if (error instanceof ValidationError) usage(spec, shown, error);
      throw error;
    }
  };

  const groups: (ApiFlagSpec | undefined)[] = apiFlags.length === 0 ? [undefined] : apiFlags;
  groups.forEach((spec, index) => {
    const filter = options.newFilter();
    if (index > 0) filter.addFilterOperator(FilterSetOperator.AND);
    if (owners.length > 0) filter.addOwner(owners);
    if (spec !== undefined) {
      for (const value of flags[spec.key] as (string | number)[]) call(filter, spec, String(value), value);
    }
    // Post filters on the first filter object: the others are ANDed with it, so they hold either way.
    if (index === 0) {
      for (const post of postFlags) {
        for (const { operator, value } of flags[post.key] as PostFilterValue[]) {
          const sent = post === PF_TYPE ? builtInTypeName(value, set) : value;
          call(filter, post, value, sent, operator);
        }
      }
    }
  });
  return true;
}
