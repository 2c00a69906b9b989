/**
 * A world for sync tests: a sandbox, a client that writes to it, a folder with the state and the
 * output files, and an oracle. Runs go through the engine in-process (crashes simulated by
 * `SimulatedCrash` at the engine's crash points) or through the real CLI as a child process (killed
 * with SIGKILL). Either way, what the next run sees is only what reached the disk.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSyncEncoder } from '../../../src/cli/sync-encoder.js';
import { RequestObject, type ThreatConnect } from '../../../src/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import type { SyncFormat } from '../../../src/sync/delete-events.js';
import { type CrashPoint, runSync, type SyncResult } from '../../../src/sync/engine.js';
import { SimulatedCrash } from '../../../src/sync/errors.js';
import { openFileSink } from '../../../src/sync/file-sink.js';
import { clientSource } from '../../../src/sync/source.js';

/** Above Linux's PID_MAX_LIMIT (2^22): never a live process, so a lock left under it is stale. */
export const DEAD_PID = 4_194_304 + 17;

export const OWNER = 'Example Org';

export interface Crash {
  point: CrashPoint;
  /** For mid-output and after-progress: at this many lines. */
  lines?: number;
}

/** A change as the oracle knows it: `id@lastModified`. */
export const changeKey = (id: number, lastModified: string): string => `${id}@${lastModified}`;
/** A deletion as the API lists it. */
export const deletionKey = (d: {
  ownerName: string;
  type: string;
  summary: string;
  dateAdded: string;
}): string => [d.ownerName, d.type, d.summary, d.dateAdded].join('|');

interface Known {
  id: number;
  type: 'Host' | 'Address';
  branch: 'hosts' | 'addresses';
  summary: string;
  dateAdded: string;
}

/** What a test folder's output files hold. */
export interface Delivered {
  changes: string[];
  deletions: string[];
}

