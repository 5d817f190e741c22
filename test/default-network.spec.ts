/**
 * startTrainingRun with a spec that leaves the network to the server (`spec: {}`, what `maas train`
 * sends without --spec): the target's task picks the layers and loss of the network family's
 * example (src/modules/training/default-network.ts), for a multiclass and a regression target;
 * the caller's other fields are kept; layers without a loss are still refused; a target that fits
 * no task, and an unknown target, are refused as for any run.
 */
import type { App } from '../src/app';
import { collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import fs from 'node:fs';
import path from 'node:path';

const IRIS = fs.readFileSync(path.join(__dirname, '../data/iris.csv'), 'utf8');
/** y = 2x + 1 with a little noise: a regression target (non-integer numbers). */
const LINE = ['x,y', ...Array.from({ length: 120 }, (_, i) => `${i / 10},${(2 * (i / 10) + 1 + ((i * 7) % 5) / 100).toFixed(3)}`)].join('\n');

const START = 'mutation($input: StartTrainingRunInput!) { startTrainingRun(input: $input) { id spec } }';

let app: App;
let t: TenantBundle;
beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'default-net');
});
afterAll(() => app.stop());

async function finished(id: string) {
  const client = wsClient(t.wsUrl, t.token);
  await collect(client, 'subscription($id: ID!) { trainingProgress(runId: $id) { kind } }', { id }).done;
  await client.dispose();
  return (await gqlOk(t, 'query($id: ID!) { trainingRun(id: $id) { status failureMessage modelVersion { metrics { accuracy rmse } } } }', { id })).trainingRun;
}

const layersOf = (spec: { layers: { units: number; activation: string }[] }) => spec.layers.map((l) => [l.units, l.activation]);

it('a multiclass target gets softmax units for its classes and sparse categorical cross-entropy, and trains', async () => {
  const datasetId = await uploadCsv(t, IRIS, 'iris');
  const { startTrainingRun: run } = await gqlOk(t, START, { input: { datasetId, targetColumn: 'species', modelName: 'iris', spec: { epochs: 30, seed: 7 } } });
  expect(run.spec).toMatchObject({ model: 'neural_network', loss: 'sparse_categorical_crossentropy', epochs: 30, seed: 7, batchSize: 32 });
  expect(layersOf(run.spec)).toEqual([
    [8, 'relu'],
    [3, 'softmax'],
  ]);
  const done = await finished(run.id);
  expect(done.status).toBe('SUCCEEDED');
  expect(done.modelVersion.metrics.accuracy).toBeGreaterThan(0.5);
});

it('a regression target gets a linear unit and mean squared error', async () => {
  const datasetId = await uploadCsv(t, LINE, 'line');
  const { startTrainingRun: run } = await gqlOk(t, START, { input: { datasetId, targetColumn: 'y', modelName: 'line', spec: {} } });
  expect(run.spec).toMatchObject({ loss: 'mean_squared_error', metrics: ['mse'] });
  expect(layersOf(run.spec)).toEqual([
    [8, 'relu'],
    [1, 'linear'],
  ]);
  expect((await finished(run.id)).status).toBe('SUCCEEDED');
});

it('spec.task chooses the task; layers without a loss, a target that fits no task and an unknown target are refused', async () => {
  const datasetId = await uploadCsv(t, LINE, 'line-2');
  const asked = await gql(t, START, { input: { datasetId, targetColumn: 'y', modelName: 'l2', spec: { task: 'BINARY' } } });
  expect(asked.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'spec.task' } });
  expect(asked.errors?.[0].message).toMatch(/^Task BINARY needs a target with 2 classes; column 'y' has \d+/);

  const layers = await gql(t, START, { input: { datasetId, targetColumn: 'y', modelName: 'l2', spec: { layers: [{ type: 'DENSE', units: 1 }] } } });
  expect(layers.errors?.[0]).toMatchObject({ message: 'spec.loss is required for a neural network', extensions: { code: 'BAD_USER_INPUT' } });

  const typo = await gql(t, START, { input: { datasetId, targetColumn: 'Y', modelName: 'l2', spec: {} } });
  expect(typo.errors?.[0].message).toMatch(/^targetColumn 'Y' is not a column of the dataset \(did you mean 'y'\?\)/);
});
