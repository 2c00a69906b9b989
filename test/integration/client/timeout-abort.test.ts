/**
 * The per-attempt idle timeout (decisions.md 1.2: connect plus idle, not a total deadline) and
 * cancellation with an AbortSignal, against the sandbox's stall and latency faults and against a server
 * whose body the test writes chunk by chunk.
 *
 * Nothing here asserts how long something took. Where a timer must win, the other side is at least ten
 * times longer (a stall of 1 s against a timeout of 0.1 s), and both timers run in this process, where
 * the one due first fires first however slow the machine is. Where something must happen "in time",
 * the test waits for the event that proves it (the sandbox reading its clock as it authenticates a
 * request, a retry wait starting, a timer as long as the timeout having fired) and asserts the order.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AbortError, RetryExhaustedError, ThreatConnect, TimeoutError } from '../../../src/index.js';
import { createRealClock } from '../../../src/core/clock.js';
import {
  admin,
  rejection,
  recordingClock,
  request,
  requestLog,
  setFaults,
  setRules,
  useSandboxClient,
  waitForLog,
} from './support.js';

/** A timeout the tests expect to fire, and a stall ten times as long that it must beat. */
const TIMEOUT_S = 0.1;
const STALL_MS = 1000;
/** Node timers can end a millisecond or so early against performance.now(): lower bounds allow this. */
const TIMER_SLACK_MS = 5;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timeouts and cancellation against the sandbox', () => {
  /** Resolvers of {@link nextServerClockRead}. */
  let clockWaiters: (() => void)[] = [];
  const fx = useSandboxClient({
    // The sandbox reads its clock when it authenticates a request, that is once the request has
    // arrived and before its handler runs.
    sandbox: {
      clock: () => {
        const waiters = clockWaiters;
        clockWaiters = [];
        for (const resolve of waiters) resolve();
        return Date.now();
      },
    },
    resetEach: true,
  });
  /** Resolves at the sandbox's next clock read: with no admin call in flight, a request has arrived. */
  const nextServerClockRead = () =>
    new Promise<void>((resolve) => {
      clockWaiters.push(resolve);
    });

  /**
   * A client whose pool already holds `sockets` open connections, so that the attempts below reuse
   * them: the timeout then starts with the request on the wire, and cannot become a connect timeout
   * on a slow machine.
   */
  const warmClient = async (sockets: number, options: Parameters<typeof fx.client>[0]) => {
    const tc = fx.client(options);
    const warm = await Promise.all(
      Array.from({ length: sockets }, () => tc.apiRequest(request('GET', '/v2/owners'))),
    );
    for (const response of warm) assert.equal(response.status, 200);
    assert.equal((await admin(fx.sandbox, 'DELETE', 'requests')).status, 200);
    return tc;
  };

  describe('idle timeout', () => {
    it('a POST whose answer stalls past the timeout: TimeoutError (idle), not retried', async () => {
      const clock = recordingClock();
      const tc = await warmClient(1, { apiRetries: 3, clock });
      await setRules(fx.sandbox, { kind: 'stall', ms: STALL_MS });
      tc.setApiRequestTimeout(TIMEOUT_S);
      const error = await rejection(() =>
        tc.apiRequest(
          request('POST', '/v2/groups/incidents', {
            body: { name: 'stalled incident', eventDate: '2024-01-01T00:00:00Z' },
          }),
        ),
      );
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.phase, 'idle');
      assert.equal(error.timeoutMs, 100);
      assert.equal(error.code, 'TC_TIMEOUT');
      assert.equal(error.message, 'No data from the server for 100 ms');
      // Its cause is an Error (it was the transport's private token, a Symbol).
      assert.ok(error.cause instanceof Error, `cause: ${String(error.cause)}`);
      // The sandbox logs the request once its stall is over, and no later than that: an empty log
      // now means the client gave up while the answer was still held.
      assert.deepEqual(await requestLog(fx.sandbox), [], 'gave up before the stall ended');
      assert.deepEqual(clock.sleeps, [], 'no retry wait');
      const log = await waitForLog(fx.sandbox, 1);
      assert.deepEqual(
        log.map((e) => [e.method, e.fault]),
        [['POST', 'stall']],
      );
    });

    it('a GET that stalls on every attempt: RetryExhaustedError whose cause is a TimeoutError', async () => {
      const clock = recordingClock();
      const tc = await warmClient(2, { apiRetries: 1, apiRequestTimeout: TIMEOUT_S, clock });
      await setRules(fx.sandbox, { kind: 'stall', ms: STALL_MS });
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners')));
      assert.ok(error instanceof RetryExhaustedError, String(error));
      assert.equal(error.attempts.length, 2);
      assert.deepEqual(
        error.attempts.map((a) => [a.error?.name, a.error instanceof TimeoutError ? a.error.phase : '']),
        [
          ['TimeoutError', 'idle'],
          ['TimeoutError', 'idle'],
        ],
      );
      assert.ok(error.cause instanceof TimeoutError);
      assert.equal(error.cause.phase, 'idle');
      assert.equal(clock.sleeps.length, 1);
      assert.deepEqual(await requestLog(fx.sandbox), [], 'gave up before the stalls ended');
      assert.deepEqual(
        (await waitForLog(fx.sandbox, 2)).map((e) => [e.method, e.fault]),
        [
          ['GET', 'stall'],
          ['GET', 'stall'],
        ],
      );
    });

    it('latency under the timeout is waited for', async () => {
      // The latency is a deliberate delay: a lower bound on the wait cannot fail by slowness. The
      // timeout is 16 times the latency, so it cannot fire first either.
      await setFaults(fx.sandbox, { latencyMs: 300 });
      const tc = fx.client({ apiRetries: 0, apiRequestTimeout: 5 });
      const started = performance.now();
      const response = await tc.apiRequest(request('GET', '/v2/owners'));
      const elapsed = performance.now() - started;
      assert.equal(response.status, 200);
      assert.equal(response.attempts, 1);
      assert.ok(elapsed >= 300 - TIMER_SLACK_MS, `answered after ${elapsed} ms`);
    });
  });

  describe('AbortSignal', () => {
    it('aborting mid-request: AbortError with the reason as cause, and no retry', async () => {
      await setRules(fx.sandbox, { kind: 'stall', ms: STALL_MS });
      const clock = recordingClock();
      const tc = fx.client({ apiRetries: 3, clock });
      const controller = new AbortController();
      const reason = new Error('the user cancelled');
      const arrived = nextServerClockRead();
      const pending = rejection(() =>
        tc.apiRequest(request('GET', '/v2/owners'), { signal: controller.signal }),
      );
      // The sandbox has the request and holds its answer: abort now, while it is in flight.
      await arrived;
      controller.abort(reason);
      const error = await pending;
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.code, 'TC_ABORT');
      assert.equal(error.message, 'The operation was aborted: the user cancelled');
      assert.equal(error.cause, reason);
      assert.deepEqual(await requestLog(fx.sandbox), [], 'aborted before the stall ended');
      assert.deepEqual(clock.sleeps, []);
      // The sandbox logs the request once its stall is over: one request, never a second.
      assert.deepEqual(
        (await waitForLog(fx.sandbox, 1)).map((e) => e.fault),
        ['stall'],
      );
    });

    it('aborting during a retry wait (the real, timed wait of apiSleep 5 s): AbortError, the wait cut short', async () => {
      await setRules(fx.sandbox, { kind: 'status', status: 503 });
      const controller = new AbortController();
      const real = createRealClock();
      const waits: { ms: number; ended?: 'elapsed' | 'aborted' }[] = [];
      // The real clock's sleep, watched: the abort comes as soon as the first retry wait has begun.
      const tc = fx.client({
        apiRetries: 3,
        apiSleep: 5,
        clock: {
          now: () => real.now(),
          random: () => real.random(),
          sleep: (ms, signal) => {
            if (signal === undefined) return Promise.reject(new Error('the retry wait got no signal'));
            const wait: { ms: number; ended?: 'elapsed' | 'aborted' } = { ms };
            waits.push(wait);
            const sleeping = real.sleep(ms, signal).then(
              () => {
                wait.ended = 'elapsed';
              },
              (error: unknown) => {
                wait.ended = 'aborted';
                throw error;
              },
            );
            controller.abort();
            return sleeping;
          },
        },
      });
      const error = await rejection(() =>
        tc.apiRequest(request('GET', '/v2/owners'), { signal: controller.signal }),
      );
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.message, 'The operation was aborted');
      assert.equal(waits.length, 1);
      assert.ok((waits[0]?.ms ?? 0) >= 2500, `a wait of ${waits[0]?.ms} ms, apiSleep 5 s × [0.5, 1]`);
      assert.equal(waits[0]?.ended, 'aborted', 'the abort ended the wait, not its timer');
      assert.deepEqual(
        (await requestLog(fx.sandbox)).map((e) => e.status),
        [503],
      );
    });

    it('an already-aborted signal: AbortError and no request sent', async () => {
      const tc = fx.client();
      const signal = AbortSignal.abort();
      const error = await rejection(() => tc.apiRequest(request('GET', '/v2/owners'), { signal }));
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.message, 'The operation was aborted');
      const pages = await rejection(async () => {
        for await (const page of tc.apiRequestPages(request('GET', '/v2/owners'), { signal })) {
          assert.fail(`no page expected, got ${page.resultStart}`);
        }
      });
      assert.ok(pages instanceof AbortError, String(pages));
      assert.deepEqual(await requestLog(fx.sandbox), []);
    });
  });
});

