/**
 * A websocket lives as long as its credential is accepted over HTTP (issue #10): a JWT is accepted
 * until `exp` + JWT_CLOCK_SKEW_SECONDS, so a socket opened with it inside that window works and is
 * closed with 4401 "Credential expired" at `exp` + skew, not at `exp` (instantly) and not never.
 */
import { createClient } from 'graphql-ws';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import type { App } from '../src/app';
import { codeOf, gql, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { JWT_SECRET } from './support/secrets';

const SKEW = 3;
const VIEWER = '{ viewer { tenantId } }';
let app: App;
let t: TenantBundle;
let apiKeyId: string;

beforeAll(async () => {
  app = await startTestApp({ JWT_CLOCK_SKEW_SECONDS: String(SKEW), WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'expiry');
  apiKeyId = (await app.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: t.tenantId } })).id;
});
afterAll(() => app.stop());

const sign = (iat: number, exp: number) => jwt.sign({ tid: t.tenantId, scopes: ['admin'], iat, exp }, JWT_SECRET, { subject: apiKeyId, issuer: 'maas', audience: 'maas-api' });

/** Opens a socket with `token`, runs one query on it, and reports when and how the server closes it. */
async function openAndWatch(token: string) {
  let closedAt = 0;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    const client = createClient({
      url: t.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      on: {
        closed: (e) => {
          closedAt = Date.now();
          const ev = e as { code: number; reason: string };
          resolve({ code: ev.code, reason: String(ev.reason) });
        },
      },
    });
    watched.push(client);
  });
  const client = watched[watched.length - 1];
  const first = await new Promise<GqlResult>((resolve, reject) => {
    let got: GqlResult;
    client.subscribe({ query: VIEWER }, { next: (v) => (got = v as GqlResult), error: reject, complete: () => resolve(got) });
  });
  return { first, closed: closed.then((c) => ({ ...c, at: closedAt })) };
}
const watched: ReturnType<typeof createClient>[] = [];
afterEach(async () => {
  await Promise.all(watched.splice(0).map((c) => c.dispose()));
});

it('keeps a socket opened inside the skew window open until exp + skew, then closes it with 4401, as HTTP stops accepting the token', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = sign(now - 60, now - 1); // expired a second ago: accepted for SKEW - 1 more seconds
  expect((await gql({ url: t.url, token }, VIEWER)).data?.viewer.tenantId).toBe(t.tenantId);
  const { first, closed } = await openAndWatch(token);
  expect(first.data?.viewer.tenantId).toBe(t.tenantId); // not closed on arrival
  const end = await closed;
  expect({ code: end.code, reason: end.reason }).toEqual({ code: 4401, reason: 'Credential expired' });
  const acceptedUntil = (now - 1 + SKEW) * 1000;
  expect(end.at).toBeGreaterThanOrEqual(acceptedUntil - 50);
  expect(end.at).toBeLessThan(acceptedUntil + 1500);
  // And HTTP no longer accepts it either.
  const late = await gql({ url: t.url, token }, VIEWER);
  expect([codeOf(late), late.errors?.[0]?.message]).toEqual(['UNAUTHENTICATED', 'Authentication failed: the token has expired']);
});

it('closes a socket whose token is still valid at exp + skew, not at exp', async () => {
  const now = Math.floor(Date.now() / 1000);
  const { first, closed } = await openAndWatch(sign(now, now + 1));
  expect(first.data?.viewer.tenantId).toBe(t.tenantId);
  const end = await closed;
  expect(end.code).toBe(4401);
  expect(end.at).toBeGreaterThanOrEqual((now + 1 + SKEW) * 1000 - 50);
});
