/**
 * Requests Node's HTTP parser refuses before any route sees them (review F7: headers over Node's
 * 16 KiB limit got a 431 with an empty body) get a complete HTTP/1.1 answer with a small coded JSON
 * body (src/graphql/client-error.ts), and the server keeps serving.
 */
import http from 'node:http';
import net from 'node:net';
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant } from '../support/factories';

let app: App;
beforeAll(async () => (app = await startTestApp({ WORKER_ENABLED: 'false' })));
afterAll(() => app.stop());

/** Sends `raw` on a new connection and resolves with everything the server wrote until it closed. */
function rawExchange(raw: string): Promise<string> {
  const { port } = new URL(app.server.url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(raw));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The status, headers (lower-case names) and parsed JSON body of a raw HTTP/1.1 response. */
function parse(response: string) {
  const [head, body] = response.split('\r\n\r\n', 2);
  const [statusLine, ...lines] = head!.split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: JSON.parse(body!) as unknown };
}

it.each(['/graphql', '/v2/models/x/infer'])('answers headers over the limit on %s with 431 and a coded JSON body', async (path) => {
  const answer = parse(await rawExchange(`POST ${path} HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\nContent-Length: 2\r\n\r\n{}`));
  expect(answer.status).toBe(431);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers.connection).toBe('close');
  expect(answer.body).toEqual({
    errors: [
      {
        message: `The request's headers are larger than the limit of ${http.maxHeaderSize} bytes`,
        extensions: { code: 'BAD_REQUEST', reason: 'REQUEST_HEADER_FIELDS_TOO_LARGE' },
      },
    ],
  });
});

it('answers a request line that is not HTTP with 400 and a coded JSON body, then keeps serving', async () => {
  const answer = parse(await rawExchange('NOT HTTP AT ALL\r\n\r\n'));
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({ errors: [{ message: 'The request is not valid HTTP/1.1', extensions: { code: 'BAD_REQUEST', reason: 'MALFORMED_REQUEST' } }] });
  const t = await createTenant(app, 'after-431');
  expect((await gqlOk(t, '{ viewer { tenantName } }')).viewer.tenantName).toBe(t.name);
});
