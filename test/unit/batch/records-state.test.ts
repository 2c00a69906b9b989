/**
 * The local side of `tc.batch()`: the checks a record gets before it is sent (src/batch/records.ts)
 * and the reading of a state file (src/batch/state.ts). A record the SDK cannot write is refused with
 * a reason, never a crash; a value the server takes (decisions.md 2.4: numeric strings, null) is not
 * refused; a state file that is not one is a `ConfigError`, found before anything is sent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareRecord } from '../../../src/batch/records.js';
import { BatchState } from '../../../src/batch/state.js';
import { ConfigError } from '../../../src/index.js';
import { INDICATOR_KIND_BY_TYPE } from '../../../src/resources/kinds.js';

function prepare(record: unknown) {
  return prepareRecord(record, INDICATOR_KIND_BY_TYPE);
}

function reason(record: unknown): string | undefined {
  const prepared = prepare(record);
  return prepared.ok ? undefined : prepared.reason;
}

describe('batch records: local checks', () => {
  it('refuses a record that cannot be written as JSON, with the reason, instead of throwing', () => {
    const cyclic: Record<string, unknown> = { type: 'Host', summary: 'cycle.example.com' };
    cyclic.self = cyclic;
    assert.equal(
      reason({ type: 'Host', summary: 'big.example.com', size: 1n }),
      'the record cannot be written as JSON: Do not know how to serialize a BigInt',
    );
    assert.equal(
      reason(cyclic),
      'the record cannot be written as JSON: Converting circular structure to JSON',
    );
    assert.equal(
      reason({ type: 'Adversary', name: 'A', xid: 'a-1', extra: 2n }),
      'the record cannot be written as JSON: Do not know how to serialize a BigInt',
    );
    assert.equal(
      reason({ type: 'Host', summary: 'gone.example.com', toJSON: () => undefined }),
      'the record does not write as a JSON object',
    );
  });

  it('takes a rating or confidence the server takes: a numeric string, or null', () => {
    for (const record of [
      { type: 'Host', summary: 'a.example.com', rating: '2.0', confidence: '50' },
      { type: 'Host', summary: 'a.example.com', rating: null, confidence: null },
      { type: 'Host', summary: 'a.example.com', rating: 5, confidence: 100 },
    ]) {
      const prepared = prepare(record);
      assert.ok(prepared.ok, JSON.stringify(record));
      assert.deepEqual(JSON.parse(prepared.wire.json), record);
    }
  });

  it('still refuses what no server takes, naming the value', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ rating: 9 }, 'rating must be a number from 0 to 5, got 9'],
      [{ rating: '9' }, 'rating must be a number from 0 to 5, got "9"'],
      [{ rating: 'high' }, 'rating must be a number from 0 to 5, got "high"'],
      [{ rating: '0x2' }, 'rating must be a number from 0 to 5, got "0x2"'],
      [{ rating: true }, 'rating must be a number from 0 to 5, got true'],
      [{ confidence: '50.5' }, 'confidence must be an integer from 0 to 100, got "50.5"'],
      [{ confidence: 101 }, 'confidence must be an integer from 0 to 100, got 101'],
    ];
    for (const [fields, expected] of cases)
      assert.equal(reason({ type: 'Host', summary: 'a.example.com', ...fields }), expected);
  });

  it('names what a record that is not an object is', () => {
    const prefix = 'a batch record must be an object, an Indicator or a Group, got';
    assert.equal(reason(null), `${prefix} null`);
    assert.equal(reason([1]), `${prefix} an array`);
    assert.equal(reason('Host'), `${prefix} a string`);
  });
});

describe('batch state file: reading', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tc-batch-state-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function file(name: string, content: string): string {
    const at = path.join(dir, name);
    writeFileSync(at, content);
    return at;
  }

  it('refuses a file whose document or jobs are not those of a state file with ConfigError', async () => {
    const cases: [string, RegExp][] = [
      ['null', /is not a batch state file \(version 1\)$/],
      ['[1]', /is not a batch state file \(version 1\)$/],
      ['{"version":1,"jobs":[null]}', /is not a batch state file: its job 0 has no fingerprint/],
      [
        '{"version":1,"jobs":[{"fingerprint":"f","batchId":3,"phase":"completed"},{"fingerprint":"g"}]}',
        /is not a batch state file: its job 1 has no fingerprint, batch id and phase$/,
      ],
      ['{"version":1,"jobs":[{"fingerprint":"f","batchId":"3","phase":"created"}]}', /its job 0/],
      ['{"version":1,"jobs":[{"fingerprint":"f","batchId":3,"phase":"sent"}]}', /its job 0/],
    ];
    for (const [content, message] of cases) {
      await assert.rejects(BatchState.load(file('state.json', content)), (error: unknown) => {
        assert.ok(error instanceof ConfigError, `${content}: ${String(error)}`);
        assert.match(error.message, message);
        return true;
      });
    }
  });

  it('reads the jobs of a state file it wrote', async () => {
    const job = { fingerprint: 'f', batchId: 3, phase: 'completed', successCount: 1, errors: [] };
    const state = await BatchState.load(file('good.json', JSON.stringify({ version: 1, jobs: [job] })));
    assert.deepEqual(state.get('f'), job);
  });

  it('refuses a new state file in a folder that does not exist when it is loaded', async () => {
    const missing = path.join(dir, 'no-such-folder', 'state.json');
    await assert.rejects(BatchState.load(missing), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /^batch stateFile ".*state\.json" cannot be written: ENOENT/);
      return true;
    });
    const inFile = path.join(file('plain.txt', ''), 'state.json');
    await assert.rejects(BatchState.load(inFile), ConfigError);
    const fresh = await BatchState.load(path.join(dir, 'fresh.json'));
    assert.equal(fresh.get('anything'), undefined);
  });
});
