/**
 * Requests without an accepted credential are capped per client address (issue 10, review F11:
 * they were bounded only by Node's timeouts, and one address could hold the process with slow
 * anonymous bodies). Requests are held in progress by sending their headers and part of their body,
 * so the counts are exact, not timed: past ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED the next request
 * with no credential, or with one that fails, is refused at once with 429 QUOTA_EXCEEDED (reason
 * IN_FLIGHT_UNAUTHENTICATED, Connection: close), body unread, on GraphQL and V2 alike; bodiless
 * requests (health checks) and a tenant's authenticated request from the same address are answered;
 * a held request that ends, is abandoned, or is pipelined behind others on a connection that
 * closes frees its place. An IPv6 client counts by its /64; a failing credential refused at the cap
 * counts for the failed-credential throttle as its route would have counted it.
 */
import http from 'node:http';
import type { App } from '../../src/app';
import { startTestApp } from '../support/app';
import { createTenant } from '../support/factories';
import { v2 } from '../support/v2';

const CAP = 2;
const MESSAGE = `This client address already has ${CAP} requests without an accepted credential in progress on this server, the most at once (ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED=${CAP}); send a credential, or retry when one has been answered`;
const EXTENSIONS = { code: 'QUOTA_EXCEEDED', reason: 'IN_FLIGHT_UNAUTHENTICATED', limit: CAP, retryAfterSeconds: 1 };
const QUERY = JSON.stringify({ query: '{ serverInfo { version } }' });

let app: App;
const FAILURES = 5;
beforeAll(
  async () =>
    (app = await startTestApp({
      ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED: String(CAP),
      AUTH_FAILURES_PER_ADDRESS: String(FAILURES),
      TRUST_PROXY_HOPS: '1', // X-Forwarded-For plays other clients
      WORKER_ENABLED: 'false',
    })),
);
afterAll(() => app.stop());

/** A POST /graphql without a credential (or with `authorization`), from `address` when given, sent with part of its body: in progress until finished or abandoned. */
function held(authorization?: string, address?: string) {
  const body = Buffer.from(QUERY);
  const url = new URL(app.server.url);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: '/graphql',
    method: 'POST',
    agent: false, // a connection of its own: never queued behind another request on a reused one
    headers: {
      'content-type': 'application/json',
      'content-length': body.length,
      ...(authorization ? { authorization } : {}),
      ...(address ? { 'x-forwarded-for': address } : {}),
    },
  });
  const answer = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, 5));
  return {
    finish: () => (req.end(body.subarray(5)), answer),
    abandon: () => {
      answer.catch(() => undefined);
      req.destroy();
    },
  };
}

const post = (headers: Record<string, string> = {}) => fetch(app.server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: QUERY });

/** Polls until an anonymous request (from `address` when given) is refused (both held ones have reached the server). */
async function refusedNow(address?: string): Promise<Response> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await post(address ? { 'x-forwarded-for': address } : {});
    if (res.status === 429 || Date.now() > deadline) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('refuses anonymous requests with a body past the per-address cap at once, answers bodiless ones and a tenant meanwhile, and frees places', async () => {
  const t = await createTenant(app, 'anon-cap');
  const requests = [held(), held('Bearer mk_not_a_key')]; // no credential, and one that fails: both anonymous
  const refused = await refusedNow();
  expect([refused.status, refused.headers.get('retry-after'), refused.headers.get('connection'), await refused.json()]).toEqual([
    429,
    '1',
    'close', // a refused trickling body does not keep its socket
    { errors: [{ message: MESSAGE, extensions: EXTENSIONS }] },
  ]);
  // V2 in its own error shape; a failing credential counts as none.
  const infer = await v2(app.server.url, '/v2/models/any/infer', { body: { inputs: [] } });
  expect([infer.status, infer.body]).toEqual([429, { error: MESSAGE, code: 'QUOTA_EXCEEDED', details: { reason: 'IN_FLIGHT_UNAUTHENTICATED', limit: CAP, retryAfterSeconds: 1 } }]);
  expect((await post({ authorization: 'Bearer mk_wrong' })).status).toBe(429);
  // Bodiless requests (health checks, the explorer's assets, GET queries) are not counted.
  const health = await fetch(app.server.url.replace(/\/graphql$/, '/healthz'));
  expect(health.status).toBe(200);
  const live = await v2(app.server.url, '/v2/health/live', {});
  expect(live.status).toBe(200);
  // The tenant's own request from the same address is not anonymous.
  const own = await post({ authorization: `Bearer ${t.token}` });
  expect([own.status, ((await own.json()) as any).data.serverInfo.version]).toEqual([200, expect.any(String)]);
  // A held request that is answered, or abandoned, frees its place.
  expect(await requests[0]!.finish()).toBe(200);
  requests[1]!.abandon();
  const again = [held(), held()];
  expect((await refusedNow()).status).toBe(429); // both places taken again: none was leaked
  expect(await again[0]!.finish()).toBe(200);
  expect(await again[1]!.finish()).toBe(200);
  const after = await post();
  expect(after.status).toBe(200);
  await after.arrayBuffer();
});

it('gives the place back when the client leaves before its answer, pipelined requests included', async () => {
  const url = new URL(app.server.url);
  const net = await import('node:net');
  // Three pipelined POSTs in one write, the last one's body unfinished, then the connection closes.
  const body = QUERY;
  const request = (b: string) => `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${b}`;
  for (let round = 0; round < 3; round++) {
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((r) => socket.once('connect', r));
    socket.write(request(body) + request(body) + request(body.slice(0, 5)));
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
  }
  // Nothing leaked: two held requests fill the places, the next is refused, then all answer.
  const requests = [held(), held()];
  expect((await refusedNow()).status).toBe(429);
  for (const r of requests) expect(await r.finish()).toBe(200);
  const after = await post();
  expect(after.status).toBe(200);
  await after.arrayBuffer();
});

it('counts an IPv6 client by its /64, and a failing credential refused at the cap for the failed-credential throttle', async () => {
  // Two held requests from two addresses of one /64 fill its places: a third address of it is refused, another /64 is not.
  const requests = [held(undefined, '2001:db8:7:1::a'), held(undefined, '2001:db8:7:1::b')];
  expect((await refusedNow('2001:db8:7:1:ffff::c')).status).toBe(429);
  const other = await post({ 'x-forwarded-for': '2001:db8:7:2::a' });
  expect(other.status).toBe(200);
  await other.arrayBuffer();
  // Failing credentials refused at the cap each count as a failure of the address, as the route counts them.
  for (let i = 0; i < FAILURES; i++) {
    const res = await post({ authorization: `Bearer mk_wrong_${i}`, 'x-forwarded-for': '2001:db8:7:1::d' });
    expect([res.status, ((await res.json()) as any).errors[0].extensions.reason]).toEqual([429, 'IN_FLIGHT_UNAUTHENTICATED']);
  }
  for (const r of requests) expect(await r.finish()).toBe(200);
  const next = await fetch(app.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer mk_wrong_next', 'x-forwarded-for': '2001:db8:7:1::e' },
    body: JSON.stringify({ query: '{ viewer { tenantId } }' }), // a field that needs the credential (public ones answer without it)
  });
  const body = (await next.json()) as any;
  expect([body.errors[0].extensions.code, body.errors[0].message]).toEqual(['QUOTA_EXCEEDED', expect.stringMatching(/^Too many failed authentications from this address/)]);
});
