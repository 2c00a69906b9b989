/**
 * A filter object (sdk-behaviour.md 3.2): owners, one request per API filter (OR'd together), post
 * filters (AND'd), and how it combines with the filter objects before it. It prints as the
 * original's Filter Object table (section 3.9), with camelCase method names (decisions.md 1.7).
 */
import { inspect } from 'node:util';
import { FilterOperator, FilterSetOperator } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { heading, row, titleBar } from '../core/py-text.js';
import { describeValue } from '../core/validators.js';
import {
  API_FILTERS,
  type ApiFilterName,
  type ApiFiltersOf,
  type ContainerKind,
  POST_FILTERS,
  type PostFilterName,
  type PostFiltersOf,
} from './definitions.js';
import { createPostFilter, type PostFilter } from './post-filters.js';
import { type ApiRequestSpec, type FilterTarget, apiRequestSpec, defaultRequestSpec } from './requests.js';

const SET_OPERATORS = new Set<string>(Object.values(FilterSetOperator));

/** What every filter object has, whatever its container, besides the methods that chain. */
export type CommonMembers = 'owners' | 'operator' | 'filters' | 'apiRequests' | 'postFilters' | 'toString';

/** The methods of a container kind's filter object that return the filter object. */
export type ChainedMembers<K extends ContainerKind> =
  | 'addOwner'
  | 'addFilterOperator'
  | ApiFiltersOf<K>
  | PostFiltersOf<K>;

/**
 * The filter object of a container kind: only that container's filters exist on its type, and a chain
 * (`addOwner(o).addTag(t)`) keeps that view (a plain `Pick` would return the full `FilterObject`).
 */
export type Filter<K extends ContainerKind> = Pick<FilterObject, CommonMembers> & {
  readonly [P in ChainedMembers<K>]: FilterObject[P] extends (...args: infer A) => FilterObject
    ? (...args: A) => Filter<K>
    : never;
};

/** The implementation behind every {@link Filter}; a filter the container lacks throws. */
export class FilterObject {
  readonly #target: FilterTarget;
  readonly #owners: string[] = [];
  #operator: FilterSetOperator = FilterSetOperator.AND;
  readonly #requests: ApiRequestSpec[] = [];
  /** The API filter calls, to build the requests again for another target ({@link retarget}). */
  readonly #calls: [ApiFilterName, unknown][] = [];
  readonly #post: PostFilter[] = [];
  /** Set when a walk takes this object: from then on it cannot change. */
  #used = false;

  /** @internal Built by `container.addFilter()`. */
  constructor(target: FilterTarget) {
    this.#target = target;
  }

