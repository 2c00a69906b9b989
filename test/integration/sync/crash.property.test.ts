/**
 * Sync under crashes (issue 12, section 3): random writes between runs (creates, edits, tag changes,
 * deletes through the API) and runs stopped at random points; after a final clean run, the union of
 * every output file holds exactly the (id, lastModified) changes of the committed runs, none twice,
 * and exactly the deletions made after the first committed run, none twice.
 *
 * Most schedules run the engine in this process and stop it with a SimulatedCrash at one of its
 * crash points: the engine then runs no clean-up at all (no temporary file removed, no lock released,
 * no state written), so the disk holds what a SIGKILL at that point leaves, and the next run depends
 * on nothing else (docs/sync.md, "Testing crashes"). A few schedules run the real CLI as a child
 * process and SIGKILL it: at a named point (TC_SYNC_TEST_KILL_AT) or once the sandbox has answered a
 * random number of its requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { CRASH_POINTS, type CrashPoint } from '../../../src/sync/engine.js';
import { clientFor } from '../../helpers/client.js';
import { requestLog, withSandbox } from '../../helpers/sandbox.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cliArgv, root } from '../cli/support.js';
import { sandboxEnv } from '../cli/in-process.js';
import { type Crash, SyncWorld } from './support.js';

const IN_PROCESS_RUNS = 50;
const CHILD_RUNS = 5;

type Write =
  | { op: 'create'; kind: 'host' | 'address'; rating: number }
  | { op: 'edit'; pick: number; rating: number }
  | { op: 'tag'; pick: number; tag: string }
  | { op: 'delete'; pick: number };

const write: fc.Arbitrary<Write> = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    kind: fc.constantFrom('host' as const, 'address' as const),
    rating: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({ op: fc.constant('edit' as const), pick: fc.nat(), rating: fc.integer({ min: 0, max: 5 }) }),
  fc.record({
    op: fc.constant('tag' as const),
    pick: fc.nat(),
    tag: fc.constantFrom('APT', 'Sync', 'Other'),
  }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
);

const crash: fc.Arbitrary<Crash | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        point: fc.constantFrom(...CRASH_POINTS.filter((p) => p !== 'after-progress')),
        lines: fc.integer({ min: 1, max: 6 }),
      },
      { requiredKeys: ['point'] },
    ),
  },
);

const schedule = fc.record({
  format: fc.constantFrom('jsonl' as const, 'csv' as const),
  overlap: fc.constantFrom(0, 1, 300),
  deletions: fc.boolean(),
  consume: fc.boolean(),
  steps: fc.array(fc.record({ writes: fc.array(write, { maxLength: 5 }), crash }), {
    minLength: 1,
    maxLength: 5,
  }),
});

async function apply(world: SyncWorld, w: Write): Promise<void> {
  const values = [...world.known.keys()];
  const pick = (n: number): string | undefined =>
    values.length === 0 ? undefined : values[n % values.length];
  switch (w.op) {
    case 'create':
      await world.create(w.kind, w.rating);
      return;
    case 'edit': {
      const v = pick(w.pick);
      if (v !== undefined) await world.edit(v, w.rating);
      return;
    }
    case 'tag': {
      const v = pick(w.pick);
      if (v !== undefined) await world.tag(v, w.tag);
      return;
    }
    case 'delete': {
      const v = pick(w.pick);
      if (v !== undefined) await world.remove(v);
    }
  }
}

type Schedule = typeof schedule extends fc.Arbitrary<infer S> ? S : never;

/** The crash points a test hook can stop an in-process run at (a stream sink's progress is not one here). */
const FILE_CRASH_POINTS = CRASH_POINTS.filter((p) => p !== 'after-progress');

/**
 * One schedule per crash point, run before the random ones: a first run with changes to write, stopped
 * at that point. A run with output reaches every point, so these crash whatever the random schedules
 * draw, and the assertions below on crashes and points cannot hinge on chance.
 */
const everyPoint: Schedule[] = FILE_CRASH_POINTS.map((point, i) => ({
  format: i % 2 === 0 ? 'jsonl' : 'csv',
  overlap: 0,
  deletions: i % 3 === 0,
  consume: false,
  steps: [
    {
      writes: [
        { op: 'create', kind: 'host', rating: 1 },
        { op: 'create', kind: 'address', rating: 2 },
      ],
      crash: point === 'mid-output' ? { point, lines: 1 } : { point },
    },
    { writes: [{ op: 'edit', pick: 0, rating: 3 }], crash: undefined },
  ],
}));

