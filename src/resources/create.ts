/**
 * New objects, as the containers' `add()` makes them (sdk-behaviour.md 7.3, 8.3): built locally with
 * a temporary negative id and phase `new`; nothing is sent until `commit()`.
 */
import { IndicatorType, indicatorTypeName } from '../core/enums.js';
import { ValidationError } from '../core/errors.js';
import { checkPathSegment } from '../core/url.js';
import { describeValue } from '../core/validators.js';
import type { ResourceContext } from './context.js';
import { DETECTION_ORDER } from './detect.js';
import { Group } from './group.js';
import { Indicator, hashField } from './indicator.js';
import { checkText, temporaryId } from './checks.js';
import { FILE, type GroupKind, INDICATOR_KINDS, type IndicatorKind } from './kinds.js';
import { Task } from './task.js';
import { groupKindOf, indicatorKindOf } from './targets.js';
import { Victim } from './victim.js';

function checkOwner(owner: unknown): string | undefined {
  return owner === undefined ? undefined : checkText(owner, 'owner');
}

const DETECTABLE = DETECTION_ORDER.map((t) => indicatorTypeName(t)?.replace('IndicatorType.', '')).join(', ');

/** The kind of a value with no type given: the first type whose patterns match all of it. */
function detectKind(value: string, ctx: ResourceContext): IndicatorKind {
  const type = ctx.detector.detect(value);
  const kind = type === undefined ? undefined : INDICATOR_KINDS.get(type);
  if (kind === undefined) {
    throw new ValidationError(
      `${JSON.stringify(value)} is not a valid indicator: it matches none of the ${DETECTABLE} patterns ` +
        '(pass an IndicatorType to skip detection, or change the patterns with setIndicatorRegex())',
    );
  }
  return kind;
}

/** Splits a value into the type's value fields. */
function valueFields(value: string, kind: IndicatorKind, override: boolean): Record<string, string> {
  if (kind === FILE) {
    // A file takes one hash, or with a type override a `md5 : sha1 : sha256` summary (any subset):
    // each part goes to the field of its length; the hex is the server's to check.
    const parts = override ? value.split(':').map((p) => p.trim()) : [value];
    const out: Record<string, string> = {};
    for (const part of parts) {
      const field = hashField(part);
      if (field === undefined || out[field] !== undefined) {
        throw new ValidationError(
          `${JSON.stringify(value)} is not a File value: give an MD5 (32), SHA-1 (40) or SHA-256 (64) hash, ` +
            `or several joined by ' : ', one of each length (${JSON.stringify(part)} has ${part.length} characters${field === undefined ? '' : `, a second ${field}`})`,
        );
      }
      out[field] = part;
    }
    return out;
  }
  const fields = kind.valueFields;
  if (fields.length <= 1) return { [fields[0] ?? 'summary']: value };
  const parts = value.split(' : ');
  if (parts.length !== fields.length) {
    throw new ValidationError(
      `${JSON.stringify(value)} is not a ${kind.type} value: give ${fields.length} values joined by ' : ' (${fields.join(', ')})`,
    );
  }
  return Object.fromEntries(fields.map((field, i) => [field, parts[i] ?? '']));
}

/**
 * A new indicator of `value` (`indicators.add(value, owner?, type?)`).
 *
 * - No `type`: the client's patterns pick it (a pattern must match the whole value); a value no type
 *   matches is a `ValidationError` naming it, before any request.
 * - With a `type` (an `IndicatorType`, or a custom type's `IndicatorKind`): no detection and no
 *   pattern check, as the seed says; a value the server refuses is a `BadRequestError` at `commit()`.
 *   A FILES value is split by hash length.
 *
 * @throws {ValidationError} for a value that is not a non-empty string, a value no type matches, an
 *   invalid type, `IndicatorType.CUSTOM_INDICATORS` without the custom type, or a FILES value that is
 *   no hash.
 */
export function createIndicator(
  value: string,
  owner: string | undefined,
  type: IndicatorType | IndicatorKind | undefined,
  ctx: ResourceContext,
): Indicator {
  if (typeof value !== 'string' || value === '') {
    throw new ValidationError(`indicator value must be a non-empty string, got ${describeValue(value)}`);
  }
  // Also with a type override: the value names the indicator in its requests' paths.
  checkPathSegment(value, 'an indicator value');
  const ownerName = checkOwner(owner);
  if (type === IndicatorType.CUSTOM_INDICATORS) {
    throw new ValidationError(
      'IndicatorType.CUSTOM_INDICATORS does not say which custom type: pass the IndicatorKind of the type ' +
        '(from the types the API lists at /v2/types/indicatorTypes)',
    );
  }
  const kind = type === undefined ? detectKind(value, ctx) : indicatorKindOf(type, 'indicatorType');
  const indicator = Indicator.create(ctx, temporaryId(), kind.type, kind, 'new', undefined);
  Object.assign(indicator.values, valueFields(value, kind, type !== undefined));
  indicator.ownerName = ownerName;
  return indicator;
}

/**
 * A new group of `kind` named `name` (`adversaries().add(name, owner?)`). The type's required fields
 * are checked at `commit()`.
 * @throws {ValidationError} for an empty name or an invalid kind.
 */
export function createGroup(
  kind: GroupKind,
  name: string,
  owner: string | undefined,
  ctx: ResourceContext,
): Group {
  const groupKind = groupKindOf(kind);
  const text = checkText(name, 'name');
  const group = Group.create({
    id: temporaryId(),
    type: groupKind.type,
    kind: groupKind,
    context: ctx,
    phase: 'new',
  });
  group.name = text;
  group.ownerName = checkOwner(owner);
  return group;
}

/** A new victim named `name`. @throws {ValidationError} for an empty name. */
export function createVictim(name: string, owner: string | undefined, ctx: ResourceContext): Victim {
  const victim = Victim.create(temporaryId(), ctx, 'new');
  victim.name = checkText(name, 'name');
  victim.ownerName = checkOwner(owner);
  return victim;
}

/** A new task named `name`. @throws {ValidationError} for an empty name. */
export function createTask(name: string, owner: string | undefined, ctx: ResourceContext): Task {
  const task = Task.create(temporaryId(), ctx, 'new');
  task.name = checkText(name, 'name');
  task.ownerName = checkOwner(owner);
  return task;
}
