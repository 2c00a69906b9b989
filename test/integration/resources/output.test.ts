/**
 * The output formats on retrieved objects (seed "Advanced Outputs Formats", decisions.md 3): the five
 * records of python-sdk-observed.md section 2, read from the sandbox through the filter system, print
 * in compat mode exactly what the original printed (section 4.5), and by default what the format
 * functions give for the same API items; the client's `setOutputCompat` switches the properties.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  csvHeader,
  formatCef,
  formatCsv,
  formatJson,
  formatKeyval,
  formatLeef,
  fromApiIndicator,
  type Indicator,
  type ThreatConnect,
} from '../../../src/index.js';
import { useSandboxClient } from '../../helpers/sandbox.js';
import { ITEMS, OBSERVED } from '../../unit/formats/fixtures/vectors.js';

const IDS = [356004, 356003, 355999, 356002, 356001];
const itemOf = (id: number) => {
  const text = ITEMS.find((item) => item.startsWith(`{"id":${id},`));
  assert.ok(text !== undefined);
  return JSON.parse(text) as Record<string, unknown>;
};

describe('output formats on retrieved indicators', () => {
  const fx = useSandboxClient();

  const five = async (tc: ThreatConnect): Promise<Map<number, Indicator>> => {
    const indicators = tc.indicators();
    indicators.addFilter().addOwner('Example Community').addTag('APT');
    await indicators.retrieve();
    const byId = new Map([...indicators].map((i) => [i.id, i]));
    for (const id of IDS) assert.ok(byId.has(id), `record ${id} retrieved`);
    return byId;
  };

  it('compat mode prints the original bytes of python-sdk-observed.md 4.5 for the five records', async () => {
    const tc = fx.client();
    const byId = await five(tc);
    IDS.forEach((id, i) => {
      const indicator = byId.get(id);
      assert.ok(indicator !== undefined);
      assert.equal(indicator.toCef({ compat: 'python-sdk' }), OBSERVED.cef[i], `cef ${id}`);
      assert.equal(indicator.toKeyval({ compat: 'python-sdk' }), OBSERVED.keyval[i], `keyval ${id}`);
      assert.equal(indicator.toLeef({ compat: 'python-sdk' }), OBSERVED.leef[i], `leef ${id}`);
      assert.equal(indicator.toCsv({ compat: 'python-sdk' }), OBSERVED.csv[i + 1], `csv ${id}`);
    });
    assert.equal(byId.get(355999)?.csvHeader, OBSERVED.csv[0]);
    // The properties follow the client's setting.
    tc.setOutputCompat('python-sdk');
    assert.equal(byId.get(355999)?.cef, OBSERVED.cef[2]);
    tc.setOutputCompat(undefined);
    assert.notEqual(byId.get(355999)?.cef, OBSERVED.cef[2]);
  });

  it('by default the properties print what the format functions give for the same API items', async () => {
    const tc = fx.client();
    const byId = await five(tc);
    for (const id of IDS) {
      const indicator = byId.get(id);
      assert.ok(indicator !== undefined);
      const record = fromApiIndicator(itemOf(id));
      assert.equal(indicator.cef, formatCef(record), `cef ${id}`);
      assert.equal(indicator.leef, formatLeef(record), `leef ${id}`);
      assert.equal(indicator.csv, formatCsv(record), `csv ${id}`);
      assert.equal(indicator.keyval, formatKeyval(record), `keyval ${id}`);
      assert.equal(indicator.json, formatJson(record), `json ${id}`);
      assert.deepEqual(JSON.parse(indicator.json), indicator.data);
    }
    assert.equal(byId.get(355999)?.csvHeader, csvHeader('indicator'));
  });

  it('groups print CSV, KeyVal and JSON', async () => {
    const tc = fx.client();
    const adversaries = tc.adversaries();
    adversaries.addFilter().addOwner('Example Community').addTag('APT');
    await adversaries.retrieve();
    const [first] = adversaries;
    assert.ok(first !== undefined);
    assert.equal(first.csvHeader, csvHeader('group'));
    assert.match(first.csv, new RegExp(`^[^,]*,${first.id},Bad Guy|Other Guy`));
    assert.equal((JSON.parse(first.json) as { name?: string }).name, first.name);
    assert.match(first.keyval, new RegExp(`id="${first.id}"`));
  });
});

describe('String() of retrieved objects', () => {
  const fx = useSandboxClient();

  it('gives the one line util.inspect gives, never [object Object]', async () => {
    const tc = fx.client();
    const indicators = tc.indicators();
    indicators.addFilter().addOwner('Example Community').addTag('APT');
    await indicators.retrieve();
    const adversaries = tc.adversaries();
    adversaries.addFilter().addOwner('Example Community').addId(5);
    await adversaries.retrieve();
    const owners = tc.owners();
    await owners.retrieve();
    const indicator = [...indicators].find((i) => i.id === 355999);
    const [adversary] = adversaries;
    const [owner] = owners;
    assert.equal(
      String(indicator),
      'Indicator { id: 355999, type: "Host", summary: "www.badguy_014.com", ownerName: "Example Community" }',
    );
    assert.equal(
      String(adversary),
      'Group { id: 5, type: "Adversary", name: "Example Adversary", ownerName: "Example Community" }',
    );
    assert.match(String(owner), /^Owner \{ id: \d+, name: ".+", type: ".+" \}$/);
    assert.match(String(indicators), /^IndicatorsContainer \{ length: \d+ \}$/);
  });
});
