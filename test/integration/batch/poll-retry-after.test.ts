/**
 * `tc.batch()` polling a job whose server sends `Retry-After` on its poll answers, in both forms RFC
 * 9110 allows (decisions.md 1.6: "seconds or an HTTP date"): the next wait is the one the server asked
 * for, on the client's clock; a value that is neither is ignored and the backoff applies. Served by a
 * plain local server (the sandbox sends no Retry-After on a 200 poll).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ThreatConnect } from '../../../src/index.js';
import { recordingClock } from '../../helpers/clock.js';
import { clientFor } from '../../helpers/client.js';

const NOW = Date.UTC(2024, 0, 2, 3, 4, 5);

describe('tc.batch: Retry-After on poll answers', () => {
  /** The Retry-After of each Running answer, in turn; the poll after the last one completes. */
  let hints: string[] = [];
  let polls = 0;
  let server: http.Server;
  let port = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      req.resume();
      req.on('end', () => {
        const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
          res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'POST' && path === '/api/v2/batch') {
          send(201, { status: 'Success', data: { batchId: 7 } });
          return;
        }
        if (req.method === 'POST' && path === '/api/v2/batch/7') {
          send(202, { status: 'Success', data: { batchStatus: { status: 'Queued', id: 7 } } });
          return;
        }
        if (req.method === 'GET' && path === '/api/v2/batch/7') {
          const hint = hints[polls];
          polls += 1;
          if (hint !== undefined) {
            send(200, { status: 'Running' }, { 'Retry-After': hint });
            return;
          }
          const done = { id: 7, status: 'Completed', successCount: 1, errorCount: 0, unprocessCount: 0 };
          send(200, { status: 'Success', data: { batchStatus: done } });
          return;
        }
        send(404, { status: 'Failure', message: 'The requested resource was not found' });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.close();
  });

  async function run(given: string[]): Promise<number[]> {
    hints = given;
    polls = 0;
    const clock = recordingClock({ fixedNow: NOW });
    const tc: ThreatConnect = clientFor(
      {
        baseUrl: `http://127.0.0.1:${port}/api`,
        accessId: 'id',
        secretKey: 'secret',
        defaultOrg: 'Example Org',
      } as Parameters<typeof clientFor>[0],
      { clock },
    );
    try {
      const result = await tc.batch('Example Org', [{ type: 'Host', summary: 'a.example.com' }]);
      assert.equal(result.succeeded, 1);
    } finally {
      await tc.close();
    }
    assert.equal(polls, given.length + 1);
    return clock.sleeps;
  }

  it('waits until an HTTP-date Retry-After', async () => {
    const at = (ms: number): string => new Date(NOW + ms).toUTCString();
    assert.deepEqual(await run([at(30_000), at(2_000)]), [30_000, 2_000]);
  });

  it('waits a delay-seconds Retry-After, and ignores one that is neither form', async () => {
    assert.deepEqual(await run(['7', '0x10', '1.5']), [7_000, 150, 225]);
  });
});
