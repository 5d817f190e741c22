/**
 * The HTTP server's answer to a request Node's HTTP parser refuses before any route sees it
 * (review F7: headers over Node's limit got a 431 with an empty body). Node writes a bare status
 * line when no 'clientError' listener exists; here the same status gets a small JSON body in the
 * GraphQL error shape (`extensions.code` BAD_REQUEST, `reason`), so a client can tell why:
 * - headers larger than `http.maxHeaderSize` (16 KiB unless `--max-http-header-size`) → 431,
 *   reason REQUEST_HEADER_FIELDS_TOO_LARGE;
 * - chunk extensions too large → 413, reason CHUNK_EXTENSIONS_TOO_LARGE;
 * - headers or body not in time (`headersTimeout`, `requestTimeout`) → 408, reason REQUEST_TIMEOUT;
 * - anything else the parser cannot read → 400, reason MALFORMED_REQUEST.
 * The statuses are Node's own; the connection is closed after the answer (the parser cannot go on).
 * Logged at info without the request's bytes. Two refusals Node makes after parsing get the same
 * shape (review F5: both had empty bodies): an `Expect` other than `100-continue` → 417, reason
 * EXPECTATION_FAILED ({@link answerClientErrors}); an HTTP/1.1 request without `Host` → 400,
 * reason MISSING_HOST ({@link refuseWithoutHost}, with the server's `requireHostHeader` off); a
 * CONNECT → 405, reason METHOD_NOT_ALLOWED.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../lib/logger';

/** Node's parser error codes with the status Node itself answers and the reason given. */
const ANSWERS: Record<string, [status: number, reason: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'REQUEST_HEADER_FIELDS_TOO_LARGE', `The request's headers are larger than the limit of ${http.maxHeaderSize} bytes`],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'CHUNK_EXTENSIONS_TOO_LARGE', "The request's chunk extensions are too large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time'],
};
const MALFORMED: [number, string, string] = [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP/1.1'];

/** The complete HTTP/1.1 response (status line, headers, JSON body) for parser error `code`. */
export function clientErrorResponse(code: string | undefined): string {
  const [status, reason, message] = (code && ANSWERS[code]) || MALFORMED;
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST', reason } }] });
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'X-Content-Type-Options: nosniff\r\n' +
    'Connection: close\r\n\r\n' +
    body
  );
}

/** Writes a refusal in the same shape as {@link clientErrorResponse} on a request Node did parse, and closes the connection. */
function refuse(res: http.ServerResponse, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST', reason } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', connection: 'close' });
  res.end(body);
}

/**
 * Refuses an HTTP/1.1 request without a `Host` header (RFC 9112 §3.2: a server must answer 400), as
 * Node does with `requireHostHeader`, but with a body saying why. @returns true when it refused.
 */
export function refuseWithoutHost(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.headers.host !== undefined || req.httpVersionMajor !== 1 || req.httpVersionMinor < 1) return false;
  req.resume();
  refuse(res, 400, 'MISSING_HOST', 'An HTTP/1.1 request needs a Host header');
  return true;
}

/** Answers `server`'s client errors with {@link clientErrorResponse} instead of Node's empty body. */
export function answerClientErrors(server: http.Server, log: Logger): void {
  // CONNECT (a proxy tunnel) is not served: Node closes the socket without a word unless someone listens (review 2, N6).
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    log.info({ code: 'METHOD_NOT_ALLOWED', transport: 'http' }, 'client error: CONNECT');
    const body = JSON.stringify({
      errors: [{ message: 'CONNECT is not served here: this is an API server, not a proxy', extensions: { code: 'BAD_REQUEST', reason: 'METHOD_NOT_ALLOWED' } }],
    });
    socket.end(
      'HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // Node answers an Expect it does not know with a bare 417 unless someone listens.
  server.on('checkExpectation', (req: http.IncomingMessage, res: http.ServerResponse) => {
    log.info({ code: 'EXPECTATION_FAILED', transport: 'http' }, 'client error: unsupported Expect');
    req.resume();
    refuse(res, 417, 'EXPECTATION_FAILED', `The request's Expect header ${JSON.stringify(String(req.headers.expect).slice(0, 100))} is not supported: only 100-continue is`);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const code = err.code;
    // A response already on its way (a timeout mid-answer), or a peer gone: nothing can be said.
    const answering = (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage?.headersSent;
    if (code === 'ECONNRESET' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    log.info({ code, transport: 'http' }, 'client error: request refused by the HTTP parser');
    socket.end(clientErrorResponse(code));
  });
}