/** Splits a CSV record (RFC 4180 quoting) into fields. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

export class SyncWorld {
  readonly folder: string;
  readonly statePath: string;
  readonly output: string;
  /** Values created so far, by value. */
  readonly known = new Map<string, Known>();
  /** Deletions made, with whether a run had committed before (`afterFirst`). */
  readonly deletionsMade: { key: string; afterFirst: boolean }[] = [];
  /** Changes every committed run's snapshot held. */
  readonly expected = new Set<string>();
  committedRuns = 0;
  #created = 0;

  constructor(
    readonly sandbox: Sandbox,
    readonly tc: ThreatConnect,
    readonly options: { format: SyncFormat; overlap: number; deletions: boolean; tag: string },
  ) {
    this.folder = mkdtempSync(path.join(tmpdir(), 'tc-sync-'));
    this.statePath = path.join(this.folder, 'sync.state');
    this.output = path.join(this.folder, `ti.${options.format}`);
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }

  async #call(method: string, uri: string, body?: unknown): Promise<Record<string, unknown>> {
    const ro = new RequestObject()
      .setHttpMethod(method)
      .setRequestUri(uri)
      .setOwner(OWNER)
      .setResourcePagination(false);
    if (body !== undefined) ro.setBody(JSON.stringify(body)).setContentType('application/json');
    const r = await this.tc.apiRequest(ro, { throwOnError: true });
    return r.json<Record<string, unknown>>();
  }

  async create(kind: 'host' | 'address', rating: number): Promise<void> {
    this.#created += 1;
    const n = this.#created;
    const [branch, type, summary, body] =
      kind === 'host'
        ? ([
            'hosts',
            'Host',
            `h${n}-${this.options.tag}.example.com`,
            { hostName: `h${n}-${this.options.tag}.example.com` },
          ] as const)
        : ([
            'addresses',
            'Address',
            `10.${(n >> 8) & 255}.${n & 255}.${(this.options.tag.length * 7) % 250}`,
            {},
          ] as const);
    const payload = kind === 'host' ? { ...body, rating } : { ip: summary, rating };
    const data = (await this.#call('POST', `/v2/indicators/${branch}`, payload)).data as Record<
      string,
      Record<string, unknown>
    >;
    const item = data[kind === 'host' ? 'host' : 'address'] as { id: number; dateAdded: string };
    this.known.set(summary, { id: item.id, type, branch, summary, dateAdded: item.dateAdded });
  }

  async edit(summary: string, rating: number): Promise<void> {
    const k = this.known.get(summary);
    if (k === undefined) return;
    await this.#call('PUT', `/v2/indicators/${k.branch}/${encodeURIComponent(summary)}`, { rating });
  }

  async tag(summary: string, tag: string): Promise<void> {
    const k = this.known.get(summary);
    if (k === undefined) return;
    await this.#call(
      'POST',
      `/v2/indicators/${k.branch}/${encodeURIComponent(summary)}/tags/${encodeURIComponent(tag)}`,
    );
  }

  async remove(summary: string): Promise<void> {
    const k = this.known.get(summary);
    if (k === undefined) return;
    await this.#call('DELETE', `/v2/indicators/${k.branch}/${encodeURIComponent(summary)}`);
    this.known.delete(summary);
    this.deletionsMade.push({
      key: deletionKey({ ownerName: OWNER, type: k.type, summary: k.summary, dateAdded: k.dateAdded }),
      afterFirst: this.committedRuns > 0,
    });
  }

  /** Every (id, lastModified) the sync's selection shows now. */
  async snapshot(): Promise<string[]> {
    const out: string[] = [];
    for await (const i of this.tc.indicators().stream()) {
      out.push(changeKey(i.id, i.lastModified ?? ''));
    }
    return out;
  }

  /** The state's committed run count, a pending output whose temporary file is gone counting as committed. */
  committedSeq(): number {
    if (!existsSync(this.statePath)) return 0;
    const state = JSON.parse(readFileSync(this.statePath, 'utf8')) as {
      seq: number;
      pending: { temp: string; next: { seq: number } } | null;
    };
    if (state.pending !== null && !existsSync(state.pending.temp)) return state.pending.next.seq;
    return state.seq;
  }

  /**
   * One attempt: the snapshot before it, the run (which may crash), then whether it committed: if it
   * did, the snapshot is what it must have delivered (now or earlier).
   */
  async attempt(run: () => Promise<unknown>, consume = false): Promise<void> {
    const before = this.committedSeq();
    const snapshot = await this.snapshot();
    await run();
    this.collect(consume);
    if (this.committedSeq() > before) {
      this.committedRuns += 1;
      for (const key of snapshot) this.expected.add(key);
    }
  }

  /** A run of the engine in this process; a crash stops it where a SIGKILL would. */
  async runEngine(crash?: Crash): Promise<SyncResult | 'crashed'> {
    const tc = this.tc;
    const container = tc.indicators();
    const source = clientSource(tc, {
      changes: (modifiedSince, signal) => {
        if (modifiedSince !== undefined) container.setModifiedSince(modifiedSince);
        return container.stream({ signal });
      },
      owners: [],
    });
    try {
      return await runSync({
        statePath: this.statePath,
        selection: `test ${this.options.format} ${String(this.options.deletions)}`,
        overlapSeconds: this.options.overlap,
        deletions: this.options.deletions,
        dryRun: false,
        source,
        encoder: createSyncEncoder(this.options.format, {
          deletions: this.options.deletions,
          compat: undefined,
        }),
        openSink: (seq) => openFileSink(this.output, seq),
        lockPid: DEAD_PID,
        crash: (point, lines) => {
          if (crash === undefined || point !== crash.point) return;
          if (crash.lines !== undefined && lines < crash.lines) return;
          throw new SimulatedCrash(point);
        },
      });
    } catch (error) {
      if (error instanceof SimulatedCrash) return 'crashed';
      throw error;
    }
  }

  /** Every published run file seen, with its content (a consumer that picked it up). */
  readonly published = new Map<string, string>();

  /**
   * Picks up the published run files, as a SIEM's file collector would, after each attempt: a file
   * seen before must not have changed (a published file is never replaced). With `consume`, the
   * files are then removed, as a collector that moves files away does.
   */
  collect(consume: boolean): void {
    const ext = path.extname(this.output);
    const stem = path.basename(this.output, ext);
    const files = readdirSync(this.folder).filter(
      (f) => f.startsWith(`${stem}.`) && f.endsWith(ext) && /\.\d{6}\./.test(f),
    );
    for (const file of files) {
      const full = path.join(this.folder, file);
      const text = readFileSync(full, 'utf8');
      const seen = this.published.get(file);
      if (seen !== undefined) assert.equal(text, seen, `the published ${file} was replaced`);
      this.published.set(file, text);
      if (consume) rmSync(full);
    }
  }

  /** What the published files held, every line of every run's file. */
  delivered(): Delivered {
    const changes: string[] = [];
    const deletions: string[] = [];
    for (const [, text] of [...this.published].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const lines = text.split(/\r?\n/).filter((l) => l !== '');
      if (this.options.format === 'jsonl') {
        for (const line of lines) {
          const o = JSON.parse(line) as Record<string, unknown>;
          if (o.deleted === true) deletions.push(deletionKey(o as never));
          else changes.push(changeKey(o.id as number, o.lastModified as string));
        }
      } else if (this.options.format === 'csv') {
        const header = csvFields(lines[0] ?? '');
        const col = (name: string): number => header.indexOf(name);
        for (const line of lines.slice(1)) {
          const f = csvFields(line);
          const get = (name: string): string => f[col(name)] ?? '';
          if (get('deleted') === 'true') {
            deletions.push(
              deletionKey({
                ownerName: get('ownerName'),
                type: get('type'),
                summary: get('indicator'),
                dateAdded: get('dateAdded'),
              }),
            );
          } else changes.push(changeKey(Number(get('id')), get('lastModified')));
        }
      } else assert.fail(`the oracle reads jsonl and csv, not ${this.options.format}`);
    }
    return { changes, deletions };
  }

  /** The oracle: every committed change exactly once, every deletion after the first commit exactly once. */
  check(): void {
    const { changes, deletions } = this.delivered();
    const dupes = changes.filter((k, i) => changes.indexOf(k) !== i);
    assert.deepEqual(dupes, [], 'no change delivered twice');
    assert.deepEqual(
      [...changes].sort(),
      [...this.expected].sort(),
      'the changes delivered are exactly the changes',
    );
    if (this.options.deletions) {
      const dupDel = deletions.filter((k, i) => deletions.indexOf(k) !== i);
      assert.deepEqual(dupDel, [], 'no deletion delivered twice');
      const expected = this.deletionsMade.filter((d) => d.afterFirst).map((d) => d.key);
      assert.deepEqual(
        [...deletions].sort(),
        [...expected].sort(),
        'the deletions delivered are exactly those after the first run',
      );
    } else assert.deepEqual(deletions, []);
    // No temporary file or lock is left after the final clean run.
    assert.deepEqual(
      readdirSync(this.folder).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')),
      [],
    );
  }
}
