/**
 * What no route answers gets the GraphQL error shape, never express' HTML page or an empty body
 * (issue 10, review F5): unknown paths (and the batch route without `.csv`, a path with a bad
 * escape) 404 NOT_FOUND in JSON; an HTTP/1.1 request without Host 400 MISSING_HOST and an unknown
 * Expect 417 EXPECTATION_FAILED, both JSON (Node answered them with empty bodies).
 */
import net from 'node:net';
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';

let app: App;
let base: URL;
beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  base = new URL(app.server.url);
});
afterAll(() => app.stop());

/** Sends `raw` on a connection of its own; resolves with what the server wrote before closing. */
function rawRequest(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base.port), base.hostname, () => socket.write(raw));
    let got = '';
    socket.on('data', (d) => (got += String(d)));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

it.each([
  ['/nope', "No route answers GET '/nope': see GET / for the routes this server has"],
  ['/batch-predictions/0b7e', "No route answers GET '/batch-predictions/0b7e': see GET / for the routes this server has"],
  ['/metrics/x', "No route answers GET '/metrics/x': see GET / for the routes this server has"],
])('answers %s with a JSON 404 NOT_FOUND', async (path, message) => {
  const res = await fetch(new URL(path, base));
  expect([res.status, res.headers.get('content-type')]).toEqual([404, 'application/json; charset=utf-8']);
  expect(await res.json()).toEqual({ errors: [{ message, extensions: { code: 'NOT_FOUND' } }] });
});

it('answers a path with a bad escape in JSON, not HTML', async () => {
  const res = await fetch(`${base.origin}/console/%`);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toMatch(/^(NOT_FOUND|BAD_REQUEST)$/);
});

it('answers an HTTP/1.1 request without Host with 400 MISSING_HOST in JSON', async () => {
  const answer = await rawRequest('GET /healthz HTTP/1.1\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
    errors: [{ message: 'An HTTP/1.1 request needs a Host header', extensions: { code: 'BAD_REQUEST', reason: 'MISSING_HOST' } }],
  });
  // HTTP/1.0 needs none.
  expect(await rawRequest('GET /healthz HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
});

it('answers an unknown Expect with 417 EXPECTATION_FAILED in JSON', async () => {
  const answer = await rawRequest('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 999-weird\r\nContent-Length: 2\r\n\r\n{}');
  expect(answer).toMatch(/^HTTP\/1\.1 417 Expectation Failed\r\n/);
  expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
    errors: [{ message: 'The request\'s Expect header "999-weird" is not supported: only 100-continue is', extensions: { code: 'BAD_REQUEST', reason: 'EXPECTATION_FAILED' } }],
  });
});

it('answers CONNECT with 405 METHOD_NOT_ALLOWED in JSON (review 2, N6: the socket was closed without a word)', async () => {
  const answer = await rawRequest('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
  expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
    errors: [{ message: 'CONNECT is not served here: this is an API server, not a proxy', extensions: { code: 'BAD_REQUEST', reason: 'METHOD_NOT_ALLOWED' } }],
  });
});
