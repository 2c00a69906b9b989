/**
 * Compat mode against what the original printed, beyond the five recorded records.
 *
 * 1. Host flags. The API sends `dnsActive`/`whoisActive` as the strings "true"/"false"
 *    (rest-api-v2.md 3.4: "Host flags: `dnsActive` and `whoisActive` are the strings `"true"`/`"false"`"), and the original
 *    stored them as given (IndicatorObjectParser: `indicator.set_dns_active(indicator_dict['dnsActive'])`,
 *    `set_dns_active`: `self._dns_active = uni(data)`), so its keyval/cef/leef printed
 *    `dnsActive="true"`. decisions.md 3.2: compat "reproduces the bytes the original code printed".
 * 2. Compat JSON is "`JSON.stringify` of the sorted object with 4-space indentation" (decisions.md 3.2);
 *    JSON.stringify never prints `NaN`/`Infinity`, which JSON.parse cannot read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCef,
  formatJson,
  formatKeyval,
  formatLeef,
  fromApiIndicator,
  type HostRecord,
} from '../../../src/formats/index.js';

const compat = { compat: 'python-sdk' } as const;

// A typed-listing item of GET /v2/indicators/hosts, as the API sends it (flags as strings).
const host = fromApiIndicator(
  {
    id: 7,
    ownerName: 'Example Community',
    hostName: 'a.example.com',
    dnsActive: 'true',
    whoisActive: 'false',
    rating: 1.0,
    confidence: 10,
  },
  'hosts',
);

describe('compat host flags print as the original stored them (the wire strings)', () => {
  it('KeyVal', () => {
    const line = formatKeyval(host, compat);
    assert.match(line, / dnsActive="true" /);
    assert.match(line, / whoisActive="false" $/);
  });
  it('CEF', () => {
    const line = formatCef(host, compat);
    assert.match(line, / dnsActive="true" /);
    assert.match(line, / whoisActive="false" $/);
  });
  it('LEEF', () => {
    const line = formatLeef(host, compat);
    assert.match(line, / dnsActive="true" /);
    assert.match(line, / whoisActive="false" $/);
  });
  it('JSON holds the strings', () => {
    const parsed = JSON.parse(formatJson(host, compat)) as Record<string, unknown>;
    assert.equal(parsed.dnsActive, 'true');
    assert.equal(parsed.whoisActive, 'false');
  });
});

describe('compat JSON is JSON (decisions.md 3.2: JSON.stringify of the sorted object)', () => {
  it('a non-finite number prints as JSON.stringify prints it (null), so JSON.parse reads the text', () => {
    const record: HostRecord = {
      type: 'Host',
      id: 1,
      hostName: 'a.example.com',
      rating: Number.NaN,
      confidence: Number.POSITIVE_INFINITY,
    };
    const text = formatJson(record, compat);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    assert.equal(parsed.rating, null);
    assert.equal(parsed.confidence, null);
  });
});
