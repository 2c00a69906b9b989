/**
 * Clock skew (issue 12, section 3): the sandbox's clock set minutes ahead of and behind the client's,
 * and moved between runs by less than the overlap. The checkpoint comes from the server's Date
 * header, so the client's clock plays no part: nothing is missed and nothing is delivered twice. The
 * client authenticates with an API token, whose requests carry no timestamp to be refused.
 */
import { describe, it } from 'node:test';
import { ThreatConnect } from '../../../src/index.js';
import { setServerClock, withSandbox } from '../../helpers/sandbox.js';
import { SyncWorld } from './support.js';

async function scenario(name: string, offsets: number[]): Promise<void> {
  const sandbox = await withSandbox();
  const tc = new ThreatConnect({
    apiToken: sandbox.apiToken,
    apiTokenExpires: sandbox.apiTokenExpires,
    defaultOrg: sandbox.defaultOrg,
    baseUrl: sandbox.baseUrl,
    apiSleep: 0.005,
  });
  const world = new SyncWorld(sandbox, tc, { format: 'jsonl', overlap: 300, deletions: true, tag: name });
  try {
    for (const [i, offset] of offsets.entries()) {
      await setServerClock(sandbox, offset);
      await world.create('host', i % 6);
      await world.create('address', 3);
      const values = [...world.known.keys()];
      if (values[0] !== undefined) await world.edit(values[0], (i + 1) % 6);
      if (i > 0 && values[1] !== undefined) await world.remove(values[1]);
      await world.attempt(() => world.runEngine());
      // Written after the run, at the same server time: the next run must find it.
      await world.create('host', 1);
    }
    await world.attempt(() => world.runEngine());
    world.check();
  } finally {
    world.dispose();
    await tc.close();
    await sandbox.close();
  }
}

describe('sync under clock skew', () => {
  it('the server 30 minutes ahead of the client: nothing missed, nothing twice', () =>
    scenario('ahead', [1800, 1800, 1800]));
  it('the server 30 minutes behind the client: nothing missed, nothing twice', () =>
    scenario('behind', [-1800, -1800, -1800]));
  it('the server clock moved back and forth between runs, back by less than the overlap', () =>
    scenario('moving', [120, 0, -120, 600, 480]));
});
