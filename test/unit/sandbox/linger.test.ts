/**
 * `lingerAfterAnswer`: after an early answer, the rest of the body is read and discarded, and the
 * connection closes once the body has ended, or at the byte or time bound (decisions.md 2.4: "up to
 * 1 GiB or 30 s"; here with small bounds).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type LingerBounds, hasUnreadBody, lingerAfterAnswer } from '../../../src/sandbox/linger.js';

const ANSWER = '{"status":"Failure","message":"too large"}';

describe('lingerAfterAnswer', () => {
  let server: http.Server;
  let port = 0;
  let bounds: LingerBounds = { maxBytes: 1024 * 1024, maxMs: 60_000 };
  const unread: boolean[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      unread.push(hasUnreadBody(req));
      lingerAfterAnswer(req, res, bounds);
      res.writeHead(413, {
        'Content-Type': 'application/json',
        'Content-Length': String(ANSWER.length),
        Connection: 'close',
      });
      res.end(ANSWER);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  /**
   * Sends a request declaring `declared` bytes, then writes `chunks` chunks of 64 KiB as the socket
   * takes them (or keeps writing until the server closes, for Infinity). Resolves with what came back
   * and how many body bytes the server accepted before it closed.
   */
  function send(declared: number, chunks: number): Promise<{ answer: string; written: number }> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      let written = 0;
      let stop = false;
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      socket.setEncoding('utf8');
      socket.on('data', (text: string) => (answer += text));
      socket.on('error', () => {
        stop = true;
      });
      socket.on('close', () => {
        stop = true;
        resolve({ answer, written });
      });
      socket.write(`POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: ${declared}\r\n\r\n`);
      let sent = 0;
      const pump = (): void => {
        while (!stop && sent < chunks) {
          sent += 1;
          const ok = socket.write(chunk, (error) => {
            if (!error) written += chunk.length;
          });
          if (!ok) {
            socket.once('drain', pump);
            return;
          }
        }
        // The whole body is out: a well-behaved client waits for the server to close.
      };
      pump();
    });
  }

  it('answers, reads the body to its end, then closes', async () => {
    bounds = { maxBytes: 64 * 1024 * 1024, maxMs: 60_000 };
    // 8 MiB: far more than the socket buffers hold, so every byte was read by the server.
    const { answer, written } = await send(128 * 64 * 1024, 128);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.ok(answer.endsWith(ANSWER));
    assert.equal(written, 128 * 64 * 1024);
    assert.equal(unread.at(-1), true);
  });

  it('closes once more than maxBytes have been discarded', async () => {
    bounds = { maxBytes: 512 * 1024, maxMs: 60_000 };
    // Declares 1 GiB and never stops sending: the byte bound is what ends it.
    const { answer, written } = await send(1024 ** 3, Number.POSITIVE_INFINITY);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.ok(written < 64 * 1024 * 1024, `wrote ${written} bytes`);
  });

  it('closes after maxMs when the client stops sending', async () => {
    bounds = { maxBytes: 1024 * 1024, maxMs: 200 };
    // Declares 1 MiB but sends 64 KiB and then nothing: the time bound is what ends it.
    const { answer } = await send(1024 * 1024, 1);
    assert.match(answer, /^HTTP\/1\.1 413 /);
  });
});

describe('hasUnreadBody', () => {
  const request = (headers: http.IncomingHttpHeaders, complete = false) =>
    ({ complete, headers }) as unknown as http.IncomingMessage;

  it('is false for a request without a body or a complete one', () => {
    assert.equal(hasUnreadBody(request({})), false);
    assert.equal(hasUnreadBody(request({ 'content-length': '0' })), false);
    assert.equal(hasUnreadBody(request({ 'content-length': '5' }, true)), false);
  });

  it('is true for a declared or chunked body not read yet', () => {
    assert.equal(hasUnreadBody(request({ 'content-length': '5' })), true);
    assert.equal(hasUnreadBody(request({ 'transfer-encoding': 'chunked' })), true);
  });
});
