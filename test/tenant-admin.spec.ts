/**
 * The operator's tenant fields (admin secret): every tenant a page at a time, a tenant's API keys
 * a page at a time (tenantApiKeysConnection; the deprecated tenantApiKeys list still answers), created and revoked (audited in the tenant's log, the revoked key refused at once), and
 * `serverInfo.consoleAdminSignIn` telling the console whether to offer admin sign-in.
 */
import type { App } from '../src/app';
import { codeOf, gql, gqlOk, type Caller } from '../src/client/graphql-client';
import { loadConfig } from '../src/config';
import { startTestApp } from './support/app';
import { createTenant } from './support/factories';
import { ADMIN_SECRET } from './support/secrets';

const TENANTS =
  'query($first: Int, $after: String, $name: String) { tenants(first: $first, after: $after, name: $name) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }';
const KEYS =
  'query($t: ID!, $first: Int, $after: String, $name: String) { tenantApiKeysConnection(tenantId: $t, first: $first, after: $after, name: $name) { totalCount edges { cursor node { id name scopes revokedAt } } pageInfo { hasNextPage hasPreviousPage endCursor } } }';
const OLD_KEYS = 'query($t: ID!) { tenantApiKeys(tenantId: $t) { id name } }';
const names = (connection: { edges: { node: { name: string } }[] }) => connection.edges.map((e) => e.node.name);
const CREATE = 'mutation($t: ID!, $i: CreateApiKeyInput!) { createTenantApiKey(tenantId: $t, input: $i) { key apiKey { id name scopes } } }';
const REVOKE = 'mutation($t: ID!, $id: ID!) { revokeTenantApiKey(tenantId: $t, id: $id) { id revokedAt } }';

let app: App;
let admin: Caller;

beforeAll(async () => {
  app = await startTestApp();
  admin = { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } };
});
afterAll(() => app.stop());

it('pages every tenant, newest first, filtered by name', async () => {
  const made = [];
  for (let i = 0; i < 3; i++) made.push(await createTenant(app, `pager${i}`));
  const first = (await gqlOk(admin, TENANTS, { first: 2, name: 'pager' })).tenants;
  expect(first.totalCount).toBe(3);
  expect(first.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([made[2].tenantId, made[1].tenantId]);
  expect(first.pageInfo.hasNextPage).toBe(true);
  const second = (await gqlOk(admin, TENANTS, { first: 2, name: 'pager', after: first.pageInfo.endCursor })).tenants;
  expect(second.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([made[0].name]);
  expect(second.pageInfo.hasNextPage).toBe(false);
});

it('lists, creates and revokes a tenant’s keys; the revoked key fails at once', async () => {
  const t = await createTenant(app, 'keyed');
  const created = (await gqlOk(admin, CREATE, { t: t.tenantId, i: { name: 'reader', scopes: ['DATASETS_READ'] } })).createTenantApiKey;
  expect(created.apiKey).toMatchObject({ name: 'reader', scopes: ['DATASETS_READ'] });
  expect(created.key).toMatch(/^mk_/);
  const reader = { url: app.server.url, token: created.key };
  expect((await gqlOk(reader, '{ viewer { tenantId scopes } }')).viewer).toEqual({ tenantId: t.tenantId, scopes: ['datasets:read'] });

  const revoked = (await gqlOk(admin, REVOKE, { t: t.tenantId, id: created.apiKey.id })).revokeTenantApiKey;
  expect(revoked.revokedAt).not.toBeNull();
  expect(codeOf(await gql(reader, '{ viewer { tenantId } }'))).toBe('UNAUTHENTICATED');

  // Audited in the tenant's own log, as the operator.
  const log = (await gqlOk(t, '{ auditLogConnection(first: 5) { edges { node { action actorKind actorId targetId } } } }')).auditLogConnection.edges.map(
    (e: { node: object }) => e.node,
  );
  expect(log.slice(0, 2)).toEqual([
    { action: 'apiKey.revoked', actorKind: 'system', actorId: 'admin-secret', targetId: created.apiKey.id },
    { action: 'apiKey.created', actorKind: 'system', actorId: 'admin-secret', targetId: created.apiKey.id },
  ]);

  // A page at a time, newest first, with totalCount and a name filter; the deprecated list (oldest first) still answers.
  await gqlOk(admin, CREATE, { t: t.tenantId, i: { name: 'writer', scopes: ['DATASETS_WRITE'] } });
  const first = (await gqlOk(admin, KEYS, { t: t.tenantId, first: 2 })).tenantApiKeysConnection;
  expect([names(first), first.totalCount, first.pageInfo.hasNextPage, first.pageInfo.hasPreviousPage]).toEqual([['writer', 'reader'], 3, true, false]);
  const second = (await gqlOk(admin, KEYS, { t: t.tenantId, first: 2, after: first.pageInfo.endCursor })).tenantApiKeysConnection;
  expect([names(second), second.pageInfo.hasNextPage, second.pageInfo.hasPreviousPage]).toEqual([['initial admin key'], false, true]);
  const filtered = (await gqlOk(admin, KEYS, { t: t.tenantId, name: 'READ' })).tenantApiKeysConnection;
  expect([names(filtered), filtered.totalCount]).toEqual([['reader'], 1]);
  expect((await gqlOk(admin, OLD_KEYS, { t: t.tenantId })).tenantApiKeys.map((k: { name: string }) => k.name)).toEqual(['initial admin key', 'reader', 'writer']);
  const badCursor = await gql(admin, KEYS, { t: t.tenantId, after: 'not-a-cursor' });
  expect([codeOf(badCursor), badCursor.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'after']);
});

it('refuses without the secret, with a wrong one, for an unknown tenant and for another tenant’s key', async () => {
  const a = await createTenant(app, 'iso-a');
  const b = await createTenant(app, 'iso-b');
  expect(codeOf(await gql({ url: app.server.url, token: a.apiKey }, TENANTS, {}))).toBe('UNAUTHENTICATED');
  expect(codeOf(await gql({ url: app.server.url, headers: { 'x-admin-secret': 'not-the-secret-at-all' } }, KEYS, { t: a.tenantId }))).toBe('FORBIDDEN');
  const missing = await gql(admin, KEYS, { t: '00000000-0000-0000-0000-000000000000' });
  expect(codeOf(missing)).toBe('NOT_FOUND');
  const aKey = (await gqlOk(admin, KEYS, { t: a.tenantId })).tenantApiKeysConnection.edges[0].node.id;
  expect(codeOf(await gql(admin, REVOKE, { t: b.tenantId, id: aKey }))).toBe('NOT_FOUND');
  expect(codeOf(await gql(admin, CREATE, { t: a.tenantId, i: { name: ' ', scopes: ['ADMIN'] } }))).toBe('BAD_USER_INPUT');
});

it('serverInfo says whether the console offers admin sign-in: on by default, off in production', async () => {
  expect((await gqlOk({ url: app.server.url }, '{ serverInfo { consoleAdminSignIn } }')).serverInfo.consoleAdminSignIn).toBe(true);
  const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/x', ADMIN_SECRET, JWT_SECRET: 'j'.repeat(40) };
  expect(loadConfig({ ...base, NODE_ENV: 'production' }).CONSOLE_ADMIN_SIGN_IN).toBe(false);
  expect(loadConfig({ ...base, NODE_ENV: 'production', CONSOLE_ADMIN_SIGN_IN: 'true' }).CONSOLE_ADMIN_SIGN_IN).toBe(true);
  expect(loadConfig({ ...base, CONSOLE_ADMIN_SIGN_IN: 'false' }).CONSOLE_ADMIN_SIGN_IN).toBe(false);
});
