/**
 * The report entry's "Resource Type" of typed and detected indicator requests.
 *
 * sdk-behaviour.md 3.4: "on untyped indicators the RO's resource type becomes the detected type", and
 * 3.7: `add_filter(IndicatorType.X)` "switches the filter object to that type's property table", whose
 * requests carry that type (the original's `IndicatorFilterObject` sets `self._resource_type` from
 * `ResourceType(indicator_type_enum.value)` and every filter request takes it). The report entry then
 * prints `Resource Type : ResourceType.ADDRESSES` / `ResourceType.HOSTS`. This SDK stamped every
 * request of `tc.indicators()` with `ResourceType.INDICATORS`; an untyped pivot
 * (`/v2/tags/APT/indicators`) keeps it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IndicatorType, ResourceType, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { withSandbox } from '../../helpers/sandbox.js';

const OWNER = 'Example Community';

describe('report entries of typed and detected indicator requests', () => {
  let sandbox: Sandbox;
  let tc: ThreatConnect;

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 0 });
    tc = clientFor(sandbox, { concurrency: 1 });
  });
  after(async () => {
    await tc.close();
    await sandbox.close();
  });

  it('addIndicator on an untyped filter object: the detected type', async () => {
    tc.reportEnable();
    const container = tc.indicators();
    container.addFilter().addOwner(OWNER).addIndicator('10.20.30.40');
    await container.retrieve();
    const entry = tc.report.entries.find(
      (e) => e.kind === 'request' && e.requestUri === '/v2/indicators/addresses/10.20.30.40',
    );
    assert.ok(entry !== undefined && entry.kind === 'request');
    assert.equal(entry.resourceType, ResourceType.ADDRESSES);
    assert.match(String(entry), /Resource Type {17}: ResourceType\.ADDRESSES/);
  });

  it('a typed filter object: its type, on the base listing and on pivots', async () => {
    tc.reportEnable();
    const container = tc.indicators();
    container.addFilter(IndicatorType.HOSTS).addOwner(OWNER);
    container.addFilter(IndicatorType.HOSTS).addOwner(OWNER).addTag('APT');
    await container.retrieve();
    for (const uri of ['/v2/indicators/hosts', '/v2/tags/APT/indicators/hosts']) {
      const entry = tc.report.entries.find((e) => e.kind === 'request' && e.requestUri === uri);
      assert.ok(entry !== undefined && entry.kind === 'request', uri);
      assert.equal(entry.resourceType, ResourceType.HOSTS, uri);
    }
  });

  it('an untyped pivot keeps ResourceType.INDICATORS', async () => {
    tc.reportEnable();
    const container = tc.indicators();
    container.addFilter().addOwner(OWNER).addTag('APT');
    await container.retrieve();
    const entry = tc.report.entries.find(
      (e) => e.kind === 'request' && e.requestUri === '/v2/tags/APT/indicators',
    );
    assert.ok(entry !== undefined && entry.kind === 'request');
    assert.equal(entry.resourceType, ResourceType.INDICATORS);
  });
});
