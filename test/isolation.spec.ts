/**
 * Two tenants: B, holding A's ids, gets NOT_FOUND for every one of A's datasets, runs, models,
 * versions, predictions and progress streams, and empty lists; nothing of A is changed.
 */
import type { App } from '../src/app';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PROGRESS, startRun, waitForRun } from './support/training';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';

let app: App;
let a: TenantBundle;
let b: TenantBundle;
let ids: { dataset: string; run: string; version: string };

beforeAll(async () => {
  app = await startTestApp();
  a = await createTenant(app, 'a');
  b = await createTenant(app, 'b');
  const dataset = await uploadCsv(a, PIMA_CSV, 'pima');
  const run = await startRun(a, dataset, 'secret-model', { ...KERAS_SPEC, epochs: 2 });
  const final = await waitForRun(a, run.id);
  ids = { dataset, run: run.id, version: final.modelVersion.id };
});
afterAll(() => app.stop());

const ROW = { Pregnancies: 1, Glucose: 100, BloodPressure: 70, SkinThickness: 20, Insulin: 80, BMI: 30, DiabetesPedigreeFunction: 0.5, Age: 30 };

it.each([
  ['dataset', 'query($id: ID!) { dataset(id: $id) { id } }', () => ({ id: ids.dataset }), () => `Dataset '${ids.dataset}' not found`],
  ['deleteDataset', 'mutation($id: ID!) { deleteDataset(id: $id) }', () => ({ id: ids.dataset }), () => `Dataset '${ids.dataset}' not found`],
  ['deleteDataset with force', 'mutation($id: ID!) { deleteDataset(id: $id, force: true) }', () => ({ id: ids.dataset }), () => `Dataset '${ids.dataset}' not found`],
  ['deleteModel with force', 'mutation { deleteModel(name: "secret-model", force: true) }', () => ({}), () => "Model 'secret-model' not found"],
  ['reproduce', 'mutation($id: ID!) { reproduce(versionId: $id) { id } }', () => ({ id: ids.version }), () => `Model version '${ids.version}' not found`],
  ['trainingRun', 'query($id: ID!) { trainingRun(id: $id) { id } }', () => ({ id: ids.run }), () => `Training run '${ids.run}' not found`],
  ['cancelTrainingRun', 'mutation($id: ID!) { cancelTrainingRun(id: $id) { id } }', () => ({ id: ids.run }), () => `Training run '${ids.run}' not found`],
  ['model', 'query { model(name: "secret-model") { id } }', () => ({}), () => "Model 'secret-model' not found"],
  ['modelVersion', 'query($id: ID!) { modelVersion(id: $id) { id } }', () => ({ id: ids.version }), () => `Model version '${ids.version}' not found`],
  ['predict', 'query($rows: [JSONObject!]!) { predict(model: "secret-model", rows: $rows) { version } }', () => ({ rows: [ROW] }), () => "Model 'secret-model' not found"],
  [
    'startTrainingRun on their dataset',
    'mutation($input: StartTrainingRunInput!) { startTrainingRun(input: $input) { id } }',
    () => ({ input: { datasetId: ids.dataset, targetColumn: 'Outcome', modelName: 'stolen', spec: KERAS_SPEC } }),
    () => `Dataset '${ids.dataset}' not found`,
  ],
])("B gets NOT_FOUND for A's %s, like for an id that does not exist", async (_field, query, vars, message) => {
  const r = await gql(b, query, vars());
  expect(codeOf(r)).toBe('NOT_FOUND');
  expect(r.errors![0].message).toBe(message());
  expect(r.data ?? null).toBeNull();
});

it('B sees none of A in lists', async () => {
  const data = await gqlOk(b, '{ datasets { id } trainingRuns { id } models { id } }');
  expect(data).toEqual({ datasets: [], trainingRuns: [], models: [] });
});

it("B cannot subscribe to A's run", async () => {
  const client = wsClient(b.wsUrl, b.token);
  const events = await collect(client, PROGRESS, { runId: ids.run }).done;
  await client.dispose();
  expect(events).toHaveLength(1);
  expect(codeOf(events[0])).toBe('NOT_FOUND');
  expect(events[0].errors![0].message).toBe(`Training run '${ids.run}' not found`);
});

it("A's data is intact and still A's", async () => {
  const data = await gqlOk(a, 'query($id: ID!) { dataset(id: $id) { rowCount } trainingRun(id: $id2) { status } }'.replace('$id: ID!', '$id: ID!, $id2: ID!'), {
    id: ids.dataset,
    id2: ids.run,
  });
  expect(data).toEqual({ dataset: { rowCount: 768 }, trainingRun: { status: 'SUCCEEDED' } });
  const p = await gqlOk(a, 'query($rows: [JSONObject!]!) { predict(model: "secret-model", rows: $rows) { version } }', { rows: [ROW] });
  expect(p.predict.version).toBe(1);
});
