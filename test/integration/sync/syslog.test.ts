/**
 * `threatconnect sync --syslog` against rsyslogd (test/helpers/rsyslog.ts) over TLS and TCP: the first
 * run delivers exactly the lines a dry run prints, each once and at its rating's severity; a run with
 * nothing new sends nothing; an edit is delivered once at the next run; the state moves only after the
 * collector acknowledged (a collector that refuses the client certificate: exit 1, state unchanged).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { RequestObject, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { parseCef } from '../../helpers/format-parsers.js';
import { clientFor } from '../../helpers/client.js';
import {
  type Collector,
  rsyslogSkip,
  startCollector,
  expectedSeverity,
  cliTlsFlags,
} from '../../helpers/rsyslog.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { runInProcess, sandboxEnv, tempFolder } from '../cli/in-process.js';

const COMMUNITY = 'Example Community';
const skip = rsyslogSkip();

describe('threatconnect sync --syslog with rsyslogd', { skip }, () => {
  let sandbox: Sandbox;
  let collector: Collector;
  let tc: ThreatConnect;
  let env: Record<string, string>;
  const folder = tempFolder('tc-sync-syslog-');

  before(async () => {
    [sandbox, collector] = await Promise.all([withSandbox({ seedIndicators: 60 }), startCollector()]);
    tc = clientFor(sandbox);
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await tc.close();
    await Promise.all([sandbox.close(), collector.close()]);
    folder.remove();
  });

  const tlsFlags = () => cliTlsFlags(collector);
  const sync = (args: string[]) =>
    runInProcess(['sync', '--owner', COMMUNITY, '--format', 'cef', ...args], { env });

  for (const transport of ['tls', 'tcp'] as const) {
    it(`delivers each change once over ${transport}, at its rating's severity, and moves the state after the acknowledgement`, async () => {
      const state = folder.file(`${transport}.state`);
      const app = `sync-${transport}`;
      const target = [
        '--syslog',
        collector.urls[transport],
        '--syslog-app-name',
        app,
        ...(transport === 'tls' ? tlsFlags() : []),
      ];
      const dry = await sync(['--state', state, '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      const lines = dry.stdout.split('\n').filter((l) => l !== '');
      assert.ok(lines.length > 40, String(lines.length));
      assert.equal(existsSync(state), false, 'a dry run writes no state');

      const first = await sync(['--state', state, ...target]);
      assert.deepEqual([first.code, first.stdout, first.stderr], [0, '', '']);
      assert.ok(existsSync(state));
      const collected = await collector.waitFor(app, lines.length);
      assert.deepEqual(collected.map((m) => m.msg).sort(), [...lines].sort(), 'each line once');
      for (const message of collected) {
        const rating = new Map(parseCef(message.msg).extension).get('cfp1');
        assert.equal(message.severity, expectedSeverity(rating === undefined ? undefined : Number(rating)));
      }

      // Nothing new: nothing sent. Then one edit: exactly that indicator, once.
      const second = await sync(['--state', state, ...target]);
      assert.equal(second.code, 0, second.stderr);
      const host = `sync-${transport}.example.com`;
      const ro = new RequestObject()
        .setHttpMethod('POST')
        .setRequestUri('/v2/indicators/hosts')
        .setOwner(COMMUNITY)
        .setBody(JSON.stringify({ hostName: host, rating: 5 }))
        .setContentType('application/json');
      await tc.apiRequest(ro, { throwOnError: true });
      const third = await sync(['--state', state, ...target]);
      assert.equal(third.code, 0, third.stderr);
      const after = await collector.waitFor(app, lines.length + 1);
      assert.equal(after.length, lines.length + 1, 'the second run sent nothing, the third one message');
      const added = after.filter((m) => m.msg.includes(host));
      assert.equal(added.length, 1);
      assert.equal(added[0]?.severity, 2);
    });
  }

  it('exits 1 and leaves the state as it was when the collector refuses the client certificate', async () => {
    const state = folder.file('rogue.state');
    const result = await sync([
      '--state',
      state,
      '--syslog',
      collector.urls.tls,
      '--syslog-app-name',
      'sync-rogue',
      ...cliTlsFlags(collector, 'rogue'),
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /certificate/);
    // No run was committed: no state at all, or one without a committed run.
    if (existsSync(state)) {
      const saved = JSON.parse(readFileSync(state, 'utf8')) as { committed?: { seq?: number } };
      assert.equal(saved.committed?.seq ?? 0, 0);
    }
  });
});
