/**
 * The request each API filter becomes (sdk-behaviour.md 3.4): its URI, whether it carries the owner,
 * and whether the answer is one object or a listing. Values are checked here, before any request
 * (ids are integers >= 0, tags and labels non-empty text, indicators of a known type).
 */
import { ValidationError } from '../core/errors.js';
import { checkPathSegment, quotePathSegment } from '../core/url.js';
import { describeValue } from '../core/validators.js';
import { type ApiFilterName, type ContainerKind, GROUP_ID_FILTERS } from './definitions.js';

/** The container a filter object belongs to. */
export interface FilterTarget {
  readonly kind: ContainerKind;
  /** For messages: `indicators`, `adversaries`, `groups`, … */
  readonly label: string;
  /** The container's own branch: `hosts` for a typed indicators container, `adversaries` for a group type. */
  readonly branch?: string | undefined;
  /** The branch of an indicator value by the client's patterns, or undefined when no type matches. */
  readonly detectBranch: (value: string) => string | undefined;
}

/** One request of a filter object. */
export interface ApiRequestSpec {
  /** The API filter, or undefined for the container's default (owner-only) request. */
  readonly name: ApiFilterName | undefined;
  /** `api filter by tag "APT"`, as the report and `String(filter)` show it. */
  readonly description: string;
  /** The request URI, values percent-encoded. */
  readonly requestUri: string;
  /** Whether the request carries `owner` (sent once per owner); else sent once for all owners. */
  readonly ownerAllowed: boolean;
  /** One object under `data.<entity>` rather than a listing. */
  readonly single: boolean;
  /** The indicator branch of the answer's items when the answer names no type (typed listing, single object). */
  readonly indicatorBranch?: string | undefined;
  /** The default request: `modifiedSince` applies to it (decisions.md 1.7). */
  readonly isDefault: boolean;
}

function checkId(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(`${name}: ${describeValue(value)} is not a valid id (an integer >= 0)`);
  }
  return value;
}

function checkText(name: string, value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new ValidationError(`${name}: ${describeValue(value)} is not a valid ${what}`);
  }
  // The value becomes a path segment, which `.` and `..` cannot be.
  checkPathSegment(value, `${what === 'indicator' ? 'an' : 'a'} ${what}`);
  return value;
}

/** What a pivot lists, by container kind: `/indicators`, `/indicators/hosts`, `/groups/adversaries`, … */
function listedSuffix(target: FilterTarget): string {
  switch (target.kind) {
    case 'indicators':
      return '/indicators';
    case 'typedIndicators':
      return `/indicators/${target.branch ?? ''}`;
    case 'groupType':
      return `/groups/${target.branch ?? ''}`;
    case 'groups':
      return '/groups';
    case 'victims':
      return '/victims';
    case 'tasks':
      return '/tasks';
    case 'owners':
      return '/owners';
  }
}

/** The container's request with no API filter: the base listing. */
export function defaultRequestSpec(target: FilterTarget): ApiRequestSpec {
  const requestUri =
    target.kind === 'typedIndicators'
      ? `/v2/indicators/${target.branch ?? ''}`
      : `/v2${listedSuffix(target)}`;
  return {
    name: undefined,
    description: 'filter by owner',
    requestUri,
    ownerAllowed: target.kind !== 'owners',
    single: false,
    indicatorBranch: target.kind === 'typedIndicators' ? target.branch : undefined,
    isDefault: true,
  };
}

/** The request of one API filter on a container; throws ValidationError for a bad value. */
export function apiRequestSpec(target: FilterTarget, name: ApiFilterName, value: unknown): ApiRequestSpec {
  const suffix = listedSuffix(target);
  const typedBranch = target.kind === 'typedIndicators' ? target.branch : undefined;
  const spec = (
    description: string,
    requestUri: string,
    ownerAllowed: boolean,
    single = false,
    indicatorBranch: string | undefined = typedBranch,
  ): ApiRequestSpec => ({
    name,
    description,
    requestUri,
    ownerAllowed,
    single,
    indicatorBranch,
    isDefault: false,
  });

  const group = GROUP_ID_FILTERS[name];
  if (group !== undefined) {
    const id = checkId(name, value);
    // Group pivots carry no owner, except for tasks (sdk-behaviour.md 3.4).
    return spec(
      `api filter by ${group.word} id ${id}`,
      `/v2/groups/${group.branch}/${id}${suffix}`,
      target.kind === 'tasks',
    );
  }
  switch (name) {
    case 'addId': {
      const id = checkId(name, value);
      const base = target.kind === 'groupType' ? `/v2/groups/${target.branch ?? ''}` : `/v2${suffix}`;
      return spec(`api filter by id ${id}`, `${base}/${id}`, true, true);
    }
    case 'addTaskId': {
      const id = checkId(name, value);
      return spec(`api filter by tasks id ${id}`, `/v2/tasks/${id}${suffix}`, true);
    }
    case 'addVictimId': {
      const id = checkId(name, value);
      return spec(`api filter by victim id ${id}`, `/v2/victims/${id}${suffix}`, target.kind === 'tasks');
    }
    case 'addTag': {
      const tag = checkText(name, value, 'tag');
      return spec(`api filter by tag "${tag}"`, `/v2/tags/${quotePathSegment(tag)}${suffix}`, true);
    }
    case 'addSecurityLabel': {
      const label = checkText(name, value, 'security label');
      return spec(
        `api filter by security label "${label}"`,
        `/v2/securityLabels/${quotePathSegment(label)}${suffix}`,
        true,
      );
    }
    case 'addIndicator': {
      const indicator = checkText(name, value, 'indicator');
      const branch = typedBranch ?? target.detectBranch(indicator);
      if (branch === undefined) {
        throw new ValidationError(
          `addIndicator: ${describeValue(indicator)} is not a valid indicator of a known type`,
        );
      }
      const path = `/v2/indicators/${branch}/${quotePathSegment(indicator)}`;
      const description = `api filter by indicator id ${indicator}`;
      if (target.kind === 'indicators' || target.kind === 'typedIndicators') {
        return spec(description, path, true, true, branch);
      }
      const pivot = target.kind === 'groupType' ? `/groups/${target.branch ?? ''}` : suffix;
      return spec(description, `${path}${pivot}`, target.kind !== 'owners');
    }
    default:
      throw new ValidationError(`${name} is not a filter of ${target.label}`);
  }
}