describe('sync under crashes', () => {
  let counter = 0;

  it(`${IN_PROCESS_RUNS} random schedules, in-process runs stopped at the engine's crash points`, async () => {
    let crashes = 0;
    const points = new Set<CrashPoint>();
    await fc.assert(
      fc.asyncProperty(schedule, async (s) => {
        counter += 1;
        const sandbox = await withSandbox();
        const tc = clientFor(sandbox);
        const world = new SyncWorld(sandbox, tc, {
          format: s.format,
          overlap: s.overlap,
          deletions: s.deletions,
          tag: `p${counter}`,
        });
        try {
          for (const step of s.steps) {
            for (const w of step.writes) await apply(world, w);
            await world.attempt(async () => {
              const outcome = await world.runEngine(step.crash);
              if (outcome === 'crashed') {
                crashes += 1;
                if (step.crash !== undefined) points.add(step.crash.point);
              }
            }, s.consume);
          }
          await world.attempt(() => world.runEngine(), s.consume);
          world.check();
        } finally {
          world.dispose();
          await tc.close();
          await sandbox.close();
        }
      }),
      { numRuns: IN_PROCESS_RUNS, examples: everyPoint.map((s) => [s] as [Schedule]) },
    );
    // Not vacuous: the schedules above crash at every point (the random ones may add more; a crash
    // point a run never reaches does not fire, so how many they add is left to chance).
    assert.ok(crashes >= everyPoint.length, `${crashes} crashes`);
    assert.deepEqual([...points].sort(), [...FILE_CRASH_POINTS].sort());
  });

  describe('child processes killed with SIGKILL', () => {
    let sandbox: Sandbox;
    let tc: ThreatConnect;
    before(async () => {
      sandbox = await withSandbox();
      tc = clientFor(sandbox);
    });
    after(async () => {
      await tc.close();
      await sandbox.close();
    });

    /** The CLI, killed at a named point, or by this process once the sandbox answered `afterRequests` of its calls. */
    async function runChild(world: SyncWorld, kill: { at?: string; afterRequests?: number }): Promise<void> {
      const args = [
        ...cliArgv,
        'sync',
        '--state',
        world.statePath,
        '--format',
        world.options.format,
        '--output',
        world.output,
        '--overlap',
        String(world.options.overlap),
        ...(world.options.deletions ? ['--deletions'] : []),
      ];
      const env = {
        ...process.env,
        ...sandboxEnv(sandbox),
        ...(kill.at === undefined ? {} : { TC_SYNC_TEST_KILL_AT: kill.at }),
      };
      const base = (await requestLog(sandbox)).length;
      const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
      if (kill.afterRequests !== undefined) {
        const limit = kill.afterRequests;
        while (child.exitCode === null && child.signalCode === null) {
          if ((await requestLog(sandbox)).length - base >= limit) {
            child.kill('SIGKILL');
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      const [code, signal] = await closed;
      if (kill.at === undefined && kill.afterRequests === undefined) {
        assert.equal(code, 0, output);
        assert.equal(output, '', 'quiet on success');
      } else assert.ok(code === 0 || signal === 'SIGKILL', `${String(code)} ${String(signal)}: ${output}`);
    }

    it(`${CHILD_RUNS} schedules of CLI runs killed at named points and after random numbers of requests`, async () => {
      const kills = fc.oneof(
        fc.record({
          at: fc.constantFrom(
            'mid-output:2',
            'before-journal',
            'after-journal',
            'after-output-commit',
            'after-state',
          ),
        }),
        fc.record({ afterRequests: fc.integer({ min: 1, max: 4 }) }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            format: fc.constantFrom('jsonl' as const, 'csv' as const),
            deletions: fc.boolean(),
            steps: fc.array(
              fc.record({ writes: fc.array(write, { minLength: 1, maxLength: 4 }), kill: kills }),
              { minLength: 1, maxLength: 1 },
            ),
          }),
          async (s) => {
            counter += 1;
            // Each schedule has its own owner's worth of values but shares the sandbox: it uses a
            // sandbox of its own only in-process; here the default org is shared, so the oracle's
            // snapshot covers the other schedules' values too, which is still exact.
            const world = new SyncWorld(sandbox, tc, {
              format: s.format,
              overlap: 300,
              deletions: s.deletions,
              tag: `c${counter}`,
            });
            try {
              for (const step of s.steps) {
                for (const w of step.writes) await apply(world, w);
                await world.attempt(() => runChild(world, step.kill), true);
              }
              await world.attempt(() => runChild(world, {}), true);
              world.check();
            } finally {
              world.dispose();
            }
          },
        ),
        { numRuns: CHILD_RUNS },
      );
    });
  });
});
