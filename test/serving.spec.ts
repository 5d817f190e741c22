/**
 * Serving: micro-batching returns each caller its own rows bit for bit, a bad row fails only its
 * own request, a version is loaded once for concurrent callers, the bulk FeatureMatrix input
 * equals row objects, aliases can be moved and versions deleted under traffic without a failed
 * request or a mixed answer, and /metrics, /healthz and /readyz answer.
 */
import type { App } from '../src/app';
import { codeOf, gql, gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startTraffic } from './support/traffic';
import { startRun, waitForRun } from './support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;

const names = PIMA_COLUMNS;
const ROWS = PIMA_ROWS;
const PREDICT = `query($model: String!, $version: Int, $alias: String, $rows: [JSONObject!], $matrix: FeatureMatrix) {
  predict(model: $model, version: $version, alias: $alias, rows: $rows, matrix: $matrix) { version modelVersionId predictions { label probability probabilities } } }`;

beforeAll(async () => {
  // Micro-batching on the scoring thread is what this spec checks: small calls would otherwise score
  // on the API thread unbatched (INLINE_SCORING_MAX_MACS; test/inline-scoring.spec.ts).
  app = await startTestApp({ BATCH_MAX_ROWS: '64', BATCH_MAX_WAIT_MS: '5', INLINE_SCORING_MAX_MACS: '0' });
  t = await createTenant(app, 'serving');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  for (const epochs of [3, 4]) {
    const run = await startRun(t, datasetId, 'served', { ...KERAS_SPEC, epochs });
    expect((await waitForRun(t, run.id)).status).toBe('SUCCEEDED');
  }
});
afterAll(() => app.stop());

it('gives each concurrent caller exactly its own rows, equal to unbatched answers bit for bit', async () => {
  const one = async (i: number) => (await gqlOk(t, PREDICT, { model: 'served', version: 1, rows: [ROWS[i]] })).predict.predictions[0];
  const sequential = [];
  for (let i = 0; i < 40; i++) sequential.push(await one(i));
  const missesBefore = app.services.modelCache.snapshot().misses;
  const concurrent = await Promise.all(Array.from({ length: 40 }, (_, i) => one(i)));
  expect(concurrent).toEqual(sequential); // toEqual on floats from JSON: exact equality
  expect(app.services.modelCache.snapshot().misses).toBe(missesBefore);
  const metrics = await (await fetch(t.url.replace('/graphql', '/metrics'))).text();
  const sum = Number(/maas_predict_batch_rows_sum (\d+)/.exec(metrics)![1]);
  const count = Number(/maas_predict_batch_rows_count (\d+)/.exec(metrics)![1]);
  expect(sum / count).toBeGreaterThan(1); // some calls were batched together
});

it('fails only the request with the bad row', async () => {
  const calls = Array.from({ length: 20 }, (_, i) => gql(t, PREDICT, { model: 'served', rows: i === 7 ? [{ ...ROWS[i], BMI: 'heavy' }] : [ROWS[i]] }));
  const results = await Promise.all(calls);
  results.forEach((r, i) => {
    if (i === 7) {
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].message).toMatch(/BMI/);
    } else expect(r.data!.predict.predictions).toHaveLength(1);
  });
});

it('answers a FeatureMatrix exactly like the same rows as objects', async () => {
  const rows = ROWS.slice(0, 300);
  const matrix = { columns: names.slice(0, 8), rows: rows.map((r) => names.slice(0, 8).map((n) => r[n])) };
  const [a, b] = await Promise.all([gqlOk(t, PREDICT, { model: 'served', rows }), gqlOk(t, PREDICT, { model: 'served', matrix })]);
  expect(b.predict.predictions).toEqual(a.predict.predictions);
  const bad = await gql(t, PREDICT, { model: 'served', matrix: { columns: ['Glucose'], rows: [[1, 2]] } });
  expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  expect(bad.errors![0].message).toBe('matrix.rows[0] must be a list of 1 values (one per column), got 2');
  const both = await gql(t, PREDICT, { model: 'served', rows, matrix });
  expect(both.errors![0].message).toBe('predict takes exactly one of `rows` and `matrix`');
});

