/**
 * The date setters of groups (`setEventDate`, `setFirstSeen`) and tasks (`setDueDate`,
 * `setReminderDate`, `setEscalationDate`) take ISO 8601 dates of days that exist, or Dates.
 *
 * docs/indicators.md, "Groups": "Dates are ISO 8601 strings, or `Date`s sent as `YYYY-MM-DDTHH:MM:SSZ`";
 * decisions.md 1.3: `ValidationError` is "a bad value given to an SDK object before any request". The
 * setters checked only `Date.parse`, which takes `1`, `March 7, 2024` and rolls `2015-02-30` over to
 * March 2: such values were stored and sent, and the API refused them at `commit()` (a
 * `BadRequestError` after the request, such as the sandbox's "The firstSeen for this Campaign is
 * invalid").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../src/index.js';
import { createGroup, createTask } from '../../../src/resources/create.js';
import { GROUP_KIND_BY_TYPE, type GroupKind } from '../../../src/resources/kinds.js';
import { offlineContext } from '../../helpers/resources.js';

function kind(type: string): GroupKind {
  const k = GROUP_KIND_BY_TYPE.get(type);
  assert.ok(k);
  return k;
}

const message = (label: string, shown: string): string =>
  `${label} must be an ISO 8601 date such as '2024-01-02' or '2024-01-02T03:04:05Z', or a Date, got ${shown}`;

describe('date setters take ISO 8601 dates that exist, or Dates', () => {
  const ctx = offlineContext();

  for (const bad of [
    '1',
    'March 7, 2024',
    'Tue Mar 05 2024',
    '2015-02-30',
    '2024-01-01 10:00',
    '2024-13-01',
    '',
  ]) {
    it(`${JSON.stringify(bad)} is a ValidationError naming the field, for every date setter`, () => {
      const shown = JSON.stringify(bad);
      const campaign = createGroup(kind('Campaign'), 'C', undefined, ctx);
      assert.throws(() => campaign.setFirstSeen(bad), {
        name: 'ValidationError',
        message: message('firstSeen', shown),
      });
      const incident = createGroup(kind('Incident'), 'I', undefined, ctx);
      assert.throws(() => incident.setEventDate(bad), {
        name: 'ValidationError',
        message: message('eventDate', shown),
      });
      const task = createTask('T', undefined, ctx);
      assert.throws(() => task.setDueDate(bad), {
        name: 'ValidationError',
        message: message('dueDate', shown),
      });
      assert.throws(() => task.setReminderDate(bad), ValidationError);
      assert.throws(() => task.setEscalationDate(bad), ValidationError);
      assert.deepEqual(task.pendingChanges, ['create'], 'a refused value queues nothing beyond the create');
    });
  }

  it('ISO 8601 dates are taken as given, Dates sent as YYYY-MM-DDTHH:MM:SSZ', () => {
    const incident = createGroup(kind('Incident'), 'I', undefined, ctx);
    assert.equal(incident.setEventDate('2024-01-02').eventDate, '2024-01-02');
    assert.equal(incident.setEventDate('2024-01-02T00:00:00-04:00').eventDate, '2024-01-02T00:00:00-04:00');
    assert.equal(incident.setEventDate('2024-02-29T10:00:00.123Z').eventDate, '2024-02-29T10:00:00.123Z');
    const task = createTask('T', undefined, ctx);
    assert.equal(task.setDueDate(new Date(Date.UTC(2024, 0, 2, 3, 4, 5))).dueDate, '2024-01-02T03:04:05Z');
    assert.throws(() => task.setDueDate(new Date('x')), {
      name: 'ValidationError',
      message: 'dueDate must be a valid date, got Invalid Date',
    });
  });
});
