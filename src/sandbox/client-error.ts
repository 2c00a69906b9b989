/**
 * Answers for requests Node cannot parse (a bad header, oversized headers, a request that took too
 * long, bytes left after a short Content-Length): the failure envelope with `Connection: close`,
 * rather than Node's bare status line.
 */
import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';

/** The status line and message for a parser error code. */
function refusal(code: string | undefined): [statusLine: string, message: string] {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return ['431 Request Header Fields Too Large', 'The request headers are too large'];
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return ['408 Request Timeout', 'The request took too long to arrive'];
  return ['400 Bad Request', 'The request was not properly formed'];
}

/**
 * Installs the `clientError` handler. `encodeFailure` gives the body of the failure envelope for a
 * message.
 */
export function refuseUnparsedRequests(
  server: HttpServer | HttpsServer,
  encodeFailure: (message: string) => Buffer,
): void {
  const refuse = (error: NodeJS.ErrnoException, socket: Socket): void => {
    const current = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
    // A request read whole, ahead of the one that failed (pipelined, or bytes after a short
    // Content-Length), is still being answered: its answer goes first, then this one. Answering now
    // would hand the earlier request this 400, and close its connection before its own answer. An
    // answer stays attached to the socket until its 'finish' (its bytes may all be written already).
    if (current && current.req.complete && socket.writable) {
      const next = (): void => {
        current.off('finish', next);
        current.off('close', next);
        refuse(error, socket);
      };
      current.on('finish', next);
      current.on('close', next);
      return;
    }
    if (error.code === 'ECONNRESET' || !socket.writable || current?.headersSent === true) {
      socket.destroy();
      return;
    }
    const [statusLine, message] = refusal(error.code);
    const payload = encodeFailure(message);
    const head = `HTTP/1.1 ${statusLine}\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head), payload]));
  };
  // Node reports the error again for every later chunk on the socket: the first report answers, and
  // a later one after that answer has gone ends a client that keeps sending.
  const refused = new WeakSet<Socket>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (refused.has(socket)) {
      if (!socket.writable) socket.destroy();
      return;
    }
    refused.add(socket);
    refuse(error, socket);
  });
}
