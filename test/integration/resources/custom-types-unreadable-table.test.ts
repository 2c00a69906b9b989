/**
 * A listing that holds an item of a type the SDK does not model waits for `/v2/types/indicatorTypes`.
 * When the server refuses that table (a 500, which is not retried, or a 403 for a user who may not
 * read it), the listing is still read whole, the custom items as generic indicators (decisions.md 1.7:
 * "never dropped and never a crash"; before, the whole retrieval threw and every indicator was lost).
 * One warning a failed read; the failure stands for a minute of the client's clock, then the table is
 * asked for again. A lost connection is not a refusal: it still fails the retrieval, and the lookup
 * the user asks for (`tc.types().indicatorTypes()`) still throws the server's error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ApiError,
  ConnectionError,
  type Indicator,
  RetryExhaustedError,
  type ThreatConnect,
} from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { clientFor } from '../../helpers/client.js';
import { clearFaults, requestLog, resetSandbox, setRules, withSandbox } from '../../helpers/sandbox.js';

const TYPES = '/v2/types/indicatorTypes';

describe('a listing with a custom type when the type table cannot be read', () => {
  let sandbox: Sandbox;
  let dir: string;
  before(async () => {
    sandbox = await withSandbox();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tc-types-'));
    // Two more ASN indicators beside the sample one: several custom items in one listing.
    const tc = clientFor(sandbox);
    const asn = await tc.types().indicatorType('asn');
    for (const value of ['ASN65101', 'ASN65102'])
      await tc.indicators().add(value, sandbox.defaultOrg, asn).commit();
    await tc.close();
  });
  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => resetSandbox(sandbox));

  /**
   * A client whose clock runs `offset` ms ahead of real time (the test moves it; the sandbox takes
   * signatures up to 300 s off), logging warnings to a file of its own.
   */
  function client(name: string): { tc: ThreatConnect; log: () => string[]; advance: (ms: number) => void } {
    let offset = 0;
    const logFile = path.join(dir, `${name}.log`);
    const tc = clientFor(sandbox, {
      apiRetries: 1,
      logFile,
      logFileLevel: 'warning',
      clock: { now: () => Date.now() + offset },
    });
    return {
      tc,
      log: () =>
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((line) => line.includes('Could not read the indicator types')),
      advance: (ms) => {
        offset += ms;
      },
    };
  }

  const typeReads = async (): Promise<number> =>
    (await requestLog(sandbox)).filter((r) => r.target.split('?')[0]?.endsWith(TYPES)).length;

  for (const status of [500, 403]) {
    it(`a ${status} on the table: every indicator is read, the custom ones generic, one warning`, async () => {
      const { tc, log } = client(`status-${status}`);
      try {
        await setRules(sandbox, { kind: 'status', status, pathPrefix: '/v2/types' });
        const indicators = tc.indicators();
        await indicators.retrieve();
        const all: Indicator[] = [...indicators];
        assert.ok(
          all.some((i) => i.type === 'Address'),
          'built-in types are kept',
        );
        const asn = all.filter((i) => i.type === 'ASN');
        assert.ok(asn.length >= 3, `several ASN items, each kept (${asn.length})`);
        for (const i of asn) {
          assert.equal(i.kind, undefined, 'read as a generic indicator');
          assert.match(i.summary, /^ASN\d+$/);
        }
        assert.equal(await typeReads(), 1, 'one read of the table for the whole listing');
        const warnings = log();
        assert.equal(warnings.length, 1, warnings.join('\n'));
        assert.match(warnings[0] ?? '', new RegExp(`GET ${TYPES}: .*${status}|GET ${TYPES}: `));
      } finally {
        await tc.close();
      }
    });
  }

  it('the failure stands for a minute of the client clock, then the table is read again', async () => {
    const { tc, log } = client('stands');
    try {
      await setRules(sandbox, { kind: 'status', status: 500, pathPrefix: '/v2/types' });
      const first = tc.indicators();
      await first.retrieve();
      const second = tc.indicators();
      await second.retrieve();
      assert.equal(await typeReads(), 1, 'within the minute the failure stands: no new read');
      assert.equal(log().length, 1);
    } finally {
      await tc.close();
    }
  });

  it('after the minute, a readable table gives the custom items their type again', async () => {
    const { tc, log, advance } = client('after');
    try {
      await setRules(sandbox, { kind: 'status', status: 500, pathPrefix: '/v2/types' });
      await tc.indicators().retrieve();
      await clearFaults(sandbox);
      advance(59_000);
      const still = tc.indicators();
      await still.retrieve();
      assert.ok([...still].filter((i) => i.type === 'ASN').every((i) => i.kind === undefined));
      assert.equal(await typeReads(), 1);
      advance(1_000);
      const again = tc.indicators();
      await again.retrieve();
      const asn = [...again].filter((i) => i.type === 'ASN');
      assert.ok(asn.length > 0);
      for (const i of asn) assert.equal(i.kind?.type, 'ASN');
      assert.equal(await typeReads(), 2);
      assert.equal(log().length, 1, 'a read that succeeds logs nothing');
    } finally {
      await tc.close();
    }
  });

  it('the lookup the user asks for still throws the refusal', async () => {
    const { tc } = client('lookup');
    try {
      await setRules(sandbox, { kind: 'status', status: 403, pathPrefix: '/v2/types' });
      await assert.rejects(tc.types().indicatorTypes(), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 403);
        return true;
      });
    } finally {
      await tc.close();
    }
  });

  it('a lost connection on the table is not a refusal: the retrieval fails', async () => {
    const { tc, log } = client('reset');
    try {
      await setRules(sandbox, { kind: 'reset', pathPrefix: '/v2/types' });
      const indicators = tc.indicators();
      await assert.rejects(indicators.retrieve(), (error: unknown) => {
        assert.ok(error instanceof RetryExhaustedError, String(error));
        assert.ok(error.cause instanceof ConnectionError);
        return true;
      });
      assert.equal(indicators.length, 0, 'a failed retrieval adds nothing');
      assert.equal(log().length, 0);
    } finally {
      await tc.close();
    }
  });
});
