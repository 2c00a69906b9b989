/**
 * Closing a connection whose request body was refused before it was read (decisions.md 2.4).
 *
 * Node ends a `Connection: close` response with `socket.destroySoon()`, which destroys the socket as
 * soon as the answer is flushed. The client is then still sending its body: the bytes that keep
 * arriving make the kernel answer with a reset, and a reset that reaches the client before it has read
 * the answer throws the answer away, so the client sees a broken pipe instead of the 413. Here the
 * socket stays open after the answer, the rest of the body is read and discarded, and the socket is
 * closed only once the body has ended, the client has gone, or a bound is reached.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerBounds {
  /** Most body bytes read and discarded after the answer. */
  maxBytes: number;
  /** Longest time the socket stays open after the answer, in ms. */
  maxMs: number;
}

/** decisions.md 2.4: "up to 1 GiB or 30 s". */
export const LINGER_BOUNDS: LingerBounds = { maxBytes: 1024 ** 3, maxMs: 30_000 };

/** Sockets whose last answer said `Connection: close`, while they wait for the body to end. */
const closing = new WeakSet<Socket>();

/**
 * Whether a request came on a connection that an earlier answer closed (RFC 9112 9.6: the server
 * "MUST NOT process any further requests received on that connection"). A client that pipelined it
 * never sees its answer, and would send it again: a write would then happen twice.
 */
export function isClosingConnection(req: IncomingMessage): boolean {
  return closing.has(req.socket);
}

/** Whether part of the request body has not arrived (or not been read) yet. */
export function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.complete) return false;
  const length = req.headers['content-length'];
  if (length !== undefined) return length.trim() !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Call before writing an answer that carries `Connection: close` while the body is unread: the answer
 * goes out, then the body is discarded up to `bounds`, then the connection closes.
 */
export function lingerAfterAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  bounds: LingerBounds = LINGER_BOUNDS,
): void {
  const socket = req.socket;
  if (socket.destroyed) return;
  closing.add(socket);
  let bodyEnded = false;
  let discarded = 0;
  const close = (): void => {
    clearTimeout(timer);
    // Ends after whatever is still queued (the answer), then lets go of the socket.
    if (!socket.destroyed) socket.end(() => socket.destroy());
  };
  const abandon = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  // Node calls destroySoon() once the answer is flushed. Until the body has ended, that must not close
  // the socket; after it has, closing is what it should do.
  socket.destroySoon = () => {
    if (bodyEnded) close();
  };
  const timer = setTimeout(abandon, bounds.maxMs);
  timer.unref();
  socket.once('close', () => {
    clearTimeout(timer);
  });
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > bounds.maxBytes) abandon();
  });
  req.once('end', () => {
    bodyEnded = true;
    // An answer still to come (held by a stall fault or latency) closes the socket itself, through
    // destroySoon() once it is flushed: ending the socket now would drop it.
    if (res.writableFinished) close();
  });
  // A client that goes away mid-body ends the socket itself; nothing is left to report.
  req.on('error', () => {});
  req.resume();
}