/**
 * "Idle, not total" (decisions.md 1.2), proven by the order of events rather than by durations: a local
 * server whose response body the test writes chunk by chunk, and a timer as long as the timeout that
 * marks when the transfer has lasted longer than it.
 */
describe('the idle timeout is not a total deadline (a body the test paces)', () => {
  /** The timeout of these clients: long enough that no pause between two chunks comes near it. */
  const IDLE_MS = 1000;
  let server: http.Server;
  let baseUrl: string;
  let onResponse: (res: http.ServerResponse) => void = () => undefined;
  const clients: ThreatConnect[] = [];
  before(async () => {
    // Answers 200 with the headers at once, and leaves the body to the test.
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.flushHeaders();
      onResponse(res);
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  after(async () => {
    await Promise.all(clients.map((tc) => tc.close()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A streamed download from the server, and the server's side of it. */
  const download = async () => {
    const tc = new ThreatConnect({
      accessId: 'id',
      secretKey: 'key',
      defaultOrg: 'Example Org',
      baseUrl,
      apiRetries: 0,
      apiRequestTimeout: IDLE_MS / 1000,
    });
    clients.push(tc);
    const answered = new Promise<http.ServerResponse>((resolve) => {
      onResponse = resolve;
    });
    const response = await tc.apiRequest(request('GET', '/v2/groups/documents/1/download'), { stream: true });
    assert.equal(response.status, 200);
    return { body: response.body, res: await answered };
  };

  /** Sets a timer of `ms`; `fired()` tells whether it has fired. */
  const timer = (ms: number) => {
    let fired = false;
    const handle = setTimeout(() => {
      fired = true;
    }, ms);
    return {
      fired: () => fired,
      clear: () => {
        clearTimeout(handle);
      },
    };
  };

  it('a body that keeps flowing outlasts twice the timeout, byte-exact', async () => {
    const { body, res } = await download();
    const reader = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    // The client armed its timer when the headers came, before this one: a total deadline of the
    // timeout, or of twice it, would fire while the loop below still runs.
    const twice = timer(2 * IDLE_MS);
    const sent: Buffer[] = [];
    const received: Buffer[] = [];
    let sentBytes = 0;
    let receivedBytes = 0;
    try {
      // One small chunk at a time: the next goes out once the client has read the previous one and a
      // short pause has passed, until the transfer has lasted twice the timeout.
      while (!twice.fired()) {
        const chunk = randomBytes(64);
        sent.push(chunk);
        sentBytes += chunk.length;
        res.write(chunk);
        while (receivedBytes < sentBytes) {
          const next = await reader.next();
          assert.ok(next.done !== true, 'the body ended early');
          received.push(next.value);
          receivedBytes += next.value.length;
        }
        await pause(10);
      }
      const last = randomBytes(64);
      sent.push(last);
      res.end(last);
      for (let next = await reader.next(); next.done !== true; next = await reader.next()) {
        received.push(next.value);
      }
    } finally {
      twice.clear();
    }
    assert.ok(sent.length >= 3, `${sent.length} chunks`);
    assert.equal(sha256(Buffer.concat(received)), sha256(Buffer.concat(sent)));
  });

  it('a reader that stops for longer than the timeout: the timer rests while the body waits for it', async () => {
    const { body, res } = await download();
    // Far more than the socket buffers on both sides and the stream's own buffer hold, so the server
    // is still writing while the reader waits: the client stops reading the socket (backpressure).
    const block = randomBytes(1024 * 1024);
    const content = Buffer.concat(Array.from({ length: 32 }, () => block));
    let flushed = false;
    res.end(content, () => {
      flushed = true;
    });
    // Read nothing for longer than the timeout plus undici's own backstop (2 s above it).
    await pause(IDLE_MS + 2000 + IDLE_MS);
    assert.equal(flushed, false, 'the server is still held back by the reader');
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    assert.equal(size, content.length);
    assert.equal(hash.digest('hex'), sha256(content));
  });
});

describe('a streamed answer that arrived whole with its headers', () => {
  it('is read whole after the idle timeout has passed, with no timeout and no uncaught error', async () => {
    // One write of headers and body: the client has all of it before the caller gets the response.
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"Success","data":{}}');
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const tc = new ThreatConnect({
      accessId: 'id',
      secretKey: 'key',
      defaultOrg: 'Example Org',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
      apiRetries: 0,
      apiRequestTimeout: 0.2,
    });
    const uncaught: unknown[] = [];
    const listener = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', listener);
    try {
      const response = await tc.apiRequest(request('GET', '/v2/owners'), { stream: true });
      // The caller reads it later than the timeout: five times it (a second).
      await pause(1000);
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
      assert.equal(Buffer.concat(chunks).toString('utf8'), '{"status":"Success","data":{}}');
      assert.deepEqual(uncaught, []);
    } finally {
      process.off('uncaughtException', listener);
      await tc.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
