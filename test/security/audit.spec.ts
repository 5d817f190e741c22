/** The audit log records security-relevant actions, is readable by the tenant's admin only, and is append-only. */
import type { App } from '../../src/app';
import { codeOf, gql, gqlOk } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { KERAS_SPEC, PIMA_CSV } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { startRun, waitForRun } from '../support/training';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'audited');
});
afterAll(() => app.stop());

it('records keys, tokens, runs and version deletions, newest first', async () => {
  const k = await gqlOk(t, 'mutation { createApiKey(input: { name: "temp", scopes: [PREDICT] }) { apiKey { id } } }');
  await gqlOk(t, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: k.createApiKey.apiKey.id });
  await gqlOk(t, 'mutation { issueToken { token } }');
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const run = await startRun(t, datasetId, 'm', { ...KERAS_SPEC, epochs: 1 });
  await waitForRun(t, run.id);
  await gqlOk(t, 'mutation { deleteModelVersion(model: "m", version: 1) }');
  await gqlOk(t, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id: await uploadCsv(t, 'a,b\n1,2\n', 'scratch') });
  const log = (await gqlOk(t, '{ auditLog { action actorKind targetType targetId details } }')).auditLog;
  const actions = log.map((e: { action: string }) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining(['apiKey.created', 'apiKey.revoked', 'token.issued', 'dataset.uploaded', 'dataset.deleted', 'trainingRun.started', 'modelVersion.deleted']),
  );
  expect(actions.indexOf('dataset.deleted')).toBeLessThan(actions.indexOf('apiKey.created'));
  expect(log.find((e: { action: string }) => e.action === 'trainingRun.started')).toMatchObject({ actorKind: 'apiKey', targetType: 'TrainingRun', targetId: run.id });
  expect(JSON.stringify(log)).not.toContain(t.apiKey);
});

it('is admin-only and per tenant', async () => {
  const reader = await gqlOk(t, 'mutation { createApiKey(input: { name: "reader", scopes: [MODELS_READ] }) { key } }');
  expect(codeOf(await gql({ url: t.url, token: reader.createApiKey.key }, '{ auditLog { action } }'))).toBe('FORBIDDEN');
  const other = await createTenant(app, 'other');
  // Only its own first key, created with the tenant.
  expect((await gqlOk(other, '{ auditLog { action actorKind } }')).auditLog).toEqual([{ action: 'apiKey.created', actorKind: 'system' }]);
});

it('refuses UPDATE and DELETE at the database', async () => {
  await expect(app.db.prisma.$executeRawUnsafe(`UPDATE "AuditLog" SET action = 'forged'`)).rejects.toThrow(/append-only/);
  await expect(app.db.prisma.$executeRawUnsafe(`DELETE FROM "AuditLog"`)).rejects.toThrow(/append-only/);
});