it('moves an alias under traffic: no request fails, none mixes versions', async () => {
  await gqlOk(t, 'mutation { setModelAlias(model: "served", alias: "production", version: 1) { version } }');
  const v1 = (await gqlOk(t, PREDICT, { model: 'served', version: 1, rows: ROWS.slice(0, 5) })).predict.predictions;
  const v2 = (await gqlOk(t, PREDICT, { model: 'served', version: 2, rows: ROWS.slice(0, 5) })).predict.predictions;
  expect(v1).not.toEqual(v2);
  const traffic = startTraffic(async () => {
    const seen: number[] = [];
    const batch = await Promise.all(Array.from({ length: 10 }, () => gql(t, PREDICT, { model: 'served', alias: 'production', rows: ROWS.slice(0, 5) })));
    for (const r of batch) {
      expect(r.errors).toBeUndefined();
      const { version, predictions } = r.data!.predict;
      expect(predictions).toEqual(version === 1 ? v1 : v2); // one version per call, never a mix
      seen.push(version);
    }
    return seen;
  });
  for (const version of [2, 1, 2]) {
    await gqlOk(t, 'mutation($v: Int!) { setModelAlias(model: "served", alias: "production", version: $v) { version } }', { v: version });
    await traffic.round((seen) => seen.includes(version)); // traffic has been answered by each target
  }
  const seen = (await traffic.stop()).flat();
  expect(new Set(seen)).toEqual(new Set([1, 2]));
  const after = await gqlOk(t, PREDICT, { model: 'served', alias: 'production', rows: ROWS.slice(0, 1) });
  expect(after.predict.version).toBe(2);
  const aliases = await gqlOk(t, '{ model(name: "served") { aliases { name version } versions { version aliases } } }');
  expect(aliases.model.aliases).toEqual([{ name: 'production', version: 2 }]);
  expect(aliases.model.versions).toEqual([
    { version: 2, aliases: ['production'] },
    { version: 1, aliases: [] },
  ]);
});

it('refuses to delete an aliased version, and deletes another under traffic without a failed request', async () => {
  const aliased = await gql(t, 'mutation { deleteModelVersion(model: "served", version: 2) }');
  expect(codeOf(aliased)).toBe('CONFLICT');
  expect(aliased.errors![0].message).toBe("Version 2 of model 'served' is the target of alias 'production'; move or delete the alias first");

  const traffic = startTraffic(async () => {
    const batch = await Promise.all(Array.from({ length: 10 }, () => gql(t, PREDICT, { model: 'served', rows: ROWS.slice(0, 2) })));
    for (const r of batch) expect(r.errors).toBeUndefined();
    return batch.length;
  });
  await traffic.round(); // traffic is flowing before the delete
  expect((await gqlOk(t, 'mutation { deleteModelVersion(model: "served", version: 1) }')).deleteModelVersion).toBe(true);
  await traffic.round(); // and a round started after it has been answered
  const n = (await traffic.stop()).reduce((a, b) => a + b, 0);
  expect(n).toBeGreaterThan(10);
  const gone = await gql(t, PREDICT, { model: 'served', version: 1, rows: ROWS.slice(0, 1) });
  expect(codeOf(gone)).toBe('NOT_FOUND');
});

it('exposes health, readiness and Prometheus metrics', async () => {
  const base = t.url.replace('/graphql', '');
  expect(await (await fetch(`${base}/healthz`)).json()).toEqual({
    status: 'ok',
    scoring: { isolation: 'thread', threads: 1, running: expect.any(Number), faults: 0, retries: expect.any(Number), quarantined: 0 },
  });
  expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
  const text = await (await fetch(`${base}/metrics`)).text();
  for (const name of [
    'maas_graphql_requests_total{operation="predict",outcome="ok"}',
    'maas_graphql_request_duration_seconds_bucket',
    'maas_predictions_total ',
    'maas_predict_batch_rows_bucket',
    'maas_queue_depth{task="training-run"}',
    'maas_training_runs{status="SUCCEEDED"}',
    'maas_model_cache_bytes',
    'maas_model_cache_hits_total',
    'maas_tf_tensors',
    'maas_process_resident_memory_bytes',
  ]) {
    expect([name, text.includes(name)]).toEqual([name, true]);
  }
  // No label names a tenant (or its models) unless METRICS_TENANT_LABELS=true.
  for (const secret of [t.tenantId, 'tenant=']) {
    expect([secret, text.includes(secret)]).toEqual([secret, false]);
  }
});

it('warms a fresh process with alias targets and latest versions when asked', async () => {
  await app.services.modelCache.clear();
  const loaded = await app.services.predict.warm();
  expect(loaded).toBeGreaterThanOrEqual(1);
  const before = app.services.modelCache.snapshot();
  await gqlOk(t, PREDICT, { model: 'served', alias: 'production', rows: ROWS.slice(0, 1) });
  expect(app.services.modelCache.snapshot().misses).toBe(before.misses); // served from the warmed cache
});
