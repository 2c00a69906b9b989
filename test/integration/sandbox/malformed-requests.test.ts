/**
 * Requests a well-behaved client does not send, over raw sockets: each still gets its own answer in
 * the failure envelope, the connection ends cleanly, and the sandbox meets no internal error.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MAX_JSON_DEPTH } from '../../../src/sandbox/context.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { NOT_FOUND, failureBody } from '../../helpers/api.js';
import { clearFaults, setRules, waitForLog, withSandbox } from '../../helpers/sandbox.js';
import { call, signHeaders } from '../../helpers/signer.js';

const NOT_FORMED = 'The request was not properly formed';
const MAX_BODY = 1024;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits what a server sent on one connection into its answers (all of them with Content-Length). */
function parseAnswers(raw: Buffer): Answer[] {
  const answers: Answer[] = [];
  let at = 0;
  while (at < raw.length) {
    const headEnd = raw.indexOf('\r\n\r\n', at);
    assert.ok(headEnd !== -1, `an incomplete answer: ${raw.subarray(at).toString('latin1')}`);
    const [statusLine = '', ...lines] = raw.subarray(at, headEnd).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length']);
    assert.ok(Number.isInteger(length), `an answer without Content-Length: ${statusLine}`);
    const bodyStart = headEnd + 4;
    answers.push({
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: raw.subarray(bodyStart, bodyStart + length).toString('utf8'),
    });
    at = bodyStart + length;
  }
  return answers;
}

/**
 * Writes `bytes` in one go and collects what the server sends until it closes the connection. A
 * reset counts as the end: the answers received before it are what the test checks.
 */
function exchange(sandbox: Sandbox, bytes: Buffer | string): Promise<Answer[]> {
  const base = new URL(sandbox.baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(base.port), base.hostname, () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      resolve(parseAnswers(Buffer.concat(chunks)));
    });
  });
}

/** The head of a signed request for the sandbox's wire path `/api<path>`. */
function signedHead(sandbox: Sandbox, method: string, path: string, headers: string[] = []): string {
  const wirePath = `/api${path}`;
  const auth = signHeaders(
    sandbox.accessId,
    sandbox.secretKey,
    method,
    wirePath,
    Math.floor(Date.now() / 1000),
  );
  return [
    `${method} ${wirePath} HTTP/1.1`,
    'Host: sandbox',
    `Timestamp: ${auth.Timestamp}`,
    `Authorization: ${auth.Authorization}`,
    ...headers,
    '',
    '',
  ].join('\r\n');
}

/** A whole chunked body of `size` bytes, in one chunk. */
function chunkedBody(size: number): string {
  return `${size.toString(16)}\r\n${'x'.repeat(size)}\r\n0\r\n\r\n`;
}

