/**
 * Batch prediction as a job: every dataset row scored by a version, progress streamed, the CSV
 * downloadable by the same tenant only, and equal to predict on the same rows.
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startRun, waitForRun } from './support/training';

let app: App;
let t: TenantBundle;
let datasetId: string;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'batch');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  expect((await waitForRun(t, (await startRun(t, datasetId, 'diabetes', { ...KERAS_SPEC, epochs: 2 })).id)).status).toBe('SUCCEEDED');
});
afterAll(() => app.stop());

it('scores every row, streams progress, and serves the CSV to its tenant only', async () => {
  const started = await gqlOk(t, 'mutation($d: ID!) { startBatchPrediction(model: "diabetes", datasetId: $d) { id status rowCount downloadPath } }', { d: datasetId });
  const batch = started.startBatchPrediction;
  expect(batch).toMatchObject({ status: 'QUEUED', rowCount: 768, downloadPath: null });

  const client = wsClient(t.wsUrl, t.token);
  const events = await collect<{ batchPredictionProgress: Record<string, any> }>(
    client,
    'subscription($id: ID!) { batchPredictionProgress(id: $id) { status processedRows rowCount } }',
    { id: batch.id },
  ).done;
  await client.dispose();
  const last = events[events.length - 1].data!.batchPredictionProgress;
  expect(last).toEqual({ status: 'SUCCEEDED', processedRows: 768, rowCount: 768 });

  const done = (await gqlOk(t, 'query($id: ID!) { batchPrediction(id: $id) { status processedRows downloadPath } }', { id: batch.id })).batchPrediction;
  expect(done).toEqual({ status: 'SUCCEEDED', processedRows: 768, downloadPath: `/batch-predictions/${batch.id}.csv` });
  const base = t.url.replace('/graphql', '');
  const res = await fetch(base + done.downloadPath, { headers: { authorization: `Bearer ${t.token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/csv/);
  const lines = (await res.text()).trim().split('\n');
  expect(lines).toHaveLength(769);
  expect(lines[0]).toBe('Pregnancies,Glucose,BloodPressure,SkinThickness,Insulin,BMI,DiabetesPedigreeFunction,Age,Outcome,predicted_label,predicted_probability');

  // Equal to predict on the same raw rows.
  const [header, ...rows] = PIMA_CSV.trim().split('\n');
  const names = header.split(',');
  const sample = rows.slice(0, 5).map((l) => Object.fromEntries(l.split(',').map((v, j) => [names[j], Number(v)])));
  const direct = (await gqlOk(t, 'query($rows: [JSONObject!]!) { predict(model: "diabetes", rows: $rows) { predictions { label probability } } }', { rows: sample })).predict
    .predictions;
  lines.slice(1, 6).forEach((line, i) => {
    const cells = line.split(',');
    expect(cells[9]).toBe(direct[i].label);
    expect(Number(cells[10])).toBeCloseTo(direct[i].probability, 6);
  });

  // Another tenant: 404 on the download, NOT_FOUND on the query.
  const other = await createTenant(app, 'other');
  expect((await fetch(base + done.downloadPath, { headers: { authorization: `Bearer ${other.token}` } })).status).toBe(404);
  expect((await fetch(base + done.downloadPath)).status).toBe(401);
  expect(codeOf(await gql(other, 'query($id: ID!) { batchPrediction(id: $id) { id } }', { id: batch.id }))).toBe('NOT_FOUND');
});

it('refuses an unknown dataset or model with NOT_FOUND', async () => {
  const noDataset = await gql(t, 'mutation { startBatchPrediction(model: "diabetes", datasetId: "nope") { id } }');
  expect(codeOf(noDataset)).toBe('NOT_FOUND');
  expect(noDataset.errors![0].message).toBe("Dataset 'nope' not found");
  const noModel = await gql(t, 'mutation($d: ID!) { startBatchPrediction(model: "nope", datasetId: $d) { id } }', { d: datasetId });
  expect(codeOf(noModel)).toBe('NOT_FOUND');
});