  /** The owners every API filter of this object is sent for (default org when none). */
  get owners(): readonly string[] {
    return [...this.#owners];
  }

  /** How this object's result combines with the objects before it. @default FilterSetOperator.AND */
  get operator(): FilterSetOperator {
    return this.#operator;
  }

  /** The requests of the API filters, in the order they were added. */
  get apiRequests(): readonly ApiRequestSpec[] {
    return [...this.#requests];
  }

  /** The post filters, applied to every item after retrieval, in the order they were added. */
  get postFilters(): readonly PostFilter[] {
    return [...this.#post];
  }

  /**
   * @internal The request sent when this object has no API filter: its own container's base listing
   * (`/v2/indicators/hosts` for a filter object of `addFilter(IndicatorType.HOSTS)`).
   */
  get defaultRequest(): ApiRequestSpec {
    return defaultRequestSpec(this.#target);
  }

  /** @internal The container this filter object lists (server-side filters depend on it). */
  get target(): FilterTarget {
    return this.#target;
  }

  /** The container's filter names: API filters sorted, then post filters sorted (as the original's). */
  get filters(): string[] {
    const kind = this.#target.kind;
    return [...[...API_FILTERS[kind]].sort(), ...[...POST_FILTERS[kind]].sort()];
  }

  /**
   * @internal Called when a walk (`retrieve()`, `stream()`) takes this object: its owners, filters and
   * operator are then what that walk reads, so a change would either widen the walk running or, once
   * it is over, do nothing. Either way the change is refused.
   */
  markUsed(): void {
    this.#used = true;
  }

  #assertOpen(method: string): void {
    if (this.#used) {
      throw new ValidationError(
        `${method}: this filter object was taken by a retrieval (retrieve() or stream()) and cannot change; add a new one with addFilter()`,
      );
    }
  }

  /** Adds owners (a name or a list); a name given twice is kept once. */
  addOwner(owner: string | readonly string[]): this {
    this.#assertOpen('addOwner');
    const owners = Array.isArray(owner) ? owner : [owner];
    if (owners.length === 0) throw new ValidationError('addOwner: give at least one owner name');
    // Every name is checked before any is added: a refused list changes nothing.
    for (const name of owners as unknown[]) {
      if (typeof name !== 'string' || name.trim().length === 0) {
        throw new ValidationError(`addOwner: ${describeValue(name)} is not an owner name`);
      }
    }
    for (const name of owners as string[]) if (!this.#owners.includes(name)) this.#owners.push(name);
    return this;
  }

  /** How this object combines with the ones before it: `FilterSetOperator.AND` or `.OR`. */
  addFilterOperator(operator: FilterSetOperator): this {
    this.#assertOpen('addFilterOperator');
    if (typeof operator !== 'string' || !SET_OPERATORS.has(operator)) {
      throw new ValidationError(
        `addFilterOperator: ${describeValue(operator)} is not a FilterSetOperator (FilterSetOperator.AND or FilterSetOperator.OR)`,
      );
    }
    this.#operator = operator;
    return this;
  }

  // --- API filters (OR'd) -------------------------------------------------------------------

  /** Items associated with the adversary of this id. */
  addAdversaryId(id: number): this {
    return this.#api('addAdversaryId', id);
  }
  /** Items associated with the campaign of this id. */
  addCampaignId(id: number): this {
    return this.#api('addCampaignId', id);
  }
  /** Items associated with the document of this id. */
  addDocumentId(id: number): this {
    return this.#api('addDocumentId', id);
  }
  /** Items associated with the e-mail of this id. */
  addEmailId(id: number): this {
    return this.#api('addEmailId', id);
  }
  /** The item of this id. */
  addId(id: number): this {
    return this.#api('addId', id);
  }
  /** Items associated with the incident of this id. */
  addIncidentId(id: number): this {
    return this.#api('addIncidentId', id);
  }
  /** An indicator value; its type is detected with the client's patterns (the container's own type when typed). */
  addIndicator(indicator: string): this {
    return this.#api('addIndicator', indicator);
  }
  /** Items that carry this security label. */
  addSecurityLabel(label: string): this {
    return this.#api('addSecurityLabel', label);
  }
  /** Items associated with the signature of this id. */
  addSignatureId(id: number): this {
    return this.#api('addSignatureId', id);
  }
  /** Items that carry this tag. */
  addTag(tag: string): this {
    return this.#api('addTag', tag);
  }
  /** Items associated with the task of this id. */
  addTaskId(id: number): this {
    return this.#api('addTaskId', id);
  }
  /** Items associated with the threat of this id. */
  addThreatId(id: number): this {
    return this.#api('addThreatId', id);
  }
  /** Items associated with the victim of this id. */
  addVictimId(id: number): this {
    return this.#api('addVictimId', id);
  }

  // --- post filters (AND'd) -----------------------------------------------------------------

  /** Post filter: items with an attribute of this type (the SDK asks for attributes inline). */
  addPfAttribute(type: string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfAttribute', type, operator);
  }
  /** Post filter on `confidence` (0–100). */
  addPfConfidence(confidence: number, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfConfidence', confidence, operator);
  }
  /** A `Date` or an ISO 8601 string; compared as instants, whatever the offsets. */
  addPfDateAdded(date: Date | string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfDateAdded', date, operator);
  }
  /** Post filter on a document's `fileType`. */
  addPfFileType(fileType: string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfFileType', fileType, operator);
  }
  /** Post filter on `lastModified`: a `Date` or an ISO 8601 string, compared as instants. */
  addPfLastModified(date: Date | string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfLastModified', date, operator);
  }
  /** Post filter on a group's `name`. */
  addPfName(name: string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfName', name, operator);
  }
  /** A number 0–5 or a numeric string (`'2.0'`). */
  addPfRating(rating: number | string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfRating', rating, operator);
  }
  /** Post filter: items that carry this tag (the SDK asks for tags inline). */
  addPfTag(tag: string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfTag', tag, operator);
  }
  /** Post filter on `threatAssessConfidence`. */
  addPfThreatAssessConfidence(confidence: number, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfThreatAssessConfidence', confidence, operator);
  }
  /** Post filter on `threatAssessRating` (a number 0–5 or a numeric string). */
  addPfThreatAssessRating(rating: number | string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfThreatAssessRating', rating, operator);
  }
  /** Post filter on the item's type name, such as `Host` or `Address`. */
  addPfType(type: string, operator: FilterOperator = FilterOperator.EQ): this {
    return this.#pf('addPfType', type, operator);
  }

  #api(name: ApiFilterName, value: unknown): this {
    this.#allow(name, API_FILTERS[this.#target.kind]);
    this.#assertOpen(name);
    this.#requests.push(apiRequestSpec(this.#target, name, value));
    this.#calls.push([name, value]);
    return this;
  }

  /**
   * @internal A copy of this filter object for another target of the same kind, its requests built
   * again: a typed filter of a custom indicator type learns its branch from the type table at retrieval.
   */
  retarget(target: FilterTarget): FilterObject {
    const copy = new FilterObject(target);
    if (this.#owners.length > 0) copy.addOwner(this.#owners);
    copy.#operator = this.#operator;
    for (const [name, value] of this.#calls) copy.#requests.push(apiRequestSpec(target, name, value));
    copy.#calls.push(...this.#calls);
    copy.#post.push(...this.#post);
    return copy;
  }

  #pf(name: PostFilterName, value: unknown, operator: unknown): this {
    this.#allow(name, POST_FILTERS[this.#target.kind]);
    this.#assertOpen(name);
    this.#post.push(
      createPostFilter(name, value, operator, name === 'addPfName' && this.#target.kind === 'owners'),
    );
    return this;
  }

  #allow(name: string, allowed: readonly string[]): void {
    if (!allowed.includes(name)) {
      throw new ValidationError(
        `${name} is not a filter of ${this.#target.label}: its filters are ${[...API_FILTERS[this.#target.kind], ...POST_FILTERS[this.#target.kind]].join(', ')}`,
      );
    }
  }

  /** The original's Filter Object table (sdk-behaviour.md 3.9), camelCase names. */
  toString(): string {
    const lines: string[] = ['', titleBar('Filter Object'), heading('Filter Properties')];
    lines.push(
      row('Operator', `FilterSetOperator.${this.#operator === FilterSetOperator.AND ? 'AND' : 'OR'}`),
    );
    lines.push(row('Request Objects', String(this.#requests.length)));
    if (this.#owners.length > 0) {
      lines.push('', heading('Owners'));
      for (const owner of this.#owners) lines.push(row('Owner', owner));
    }
    if (this.#requests.length > 0) {
      lines.push('', heading('Filters'));
      for (const request of this.#requests) lines.push(row('Filter', request.description));
    }
    lines.push('', heading('API Filters'));
    for (const name of API_FILTERS[this.#target.kind]) lines.push(row('Filter', name));
    lines.push('', heading('Post Filters'));
    for (const name of POST_FILTERS[this.#target.kind]) lines.push(row('Filter', name));
    return `${lines.join('\n')}\n`;
  }

  /** What `util.inspect` and `console.log` print for this object. */
  [inspect.custom](): string {
    return this.toString();
  }
}
