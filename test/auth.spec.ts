/** Credentials: API keys, JWTs issued for them, and what happens with missing or forged ones. */
import { createClient } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import type { App } from '../src/app';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { ADMIN_SECRET, JWT_SECRET } from './support/secrets';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';

let app: App;
let t: TenantBundle;
const VIEWER = '{ viewer { tenantId tenantName kind scopes } }';

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'auth');
});
afterAll(() => app.stop());

it('creates a tenant only with the admin secret, and names must be unique', async () => {
  const noSecret = await gql({ url: t.url }, 'mutation { createTenant(name: "x") { apiKey } }');
  expect(codeOf(noSecret)).toBe('UNAUTHENTICATED');
  const wrong = await gql({ url: t.url, headers: { 'x-admin-secret': 'nope' } }, 'mutation { createTenant(name: "x") { apiKey } }');
  expect(codeOf(wrong)).toBe('FORBIDDEN');
  const dup = await gql({ url: t.url, headers: { 'x-admin-secret': ADMIN_SECRET } }, 'mutation($n: String!) { createTenant(name: $n) { apiKey } }', { n: t.name });
  expect(codeOf(dup)).toBe('CONFLICT');
  expect(dup.errors![0].message).toBe(`A tenant named '${t.name}' already exists (names are compared without regard to case)`);
  for (const variant of [t.name.toUpperCase(), t.name.toLowerCase(), t.name[0].toUpperCase() + t.name.slice(1)]) {
    const r = await gql({ url: t.url, headers: { 'x-admin-secret': ADMIN_SECRET } }, 'mutation($n: String!) { createTenant(name: $n) { apiKey } }', { n: variant });
    expect([variant, codeOf(r), r.errors?.[0].message]).toEqual([variant, 'CONFLICT', `A tenant named '${variant}' already exists (names are compared without regard to case)`]);
  }
  const bad = await gql({ url: t.url, headers: { 'x-admin-secret': ADMIN_SECRET } }, 'mutation { createTenant(name: "") { apiKey } }');
  expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  // A trailing or leading space would make a second tenant that looks like the first.
  for (const lookalike of [`${t.name} `, ` ${t.name}`, `${t.name}.`]) {
    const r = await gql({ url: t.url, headers: { 'x-admin-secret': ADMIN_SECRET } }, 'mutation($n: String!) { createTenant(name: $n) { apiKey } }', { n: lookalike });
    expect([lookalike, codeOf(r)]).toEqual([lookalike, 'BAD_USER_INPUT']);
  }
});

it('stores only a hash of the API key', async () => {
  const rows = await app.db.prisma.apiKey.findMany({ where: { tenantId: t.tenantId } });
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain(t.apiKey);
  expect(t.apiKey.startsWith(`mk_${rows[0].prefix}_`)).toBe(true);
});

it('authenticates with the API key and with a JWT issued for it', async () => {
  const byKey = await gqlOk(t, VIEWER);
  expect(byKey.viewer).toMatchObject({ tenantId: t.tenantId, tenantName: t.name, kind: 'apiKey' });
  const issued = await gqlOk(t, 'mutation { issueToken { token expiresAt } }');
  const ttl = new Date(issued.issueToken.expiresAt).getTime() - Date.now();
  expect(ttl).toBeGreaterThan(14 * 60_000);
  expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  const byToken = await gqlOk({ url: t.url, token: issued.issueToken.token }, VIEWER);
  expect(byToken.viewer).toEqual(byKey.viewer);
  // A token cannot mint the next one: a stolen token ends at its exp (review 2, N7).
  const renewed = await gql({ url: t.url, token: issued.issueToken.token }, 'mutation { issueToken { token } }');
  expect([codeOf(renewed), renewed.errors?.[0]?.message]).toEqual(['FORBIDDEN', 'issueToken takes the API key itself: a token cannot issue another token']);
});

