/**
 * A model whose scoring fails does not take down other tenants' predictions (issue #10, item 1,
 * serving side): the failing call gets MODEL_NOT_READY (coded, not INTERNAL_SERVER_ERROR), the
 * version is unloaded and loaded afresh by the next request, and another tenant's model keeps
 * predicting throughout. The fault is made real by disposing the version's loaded network under
 * the cache (as a runtime that lost the model's tensors would), not by a mock.
 */
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { PIMA_ROW } from '../src/client/reference-job';
import type { ServedModel } from '../src/modules/serving/served-model';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';

let app: App;
beforeAll(async () => (app = await startTestApp()));
afterAll(() => app.stop());

async function tenantWithModel(prefix: string): Promise<{ t: TenantBundle; versionId: string }> {
  const t = await createTenant(app, prefix);
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const version = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'diabetes', spec: { ...KERAS_SPEC, epochs: 2 } });
  return { t, versionId: version.id };
}

const predict = (t: TenantBundle) => gql(t, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] });

it('fails only the faulty version’s call with MODEL_NOT_READY, reloads it, and other tenants keep predicting', async () => {
  const a = await tenantWithModel('faulty');
  const b = await tenantWithModel('healthy');
  const expectedA = (await gqlOk(a.t, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] })).predict.predictions;
  const expectedB = (await gqlOk(b.t, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] })).predict.predictions;

  // Break tenant A's loaded model in this process' cache.
  const served = await app.services.modelCache.get(a.versionId, a.t.tenantId, async (): Promise<ServedModel> => {
    throw new Error('expected the version to be cached');
  });
  // Counted against its tenant's share of the cache (MODEL_CACHE_TENANT_SHARE), not the other's.
  expect(app.services.modelCache.bytesOf(a.t.tenantId)).toBe(served.bytes);
  expect(app.services.modelCache.tenantBudget).toBe(Math.floor(512 * 1024 * 1024 * 0.5)); // the defaults: MODEL_CACHE_BYTES × MODEL_CACHE_TENANT_SHARE
  served.dispose();

  const failed = await predict(a.t);
  expect(failed.errors?.[0]?.extensions?.code).toBe('MODEL_NOT_READY');
  expect(failed.errors?.[0]?.message).toBe(`Model version '${a.versionId}' failed while scoring; it was unloaded and is loaded afresh on the next request`);
  expect(failed.errors?.[0]?.extensions?.retryAfterSeconds).toBe(1);

  // The other tenant never noticed; the faulty version is loaded afresh and predicts as before.
  expect((await gqlOk(b.t, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] })).predict.predictions).toEqual(expectedB);
  expect((await gqlOk(a.t, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] })).predict.predictions).toEqual(expectedA);
  const health = await fetch(app.server.url.replace('/graphql', '/healthz'));
  expect(health.status).toBe(200); // one model's fault is not a runtime abort
});
