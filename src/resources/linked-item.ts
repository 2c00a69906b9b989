/**
 * The objects that take indicator associations: groups, victims and tasks (rest-api-v2.md 10). An
 * indicator takes none of its own kind, so {@link Indicator} extends {@link Item} directly.
 */
import type { IndicatorType } from '../core/enums.js';
import { checkText } from './checks.js';
import type { Indicator } from './indicator.js';
import { Item } from './item.js';
import type { IndicatorKind } from './kinds.js';
import { indicatorTarget } from './targets.js';

/** The write side of groups, victims and tasks: {@link Item}, their name, and indicator associations. */
export abstract class LinkedItem extends Item {
  /** The name, required to create the object. */
  abstract name: string | undefined;

  /** The name (required on create); sent by `commit()`. */
  setName(name: string): this {
    const text = checkText(name, 'name');
    this.change('name', text, 'setName');
    this.name = text;
    return this;
  }

  /**
   * Queues `POST {item}/indicators/{type}/{value}` (a group's or task's path; a victim's link is sent
   * from the indicator's side, `/v2/indicators/{type}/{value}/victims/{id}`): an indicator object, or a
   * type, value and owner.
   */
  associateIndicator(indicator: Indicator): this;
  associateIndicator(type: IndicatorType | IndicatorKind, value: string, owner?: string): this;
  associateIndicator(
    target: Indicator | IndicatorType | IndicatorKind,
    value?: string,
    owner?: string,
  ): this {
    return this.queueAssociation('POST', 'associateIndicator', indicatorTarget(target, value, owner));
  }

  /** Queues `DELETE {item}/indicators/{type}/{value}` (a victim's: from the indicator's side). */
  disassociateIndicator(indicator: Indicator): this;
  disassociateIndicator(type: IndicatorType | IndicatorKind, value: string, owner?: string): this;
  disassociateIndicator(
    target: Indicator | IndicatorType | IndicatorKind,
    value?: string,
    owner?: string,
  ): this {
    return this.queueAssociation('DELETE', 'disassociateIndicator', indicatorTarget(target, value, owner));
  }
}