it('answers UNAUTHENTICATED without a credential or with a forged one', async () => {
  const claims = { tid: t.tenantId, scopes: ['admin'] };
  const opts = { subject: 'x', issuer: 'maas', audience: 'maas-api' };
  const apiKeyId = (await app.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: t.tenantId } })).id;
  const cases: [string, string | undefined, RegExp][] = [
    ['no credential', undefined, /needs a credential/],
    ['an unknown key', 'mk_00000000_' + 'A'.repeat(43), /API key is not valid/],
    ['a malformed key', 'mk_nope', /API key is malformed/],
    ['a token signed with another secret', jwt.sign(claims, 'another-secret-another-secret-another', { ...opts, subject: apiKeyId }), /token is invalid/],
    ['an expired token', jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET, { ...opts, subject: apiKeyId }), /token has expired/],
    ['an unsigned token (alg none)', jwt.sign(claims, '', { ...opts, subject: apiKeyId, algorithm: 'none' }), /token is invalid/],
    ['a token for another audience', jwt.sign(claims, JWT_SECRET, { ...opts, subject: apiKeyId, audience: 'other' }), /token is invalid/],
  ];
  for (const [what, token, message] of cases) {
    const r = await gql({ url: t.url, token }, VIEWER);
    expect([what, codeOf(r)]).toEqual([what, 'UNAUTHENTICATED']);
    expect(r.errors![0].message).toMatch(message);
  }
});

it('refuses a JWT without exp, living longer than the maximum, or issued in the future, over HTTP and websocket alike', async () => {
  const apiKeyId = (await app.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: t.tenantId } })).id;
  const now = Math.floor(Date.now() / 1000);
  // jsonwebtoken keeps a given iat and adds the current time when there is none, unless noTimestamp.
  const sign = (payload: Record<string, unknown>) =>
    jwt.sign({ tid: t.tenantId, scopes: ['admin'], ...payload }, JWT_SECRET, { subject: apiKeyId, issuer: 'maas', audience: 'maas-api', noTimestamp: !('iat' in payload) });
  const refused: [string, string, string][] = [
    ['no exp', sign({ iat: now }), 'Authentication failed: the token has no expiry (exp)'],
    ['no iat', sign({ exp: now + 60 }), 'Authentication failed: the token has no issue time (iat)'],
    ['a lifetime of a day and a second', sign({ iat: now, exp: now + 86_401 }), "Authentication failed: the token's lifetime of 86401 s exceeds the maximum of 86400 s"],
    ['issued 120 s in the future', sign({ iat: now + 120, exp: now + 600 }), 'Authentication failed: the token is issued in the future (iat)'],
    ['expired 120 s ago', sign({ iat: now - 300, exp: now - 120 }), 'Authentication failed: the token has expired'],
  ];
  for (const [what, token, message] of refused) {
    const overHttp = await gql({ url: t.url, token }, VIEWER);
    expect([what, codeOf(overHttp), overHttp.errors![0].message]).toEqual([what, 'UNAUTHENTICATED', message]);
    const client = wsClient(t.wsUrl, token);
    const [overWs] = await collect(client, VIEWER, {}).done;
    await client.dispose();
    expect([what, codeOf(overWs), overWs.errors![0].message]).toEqual([what, 'UNAUTHENTICATED', message]);
  }
  // An over-long credential is refused before it is decoded, over both transports.
  const huge = 'Bearer ' + 'e'.repeat(1_000_000);
  const hugeWs = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: huge }, retryAttempts: 0, lazy: true });
  const [overWs] = await collect(hugeWs, VIEWER, {}).done;
  await hugeWs.dispose();
  expect([codeOf(overWs), overWs.errors![0].message]).toEqual(['UNAUTHENTICATED', 'Authentication failed: the Authorization value is 1000007 characters long; at most 8192']);
  const overHttp = await gql({ url: t.url, token: 'e'.repeat(9000) }, VIEWER);
  expect([codeOf(overHttp), overHttp.errors![0].message]).toEqual(['UNAUTHENTICATED', 'Authentication failed: the Authorization value is 9007 characters long; at most 8192']);
  // Within the default clock skew of 30 s, and at exactly the maximum lifetime: accepted.
  for (const token of [sign({ iat: now + 10, exp: now + 600 }), sign({ iat: now, exp: now + 86_400 }), sign({ iat: now - 100, exp: now - 10 })]) {
    expect((await gqlOk({ url: t.url, token }, VIEWER)).viewer.tenantId).toBe(t.tenantId);
  }
});

it('keeps public fields public', async () => {
  const r = await gqlOk({ url: t.url }, '{ serverInfo { version tfBackend } }');
  expect(['tensorflow', 'wasm', 'cpu']).toContain(r.serverInfo.tfBackend);
});
