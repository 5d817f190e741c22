/** API key lifecycle: scopes, listing without secrets, expiry, revocation (HTTP and open websockets). */
import type { App } from '../../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { PIMA_CSV, SLOW_NETWORK } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { PROGRESS, startRun } from '../support/training';

let app: App;
let t: TenantBundle;
const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name prefix scopes expiresAt revokedAt } } }';

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'keys');
});
afterAll(() => app.stop());

it('creates scoped keys, shown once and listed by prefix only', async () => {
  const created = await gqlOk(t, CREATE, { input: { name: 'reader', scopes: ['MODELS_READ', 'PREDICT'] } });
  const { key, apiKey } = created.createApiKey;
  expect(key).toMatch(new RegExp(`^mk_${apiKey.prefix}_`));
  expect(apiKey).toMatchObject({ name: 'reader', scopes: ['MODELS_READ', 'PREDICT'], expiresAt: null, revokedAt: null });
  const list = await gqlOk(t, '{ apiKeys { name prefix scopes } }');
  expect(list.apiKeys.map((k: { name: string }) => k.name)).toEqual(['initial admin key', 'reader']);
  expect(JSON.stringify(list)).not.toContain(key);

  const reader = { url: t.url, token: key };
  expect((await gqlOk(reader, '{ models { name } }')).models).toEqual([]);
  const upload = await gql(reader, 'mutation { uploadDataset(name: "x", csv: "a,b\\n1,2\\n") { id } }');
  expect(codeOf(upload)).toBe('FORBIDDEN');
  expect(upload.errors![0].message).toBe('This credential lacks the DATASETS_WRITE scope');
  const admin = await gql(reader, '{ apiKeys { id } }');
  expect(codeOf(admin)).toBe('FORBIDDEN');
});

it('refuses bad key input with the field named', async () => {
  const none = await gql(t, CREATE, { input: { name: 'x', scopes: [] } });
  expect(codeOf(none)).toBe('BAD_USER_INPUT');
  expect(none.errors![0].message).toBe('scopes is empty: give the key at least one scope');
  const past = await gql(t, CREATE, { input: { name: 'x', scopes: ['PREDICT'], expiresAt: '2020-01-01T00:00:00.000Z' } });
  expect(codeOf(past)).toBe('BAD_USER_INPUT');
  expect(past.errors![0].message).toBe('expiresAt 2020-01-01T00:00:00.000Z is in the past');
});

it('an expired key fails at once', async () => {
  // Long enough for the three calls below on a busy machine; the test then waits for the expiry itself.
  const expiresAt = Date.now() + 5000;
  const created = await gqlOk(t, CREATE, { input: { name: 'short', scopes: ['PREDICT'], expiresAt: new Date(expiresAt).toISOString() } });
  const short = { url: t.url, token: created.createApiKey.key };
  expect((await gqlOk(short, '{ viewer { kind } }')).viewer.kind).toBe('apiKey');
  const token = (await gqlOk(short, 'mutation { issueToken { token expiresAt } }')).issueToken;
  expect(new Date(token.expiresAt).getTime()).toBeLessThanOrEqual(new Date(created.createApiKey.apiKey.expiresAt).getTime());
  await new Promise((r) => setTimeout(r, expiresAt + 100 - Date.now())); // the expiry itself is what is tested
  for (const credential of [created.createApiKey.key, token.token]) {
    const r = await gql({ url: t.url, token: credential }, '{ viewer { kind } }');
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.errors![0].message).toMatch(/has expired/);
  }
});

it('a revoked key fails at once, its JWTs too, and its open subscriptions are closed', async () => {
  const created = await gqlOk(t, CREATE, { input: { name: 'doomed', scopes: ['ADMIN'] } });
  const doomed = { url: t.url, token: created.createApiKey.key };
  const jwt = (await gqlOk(doomed, 'mutation { issueToken { token } }')).issueToken.token;
  const datasetId = await uploadCsv(doomed, PIMA_CSV, 'pima');
  const run = await startRun(doomed, datasetId, 'long', { ...SLOW_NETWORK, epochs: 1000 });

  const client = wsClient(t.wsUrl, doomed.token);
  const stream = collect(client, PROGRESS, { runId: run.id });
  const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
  await new Promise<void>((resolve) => client.on('connected', () => resolve()));

  await gqlOk(t, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: created.createApiKey.apiKey.id });
  expect(await closed).toBe(4401);
  await stream.done.catch(() => undefined);
  await client.dispose();

  for (const credential of [doomed.token, jwt]) {
    const r = await gql({ url: t.url, token: credential }, '{ viewer { kind } }');
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.errors![0].message).toBe('Authentication failed: the API key has been revoked');
  }
  await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { status } }', { id: run.id });
});

it('answers NOT_FOUND for revoking a key of another tenant', async () => {
  const other = await createTenant(app, 'other');
  const otherKey = await app.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: other.tenantId } });
  const r = await gql(t, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: otherKey.id });
  expect(codeOf(r)).toBe('NOT_FOUND');
  expect((await gqlOk(other, '{ viewer { kind } }')).viewer.kind).toBe('apiKey');
});
