/**
 * Requests without an accepted credential are capped per client address (issue 10, review F11:
 * they were bounded only by Node's timeouts, and one address could hold the process with slow
 * anonymous bodies). Requests are held in progress by sending their headers and part of their body,
 * so the counts are exact, not timed: past ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED the next request
 * with no credential, or with one that fails, is refused at once with 429 QUOTA_EXCEEDED (reason
 * IN_FLIGHT_UNAUTHENTICATED), body unread, on GraphQL and V2 alike; a tenant's authenticated request
 * from the same address is answered; a held request that ends frees its place.
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
beforeAll(async () => (app = await startTestApp({ ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED: String(CAP), WORKER_ENABLED: 'false' })));
afterAll(() => app.stop());

/** A POST /graphql without a credential (or with `authorization`) sent with part of its body: in progress until finished or abandoned. */
function held(authorization?: string) {
  const body = Buffer.from(QUERY);
  const url = new URL(app.server.url);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': body.length, ...(authorization ? { authorization } : {}) },
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

/** Polls until an anonymous request is refused (both held ones have reached the server). */
async function refusedNow(): Promise<Response> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await post();
    if (res.status === 429 || Date.now() > deadline) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 5));
  }
}

it('refuses anonymous requests past the per-address cap at once, answers a tenant meanwhile, and frees places', async () => {
  const t = await createTenant(app, 'anon-cap');
  const requests = [held(), held('Bearer mk_not_a_key')]; // no credential, and one that fails: both anonymous
  const refused = await refusedNow();
  expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([429, '1', { errors: [{ message: MESSAGE, extensions: EXTENSIONS }] }]);
  // V2 in its own error shape; a failing credential counts as none.
  const live = await v2(app.server.url, '/v2/health/live', {});
  expect([live.status, live.body]).toEqual([429, { error: MESSAGE, code: 'QUOTA_EXCEEDED', details: { reason: 'IN_FLIGHT_UNAUTHENTICATED', limit: CAP, retryAfterSeconds: 1 } }]);
  expect((await post({ authorization: 'Bearer mk_wrong' })).status).toBe(429);
  // The tenant's own request from the same address is not anonymous.
  const own = await post({ authorization: `Bearer ${t.token}` });
  expect([own.status, ((await own.json()) as any).data.serverInfo.version]).toEqual([200, expect.any(String)]);
  // A held request that is answered, or abandoned, frees its place.
  expect(await requests[0]!.finish()).toBe(200);
  const after = await post();
  expect(after.status).toBe(200);
  await after.arrayBuffer();
  requests[1]!.abandon();
});
