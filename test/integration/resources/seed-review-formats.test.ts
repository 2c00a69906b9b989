/**
 * Seed review, "Advanced Outputs Formats": the format functions given the SDK's own objects. An
 * indicator or group object type-checks as a format record (it has `type`, `id`, `ownerName`, …), so
 * `formatCef(indicator)`, `formatCsv(adversary)` and `formatStream(container.stream(), 'csv')` compile;
 * they must print the object as its own `cef`, `csv`, … properties do, not silently drop the value
 * fields (`hostName`, `ip`, …) and the `weblink` that an object holds under other names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createFormatter,
  csvHeader,
  formatCef,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  formatLines,
  formatStream,
  recordData,
} from '../../../src/index.js';
import { useSandboxClient } from '../../helpers/sandbox.js';

const OWNER = 'Example Community';

describe('seed review: format functions on SDK objects', () => {
  const fx = useSandboxClient();

  it('formatCef, formatLeef, formatCsv, formatKeyval, formatJson and recordData of an indicator object match its properties', async () => {
    const tc = fx.client();
    const indicators = tc.indicators();
    indicators.addFilter().addOwner(OWNER).addTag('APT');
    await indicators.retrieve();
    const host = [...indicators].find((i) => i.id === 355999);
    assert.ok(host !== undefined);
    assert.ok(formatCef(host).includes(' dhost=www.badguy_014.com '), formatCef(host));
    assert.equal(formatCef(host), host.cef);
    assert.equal(formatLeef(host), host.leef);
    assert.equal(formatCsv(host), host.csv);
    assert.equal(formatKeyval(host), host.keyval);
    assert.equal(formatJson(host), host.json);
    assert.deepEqual(recordData(host), host.data);
    for (const compat of ['python-sdk'] as const) {
      assert.equal(formatCef(host, { compat }), host.toCef({ compat }));
      assert.equal(formatCsv(host, { compat }), host.toCsv({ compat }));
    }
    for (const indicator of indicators) {
      assert.equal(createFormatter('cef')(indicator), indicator.cef, `cef ${indicator.id}`);
      assert.equal(createFormatter('csv')(indicator), indicator.csv, `csv ${indicator.id}`);
    }
  });

  it('formatStream over container.stream() prints each indicator with its value and weblink', async () => {
    const tc = fx.client();
    const indicators = tc.indicators();
    indicators.addFilter().addOwner(OWNER).addTag('APT');
    const lines: string[] = [];
    const expected: string[] = [];
    for await (const line of formatStream(
      (async function* () {
        for await (const indicator of indicators.stream()) {
          expected.push(`${indicator.csv}\r\n`);
          yield indicator;
        }
      })(),
      'csv',
    )) {
      lines.push(line);
    }
    assert.ok(expected.length >= 5);
    assert.equal(lines.join(''), `${csvHeader('indicator')}\r\n${expected.join('')}`);
    assert.ok(lines.some((l) => l.includes(',10.20.30.40,')));
  });

  it('formatCsv, formatKeyval and formatLines of group objects keep the weblink', async () => {
    const tc = fx.client();
    const adversaries = tc.adversaries();
    adversaries.addFilter().addOwner(OWNER);
    await adversaries.retrieve();
    assert.ok(adversaries.length > 0);
    for (const adversary of adversaries) {
      assert.ok(adversary.webLink !== undefined);
      assert.equal(formatCsv(adversary), adversary.csv);
      assert.equal(formatKeyval(adversary), adversary.keyval);
      assert.ok(formatKeyval(adversary).includes(' weblink="'));
      assert.equal(formatJson(adversary), adversary.json);
    }
    const lines = [...formatLines(adversaries, 'keyval')];
    assert.deepEqual(
      lines,
      [...adversaries].map((a) => `${a.keyval}\n`),
    );
  });
});
