/**
 * Throttling of what the admin secret guards: wrong X-Admin-Secret guesses per client address
 * (ADMIN_FAILURES_PER_HOUR) and tenant creations overall (TENANTS_PER_HOUR). The client address
 * comes from X-Forwarded-For here (TRUST_PROXY_HOPS=1), so one test process plays several clients.
 */
import type { App } from '../../src/app';
import { codeOf, gql } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { ADMIN_SECRET } from '../support/secrets';

let app: App;
const CREATE = 'mutation($n: String!) { createTenant(name: $n) { tenant { name } apiKey } }';
const create = (from: string, secret: string | undefined, name: string) =>
  gql({ url: app.server.url, headers: { 'x-forwarded-for': from, ...(secret ? { 'x-admin-secret': secret } : {}) } }, CREATE, { n: name });

beforeAll(async () => {
  app = await startTestApp({ ADMIN_FAILURES_PER_HOUR: '3', TENANTS_PER_HOUR: '2', TRUST_PROXY_HOPS: '1', WORKER_ENABLED: 'false' });
});
afterAll(() => app.stop());

it('refuses an address after ADMIN_FAILURES_PER_HOUR wrong secrets, even with the right one, with retryAfterSeconds; other addresses are unaffected', async () => {
  for (let i = 0; i < 3; i++) expect(codeOf(await create('203.0.113.7', `guess-${i}`, 'x'))).toBe('FORBIDDEN');
  for (const secret of ['guess-again', ADMIN_SECRET]) {
    const r = await create('203.0.113.7', secret, 'guesser');
    expect(codeOf(r)).toBe('QUOTA_EXCEEDED');
    expect(r.errors![0].message).toMatch(/^Too many wrong X-Admin-Secret values from this address \(limit 3 per hour\); retry in \d+ s$/);
    const retry = r.errors![0].extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(3500);
    expect(retry).toBeLessThanOrEqual(3600);
  }
  // A missing header is not a guess; another address still gets in.
  expect(codeOf(await create('203.0.113.8', undefined, 'x'))).toBe('UNAUTHENTICATED');
  expect((await create('203.0.113.8', ADMIN_SECRET, 'first')).data?.createTenant.tenant.name).toBe('first');
});

it('refuses more than TENANTS_PER_HOUR creations; refused names and conflicts do not count', async () => {
  // 'first' above used one of the two.
  expect(codeOf(await create('198.51.100.1', ADMIN_SECRET, '!bad name'))).toBe('BAD_USER_INPUT');
  expect(codeOf(await create('198.51.100.1', ADMIN_SECRET, 'FIRST'))).toBe('CONFLICT');
  expect((await create('198.51.100.1', ADMIN_SECRET, 'second')).data?.createTenant.tenant.name).toBe('second');
  const r = await create('198.51.100.2', ADMIN_SECRET, 'third');
  expect(codeOf(r)).toBe('QUOTA_EXCEEDED');
  expect(r.errors![0].message).toMatch(/^The limit of 2 new tenants per hour is reached; retry in \d+ s$/);
  expect(r.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
  expect(await app.db.prisma.tenant.count()).toBe(2);
});
