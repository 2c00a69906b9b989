/**
 * `threatconnect groups <type>` against a sandbox, in-process: the plural types and `all`, the group
 * view, every filter flag reaching its URI, `--pf-name`/`--pf-date-added`/`--pf-file-type` (and
 * `--pf-type` on `all`), and the usage errors for a type or filter the listing lacks.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { withSandbox } from '../../helpers/sandbox.js';
import { requestLog, resetSandbox } from '../client/support.js';
import { jsonLines, runInProcess, sandboxEnv } from './in-process.js';

const COMMUNITY = 'Example Community';

function norm(target: string): string {
  const [path = '', query = ''] = target.replace(/^\/api/, '').split('?');
  const params = query
    .split('&')
    .filter((p) => p !== '' && !p.startsWith('createActivityLog='))
    .sort();
  return params.length === 0 ? path : `${path}?${params.join('&')}`;
}

describe('threatconnect groups', () => {
  let sandbox: Sandbox;
  let env: Record<string, string>;
  const run = (args: string[]) => runInProcess(['groups', ...args], { env });
  const targets = async (): Promise<string[]> => (await requestLog(sandbox)).map((e) => norm(e.target));

  before(async () => {
    sandbox = await withSandbox({ seedIndicators: 50 });
    env = sandboxEnv(sandbox);
  });
  after(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    await resetSandbox(sandbox);
  });

  it('lists one type as JSON lines: the plain view of each group', async () => {
    const result = await run(['adversaries', '--owner', COMMUNITY, '--pf-name', 'Bad Guy']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = jsonLines(result.stdout);
    assert.deepEqual(
      lines.map((l) => [l.id, l.name, l.type, l.ownerName]),
      [
        [700, 'Bad Guy', 'Adversary', COMMUNITY],
        [702, 'Bad Guy', 'Adversary', COMMUNITY],
      ],
    );
    for (const line of lines) {
      assert.deepEqual(Object.keys(line).slice(0, 6), [
        'id',
        'type',
        'name',
        'ownerName',
        'dateAdded',
        'webLink',
      ]);
    }
    assert.deepEqual(await targets(), [
      norm('/v2/groups/adversaries?owner=Example+Community&resultLimit=200&resultStart=0'),
    ]);
    const json = await run(['adversaries', '--owner', COMMUNITY, '--pf-name', 'Bad Guy', '--format', 'json']);
    assert.deepEqual(JSON.parse(json.stdout), lines);
  });

  it('every plural type lists its own groups; all lists every type', async () => {
    const types: [string, string][] = [
      ['adversaries', 'Adversary'],
      ['campaigns', 'Campaign'],
      ['documents', 'Document'],
      ['emails', 'Email'],
      ['incidents', 'Incident'],
      ['signatures', 'Signature'],
      ['threats', 'Threat'],
    ];
    const seen = new Set<unknown>();
    for (const [plural, type] of types) {
      const result = await run([plural, '--owner', COMMUNITY]);
      assert.equal(result.code, 0, `${plural}: ${result.stderr}`);
      const lines = jsonLines(result.stdout);
      assert.ok(lines.length > 0, plural);
      for (const line of lines) {
        assert.equal(line.type, type, plural);
        seen.add(line.id);
      }
    }
    const all = await run(['all', '--owner', COMMUNITY]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(new Set(jsonLines(all.stdout).map((l) => l.id)), seen);
  });

  it('every filter flag reaches its URI, with the owner where the API takes one', async () => {
    const result = await run([
      'adversaries',
      '--owner',
      COMMUNITY,
      '--id',
      '5',
      '--tag',
      'APT',
      '--security-label',
      'TLP Red',
      '--indicator',
      '10.20.30.40',
      '--adversary-id',
      '700',
      '--campaign-id',
      '11',
      '--document-id',
      '19',
      '--email-id',
      '12',
      '--incident-id',
      '13',
      '--signature-id',
      '14',
      '--threat-id',
      '38',
      '--victim-id',
      '10',
      '--task-id',
      '15',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const page = 'resultLimit=200&resultStart=0';
    const owner = 'owner=Example+Community';
    const expected = [
      `/v2/groups/adversaries/5?${owner}`,
      `/v2/tags/APT/groups/adversaries?${owner}&${page}`,
      `/v2/securityLabels/TLP%20Red/groups/adversaries?${owner}&${page}`,
      `/v2/indicators/addresses/10.20.30.40/groups/adversaries?${owner}&${page}`,
      `/v2/groups/adversaries/700/groups/adversaries?${page}`,
      `/v2/groups/campaigns/11/groups/adversaries?${page}`,
      `/v2/groups/documents/19/groups/adversaries?${page}`,
      `/v2/groups/emails/12/groups/adversaries?${page}`,
      `/v2/groups/incidents/13/groups/adversaries?${page}`,
      `/v2/groups/signatures/14/groups/adversaries?${page}`,
      `/v2/groups/threats/38/groups/adversaries?${page}`,
      `/v2/victims/10/groups/adversaries?${page}`,
      `/v2/tasks/15/groups/adversaries?${owner}&${page}`,
    ].map(norm);
    assert.deepEqual((await targets()).sort(), expected.sort());
  });

  it('--pf-date-added and --pf-file-type filter a type; --pf-type filters all', async () => {
    const signatures = jsonLines((await run(['signatures', '--owner', COMMUNITY])).stdout);
    const yara = await run(['signatures', '--owner', COMMUNITY, '--pf-file-type', 'YARA']);
    assert.equal(yara.code, 0, yara.stderr);
    const want = signatures.filter((s) => s.fileType === 'YARA').map((s) => s.id);
    assert.ok(want.length > 0 && want.length < signatures.length, `${want.length} of ${signatures.length}`);
    assert.deepEqual(
      jsonLines(yara.stdout).map((s) => s.id),
      want,
    );
    const since = '2020-01-01T00:00:00Z';
    const recent = await run(['signatures', '--owner', COMMUNITY, '--pf-date-added', `>=${since}`]);
    assert.deepEqual(
      jsonLines(recent.stdout).map((s) => s.id),
      signatures.filter((s) => Date.parse(String(s.dateAdded)) >= Date.parse(since)).map((s) => s.id),
    );
    const threats = await run(['all', '--owner', COMMUNITY, '--pf-type', 'Threat']);
    const ids = jsonLines(threats.stdout).map((l) => l.id);
    assert.ok(ids.includes(38));
    for (const line of jsonLines(threats.stdout)) assert.equal(line.type, 'Threat');
    // A built-in group type name in any case is the API's name.
    const lower = await run(['all', '--owner', COMMUNITY, '--pf-type', 'threat']);
    assert.deepEqual(
      jsonLines(lower.stdout).map((l) => l.id),
      ids,
    );
    const notBad = await run(['adversaries', '--owner', COMMUNITY, '--pf-name', '!=Bad Guy']);
    const names = jsonLines(notBad.stdout).map((l) => l.name);
    assert.ok(names.length > 0 && !names.includes('Bad Guy'));
  });

  it('a type, filter or format the listing lacks is an error naming it', async () => {
    const usage: [string[], string][] = [
      [['all', '--id', '5'], 'error: --id cannot be used with groups all (its filters: '],
      [
        ['all', '--pf-file-type', 'YARA'],
        'error: --pf-file-type cannot be used with groups all (its filters: ',
      ],
      [['adversaries', '--pf-type', 'Adversary'], 'error: --pf-type cannot be used with groups adversaries'],
      [
        ['people'],
        "error: command-argument value 'people' is invalid for argument 'type'. Allowed choices are",
      ],
      [[], "error: missing required argument 'type'"],
      [['threats', '--pf-rating', '3'], "error: unknown option '--pf-rating'"],
    ];
    for (const [args, message] of usage) {
      const result = await run(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stderr.startsWith(message), `${args.join(' ')}:\n${result.stderr}`);
    }
    const cef = await run(['threats', '--format', 'cef']);
    assert.deepEqual(
      { code: cef.code, stderr: cef.stderr },
      {
        code: 2,
        stderr:
          'error: format cef does not apply to groups\n(threatconnect groups --help lists the options)\n',
      },
    );
    assert.deepEqual(await requestLog(sandbox), []);
  });
});
