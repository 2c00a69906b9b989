/**
 * An indicator object read from a typed host listing holds the API's flag strings
 * (`indicator.dnsActive === 'true'`), and the original, which stored them as given, printed them so in
 * its keyval (`dnsActive="true"`). decisions.md 3.2: compat "reproduces the bytes the original code
 * printed". The SDK turned them into booleans for its format record and printed Python's `True`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndicatorType } from '../../../src/index.js';
import { useSandboxClient } from '../../helpers/sandbox.js';

describe('compat output of host objects from a typed listing', () => {
  const fx = useSandboxClient();

  it('prints the flags the object holds, as the original printed them', async () => {
    const tc = fx.client();
    const hosts = tc.indicators();
    hosts.addFilter(IndicatorType.HOSTS).addOwner('Example Community');
    await hosts.retrieve();
    const [host] = hosts;
    assert.ok(host !== undefined);
    assert.ok(host.dnsActive === 'true' || host.dnsActive === 'false', 'the API sent a flag string');
    const line = host.toKeyval({ compat: 'python-sdk' });
    assert.ok(line.includes(` dnsActive="${host.dnsActive}" `), line);
    assert.ok(line.endsWith(` whoisActive="${host.whoisActive}" `), line);
  });
});
