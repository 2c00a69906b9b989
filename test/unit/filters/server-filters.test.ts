/**
 * Which post filters become server-side `filters=` expressions (rest-api-v2.md 4.2), and their margins:
 * each expression must keep every object its post filter keeps, whatever the server's time zone, date
 * precision or rating rounding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterOperator } from '../../../src/index.js';
import { createPostFilter } from '../../../src/filters/post-filters.js';
import { serverExpressions, serverFilterValue } from '../../../src/filters/server-filters.js';
import type { PostFilterName } from '../../../src/filters/definitions.js';

const { EQ, NE, GT, GE, LT, LE } = FilterOperator;
const indicators = { kind: 'indicators' } as const;
const pf = (name: PostFilterName, value: unknown, op: FilterOperator) => createPostFilter(name, value, op);

describe('server-side filters of post filters', () => {
  it('dates: bounds two days out, as UTC dates, both for EQ, none for NE', () => {
    const at = '2015-06-18T20:21:45-05:00'; // 2015-06-19T01:21:45Z
    assert.deepEqual(serverExpressions(indicators, pf('addPfDateAdded', at, GT)), ['dateAdded%3E2015-06-17']);
    assert.deepEqual(serverExpressions(indicators, pf('addPfDateAdded', at, GE)), ['dateAdded%3E2015-06-17']);
    assert.deepEqual(serverExpressions(indicators, pf('addPfDateAdded', at, LT)), ['dateAdded%3C2015-06-22']);
    assert.deepEqual(serverExpressions(indicators, pf('addPfDateAdded', at, LE)), ['dateAdded%3C2015-06-22']);
    assert.deepEqual(serverExpressions(indicators, pf('addPfDateAdded', at, EQ)), [
      'dateAdded%3E2015-06-17',
      'dateAdded%3C2015-06-22',
    ]);
    assert.deepEqual(serverExpressions(indicators, pf('addPfDateAdded', at, NE)), []);
  });

  it('ratings: 0.02 out, two decimals; no lower bound below zero', () => {
    assert.deepEqual(serverExpressions(indicators, pf('addPfRating', '2.0', GE)), ['rating%3E1.98']);
    assert.deepEqual(serverExpressions(indicators, pf('addPfRating', 2.5, LT)), ['rating%3C2.52']);
    assert.deepEqual(serverExpressions(indicators, pf('addPfThreatAssessRating', 3, EQ)), [
      'threatAssessRating%3E2.98',
      'threatAssessRating%3C3.02',
    ]);
    assert.deepEqual(serverExpressions(indicators, pf('addPfRating', 0, GE)), []);
    assert.deepEqual(serverExpressions(indicators, pf('addPfRating', 0, EQ)), ['rating%3C0.02']);
  });

  it('confidence is an integer: exact bounds, = for EQ; threat assess confidence is a double: one apart', () => {
    const c = (op: FilterOperator) => serverExpressions(indicators, pf('addPfConfidence', 50, op));
    assert.deepEqual([EQ, NE, GT, GE, LT, LE].map(c), [
      ['confidence%3D50'],
      [],
      ['confidence%3E50'],
      ['confidence%3E49'],
      ['confidence%3C50'],
      ['confidence%3C51'],
    ]);
    assert.deepEqual(serverExpressions(indicators, pf('addPfThreatAssessConfidence', 50, EQ)), [
      'threatAssessConfidence%3E49',
      'threatAssessConfidence%3C51',
    ]);
  });

  it('names with EQ only, encoded; a comma or another operator stays client-side', () => {
    const groups = { kind: 'groupType', branch: 'adversaries' } as const;
    assert.deepEqual(serverExpressions(groups, pf('addPfName', 'Bad Guy', EQ)), ['name%3DBad%20Guy']);
    assert.deepEqual(serverExpressions({ kind: 'tasks' }, pf('addPfName', 'a@b:c', EQ)), [
      'name%3Da%40b%3Ac',
    ]);
    assert.deepEqual(serverExpressions(groups, pf('addPfName', 'Bad, Guy', EQ)), []);
    assert.deepEqual(serverExpressions(groups, pf('addPfName', 'Bad Guy', GT)), []);
    assert.deepEqual(serverExpressions({ kind: 'owners' }, pf('addPfName', 'Example Org', EQ)), []);
  });

  it('fields a listing cannot filter on stay client-side', () => {
    assert.deepEqual(serverExpressions(indicators, pf('addPfTag', 'APT', EQ)), []);
    assert.deepEqual(serverExpressions(indicators, pf('addPfType', 'Host', EQ)), []);
    assert.deepEqual(serverExpressions(indicators, pf('addPfLastModified', '2020-01-01', GT)), []);
    assert.deepEqual(serverExpressions({ kind: 'victims' }, pf('addPfDateAdded', '2020-01-01', GT)), []);
    assert.deepEqual(serverExpressions({ kind: 'groups' }, pf('addPfRating', 2, GT)), []);
    const signatures = { kind: 'groupType', branch: 'signatures' } as const;
    assert.deepEqual(serverExpressions(signatures, pf('addPfFileType', 'YARA', EQ)), []);
    const documents = { kind: 'groupType', branch: 'documents' } as const;
    assert.deepEqual(serverExpressions(documents, pf('addPfFileType', 'PDF', EQ)), ['fileType%3DPDF']);
  });

  it('the filters value joins the expressions with literal commas, once each', () => {
    const value = serverFilterValue(indicators, [
      pf('addPfConfidence', 50, GE),
      pf('addPfConfidence', 50, GE),
      pf('addPfRating', 2, GT),
      pf('addPfTag', 'APT', EQ),
    ]);
    assert.equal(value, 'confidence%3E49,rating%3E1.98');
    assert.equal(serverFilterValue(indicators, [pf('addPfTag', 'APT', EQ)]), undefined);
  });
});
