/**
 * Failed-credential throttle (issue #10): past AUTH_FAILURES_PER_ADDRESS failed authentications
 * from one client address within AUTH_FAILURE_WINDOW_SECONDS, further failures from it get
 * QUOTA_EXCEEDED with retryAfterSeconds, over HTTP, the websocket (connection_init), the batch CSV
 * route and /metrics alike; valid credentials from the same address keep working. The client
 * address comes from X-Forwarded-For (TRUST_PROXY_HOPS=1), so one test process plays several clients.
 */
import jwt from 'jsonwebtoken';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { App } from '../src/app';
import { ApiKeyRepo } from '../src/modules/auth/api-key.repo';
import { codeOf, gql, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { v2 } from './support/v2';

const METRICS_TOKEN = 'metrics-token-0123456789';
const VIEWER = '{ viewer { tenantId } }';
const LIMITED = /^Too many failed authentications from this address \(limit 3 per 600 s\); retry in \d+ s$/;

let app: App;
let t: TenantBundle;
const from = (address: string, token?: string) => ({ url: app.server.url, token, headers: { 'x-forwarded-for': address } });

/** One operation over a websocket opened from `address` with `token` in connection_init. */
async function overWs(address: string, token: string): Promise<GqlResult> {
  const client = createClient({
    url: app.server.wsUrl,
    webSocketImpl: class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-forwarded-for': address } });
      }
    },
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  try {
    return await new Promise<GqlResult>((resolve, reject) => {
      let got: GqlResult | undefined;
      client.subscribe(
        { query: VIEWER },
        {
          next: (v) => (got = v as GqlResult),
          error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)),
          complete: () => resolve(got!),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const expectLimited = (r: GqlResult) => {
  expect(r.errors?.[0]?.extensions?.code).toBe('QUOTA_EXCEEDED');
  expect(r.errors?.[0]?.message).toMatch(LIMITED);
  const retry = r.errors?.[0]?.extensions?.retryAfterSeconds as number;
  expect(retry).toBeGreaterThan(500);
  expect(retry).toBeLessThanOrEqual(600);
};

beforeAll(async () => {
  app = await startTestApp({ AUTH_FAILURES_PER_ADDRESS: '3', AUTH_FAILURE_WINDOW_SECONDS: '600', TRUST_PROXY_HOPS: '1', WORKER_ENABLED: 'false', METRICS_TOKEN });
  t = await createTenant(app, 'throttled');
});
afterAll(() => app.stop());

it('answers QUOTA_EXCEEDED to failures past the limit (API keys and JWTs), lets valid credentials through, and leaves other addresses alone', async () => {
  const address = '203.0.113.10';
  for (let i = 0; i < 3; i++) expect(codeOf(await gql(from(address, `mk_wrong${i}`), VIEWER))).toBe('UNAUTHENTICATED');
  expectLimited(await gql(from(address, 'mk_wrong-again'), VIEWER));
  const forged = jwt.sign({ tid: t.tenantId, scopes: ['admin'] }, 'x'.repeat(40), { subject: 'k', issuer: 'maas', audience: 'maas-api', expiresIn: 60 });
  expectLimited(await gql(from(address, forged), VIEWER));
  // The tenant behind the same address keeps working.
  expect((await gql(from(address, t.apiKey), VIEWER)).data?.viewer.tenantId).toBe(t.tenantId);
  // Another address: its own count.
  expect(codeOf(await gql(from('203.0.113.11', 'mk_wrong'), VIEWER))).toBe('UNAUTHENTICATED');
  // No credential is not a failure (public fields stay callable).
  expect((await gql(from(address), '{ serverInfo { version } }')).errors).toBeUndefined();
});

it('does the same over the websocket (connection_init), the address taken from the upgrade request', async () => {
  const address = '203.0.113.20';
  for (let i = 0; i < 3; i++) expect(codeOf(await overWs(address, `mk_wrong${i}`))).toBe('UNAUTHENTICATED');
  expectLimited(await overWs(address, 'mk_wrong-again'));
  // HTTP and websocket share the count.
  expectLimited(await gql(from(address, 'mk_wrong-http'), VIEWER));
  expect((await overWs(address, t.apiKey)).data?.viewer.tenantId).toBe(t.tenantId);
  expect(codeOf(await overWs('203.0.113.21', 'mk_wrong'))).toBe('UNAUTHENTICATED');
});

it('answers 429 QUOTA_EXCEEDED with Retry-After on the batch CSV route past the limit', async () => {
  const address = '203.0.113.30';
  const get = (token: string) =>
    fetch(`${app.server.url.replace(/\/graphql$/, '')}/batch-predictions/00000000-0000-0000-0000-000000000000.csv`, {
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address },
    });
  for (let i = 0; i < 3; i++) expect((await get(`mk_wrong${i}`)).status).toBe(401);
  const res = await get('mk_wrong-again');
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(500);
  expectLimited((await res.json()) as GqlResult);
  expect((await get(t.apiKey)).status).toBe(404); // a valid key: the (missing) batch
});

it('answers 429 QUOTA_EXCEEDED with Retry-After on the V2 routes past the limit, counting with GraphQL in one budget', async () => {
  const address = '203.0.113.35';
  const infer = (token: string) =>
    v2(app.server.url, '/v2/models/none/infer', { token, body: { inputs: [] }, headers: { 'x-forwarded-for': address, origin: 'https://page.example' } });
  expect(codeOf(await gql(from(address, 'mk_wrong-graphql'), VIEWER))).toBe('UNAUTHENTICATED');
  for (let i = 0; i < 2; i++) expect((await infer(`mk_wrong${i}`)).status).toBe(401);
  const res = await infer('mk_wrong-again');
  expect([res.status, res.body.code]).toEqual([429, 'QUOTA_EXCEEDED']);
  expect(res.body.error).toMatch(LIMITED);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(500);
  // A browser page may read that header (CORS_ORIGINS unset outside production: any origin).
  expect([res.headers.get('access-control-allow-origin'), res.headers.get('access-control-expose-headers')]).toEqual(['*', 'Retry-After']);
  expectLimited(await gql(from(address, 'mk_wrong-graphql-again'), VIEWER));
  expect((await infer(t.apiKey)).status).toBe(404); // a valid key: the (missing) model
});

it('counts wrong METRICS_TOKEN guesses on /metrics the same way; a missing header is not a guess', async () => {
  const address = '203.0.113.40';
  const metrics = (token?: string) =>
    fetch(`${app.server.url.replace(/\/graphql$/, '')}/metrics`, { headers: { 'x-forwarded-for': address, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  for (let i = 0; i < 5; i++) expect((await metrics()).status).toBe(401);
  for (let i = 0; i < 3; i++) expect((await metrics(`wrong-${i}`)).status).toBe(401);
  const res = await metrics('wrong-again');
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(500);
  expectLimited((await res.json()) as GqlResult);
  expect((await metrics(METRICS_TOKEN)).status).toBe(200);
});

it('counts an IPv6 client by its /64 (one host holds 2^64 addresses), and an IPv4-mapped address as the IPv4 one', async () => {
  for (let i = 1; i <= 3; i++) expect(codeOf(await gql(from(`2001:db8:5:6::${i}`, `mk_wrong${i}`), VIEWER))).toBe('UNAUTHENTICATED');
  expectLimited(await gql(from('2001:db8:5:6:ffff::9', 'mk_wrong4'), VIEWER));
  expect(codeOf(await gql(from('2001:db8:5:7::1', 'mk_wrong'), VIEWER))).toBe('UNAUTHENTICATED'); // another /64
  for (let i = 1; i <= 3; i++) expect(codeOf(await gql(from('203.0.113.50', `mk_wrong${i}`), VIEWER))).toBe('UNAUTHENTICATED');
  expectLimited(await gql(from('::ffff:203.0.113.50', 'mk_wrong4'), VIEWER));
});

it('looks a refused API key up once, though the in-flight guard and the route both check it, and not again for a while', async () => {
  const lookups = jest.spyOn(ApiKeyRepo.prototype, 'findByPrefix'); // calls through to PostgreSQL
  try {
    const wrong = t.apiKey.slice(0, -1) + (t.apiKey.endsWith('a') ? 'b' : 'a'); // the tenant's prefix, a wrong secret
    expect(codeOf(await gql(from('203.0.113.60', wrong), VIEWER))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(from('203.0.113.60', wrong), VIEWER))).toBe('UNAUTHENTICATED');
    expect(lookups).toHaveBeenCalledTimes(1);
    expectLimited(await gql(from('203.0.113.60', wrong), VIEWER).then(() => gql(from('203.0.113.60', wrong), VIEWER))); // each request still counts
  } finally {
    lookups.mockRestore();
  }
});