describe('malformed requests', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await withSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  describe('a chunked body over maxBodyBytes that no handler reads', () => {
    let small: Sandbox;
    before(async () => {
      small = await withSandbox({ maxBodyBytes: MAX_BODY });
    });
    after(async () => {
      await small.close();
    });
    const cases: [string, () => string, number, string][] = [
      [
        'an unknown route',
        () => signedHead(small, 'POST', '/v2/nothing', ['Transfer-Encoding: chunked']),
        404,
        NOT_FOUND,
      ],
      [
        'a request that fails auth',
        () =>
          ['POST /api/v2/tags HTTP/1.1', 'Host: sandbox', 'Transfer-Encoding: chunked', '', ''].join('\r\n'),
        401,
        'Access Denied',
      ],
    ];
    for (const [what, head, status, message] of cases) {
      it(`gets its ${status} for ${what}, then the connection closes`, async () => {
        const answers = await exchange(small, head() + chunkedBody(4 * MAX_BODY));
        assert.equal(small.internalErrors, 0, 'the sandbox met an internal error');
        const [answer, ...more] = answers;
        assert.ok(answer, 'no answer');
        assert.deepEqual(more, []);
        assert.equal(answer.status, status);
        assert.equal(answer.headers.connection, 'close');
        assert.deepEqual(JSON.parse(answer.body), failureBody(message));
      });
    }
  });

  describe('JSON nested very deep', () => {
    const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const tooDeep = `${NOT_FORMED}: the body nests deeper than ${MAX_JSON_DEPTH} levels`;

    for (const [method, path] of [
      ['POST', '/v2/groups/adversaries'],
      ['POST', '/v2/tags'],
      ['POST', '/_sandbox/faults'],
    ] as const) {
      it(`${method} ${path} with 100,000 levels answers 400, not 500`, async () => {
        const before = sandbox.internalErrors;
        const body = `{"name":"Deep",${JSON.stringify('x')}:${nested(100_000)}}`;
        const big = await call(sandbox, method, path, { body });
        assert.equal(sandbox.internalErrors, before, 'the sandbox met an internal error');
        assert.equal(big.status, 400, big.text);
        assert.deepEqual(big.json(), failureBody(tooDeep));
      });
    }

    it(`takes ${MAX_JSON_DEPTH} levels and refuses one more`, async () => {
      const body = (depth: number): string => `{"name":"Deep","unused":${nested(depth - 1)}}`;
      const atLimit = await call(sandbox, 'POST', '/v2/groups/adversaries', { body: body(MAX_JSON_DEPTH) });
      assert.equal(atLimit.status, 201, atLimit.text);
      const over = await call(sandbox, 'POST', '/v2/groups/adversaries', { body: body(MAX_JSON_DEPTH + 1) });
      assert.equal(over.status, 400, over.text);
      assert.deepEqual(over.json(), failureBody(tooDeep));
    });
  });

  describe('a client that leaves while its unread body is dropped', () => {
    it('is logged with no status: it saw no answer', async () => {
      const own = await withSandbox();
      try {
        const path = `/v2/nothing-here-${Date.now()}`;
        const head = signedHead(own, 'POST', path, [
          'Content-Type: application/json',
          'Content-Length: 1000',
        ]);
        const base = new URL(own.baseUrl);
        const socket = net.connect(Number(base.port), base.hostname);
        socket.on('error', () => {});
        await new Promise<void>((resolve) => socket.once('connect', resolve));
        // The head and part of the body: the 404 waits for the rest, which never comes.
        socket.write(`${head}${'x'.repeat(10)}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        socket.destroy();
        const log = await waitForLog(own, 1);
        const entry = log.find((e) => e.target.startsWith(`/api${path}`));
        assert.ok(entry !== undefined, JSON.stringify(log));
        assert.equal(entry.status, null);
      } finally {
        await own.close();
      }
    });
  });

  describe('a request pipelined behind an answer that closes the connection', () => {
    let small: Sandbox;
    before(async () => {
      small = await withSandbox({ maxBodyBytes: MAX_BODY });
    });
    after(async () => {
      await small.close();
    });

    /** A POST creating an adversary named `name`, and whether that adversary exists afterwards. */
    const createHead = (name: string): string => {
      const body = JSON.stringify({ name });
      return `${signedHead(small, 'POST', '/v2/groups/adversaries', ['Content-Type: application/json', `Content-Length: ${body.length}`])}${body}`;
    };
    const exists = async (name: string): Promise<boolean> => {
      const r = await call(small, 'GET', `/v2/groups/adversaries?filters=name%3D${encodeURIComponent(name)}`);
      assert.equal(r.status, 200, r.text);
      return (r.json() as { data: { resultCount: number } }).data.resultCount > 0;
    };

    it('is not run after a 413', async () => {
      const name = `After 413 ${Date.now()}`;
      const oversized = 'x'.repeat(4 * MAX_BODY);
      const first = signedHead(small, 'POST', '/v2/tags', [
        'Content-Type: application/json',
        `Content-Length: ${oversized.length}`,
      ]);
      const answers = await exchange(small, `${first}${oversized}${createHead(name)}`);
      assert.deepEqual(
        answers.map((a) => [a.status, a.headers.connection]),
        [[413, 'close']],
      );
      assert.equal(await exists(name), false, 'the request behind the 413 was run');
    });

    it('a 413 held by a stall fault is still answered when the body ends during the stall', async () => {
      // The body is all sent at once, so it ends while the answer is held: the connection must close
      // after the answer, not before it.
      await setRules(small, { kind: 'stall', ms: 300, method: 'POST' });
      try {
        const oversized = 'x'.repeat(4 * MAX_BODY);
        const head = signedHead(small, 'POST', '/v2/tags', [
          'Content-Type: application/json',
          `Content-Length: ${oversized.length}`,
        ]);
        const answers = await exchange(small, `${head}${oversized}`);
        assert.deepEqual(
          answers.map((a) => [a.status, a.headers.connection]),
          [[413, 'close']],
        );
      } finally {
        await clearFaults(small);
      }
    });

    it('is not run after an injected status fault on a request with a body', async () => {
      const name = `After fault ${Date.now()}`;
      await setRules(small, { kind: 'status', status: 503, method: 'PUT' });
      try {
        const body = JSON.stringify({ name: 'Renamed' });
        const first = signedHead(small, 'PUT', '/v2/tags/APT', [
          'Content-Type: application/json',
          `Content-Length: ${body.length}`,
        ]);
        const answers = await exchange(small, `${first}${body}${createHead(name)}`);
        assert.deepEqual(
          answers.map((a) => [a.status, a.headers.connection]),
          [[503, 'close']],
        );
      } finally {
        await clearFaults(small);
      }
      assert.equal(await exists(name), false, 'the request behind the fault was run');
    });
  });

  describe('bytes Node cannot parse after a whole request', () => {
    it('answer the request first, then refuse the bytes with a 400 and close', async () => {
      const name = `Pipelined ${Date.now()}`;
      const body = JSON.stringify({ name });
      const head = signedHead(sandbox, 'POST', '/v2/groups/adversaries', [
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
      ]);
      // A Content-Length one short of what follows, as a buggy client sends: the rest is no request.
      const answers = await exchange(sandbox, `${head}${body}junk\r\n\r\n`);
      assert.deepEqual(
        answers.map((a) => a.status),
        [201, 400],
      );
      const [created, refused] = answers;
      assert.ok(created && refused);
      const echoed = JSON.parse(created.body) as { data: { adversary: { name: string } } };
      assert.equal(echoed.data.adversary.name, name);
      assert.equal(created.headers.connection, 'keep-alive');
      assert.equal(refused.headers.connection, 'close');
      assert.deepEqual(JSON.parse(refused.body), failureBody(NOT_FORMED));
    });

    it('answer every pipelined request ahead of them, in order', async () => {
      const answers = await exchange(
        sandbox,
        `${signedHead(sandbox, 'GET', '/v2/owners')}${signedHead(sandbox, 'GET', '/v2/whoami')}GARBAGE\r\n\r\n`,
      );
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200, 400],
      );
      assert.match(answers[0]?.body ?? '', /"owner":\[/);
      assert.match(answers[1]?.body ?? '', /"user":\{/);
      assert.deepEqual(JSON.parse(answers[2]?.body ?? ''), failureBody(NOT_FORMED));
    });
  });
});
