/**
 * Every metric the spec asks for is recorded per epoch and streamed (issue 14): MAE and MSE on a
 * regression run, training and validation, in the progress subscription, in the stored epochs and
 * in the version's lineage; and the warnings a version carries when its loss does not fit its
 * target or it predicts no better than chance.
 */
import type { App } from '../src/app';
import { collect, gqlOk, wsClient } from '../src/client/graphql-client';
import { rocAuc } from '../src/ml/evaluate';
import { rng, splitRows } from '../src/ml/random';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { START_RUN, startError, trainVersion } from './support/training';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'metrics');
});
afterAll(() => app.stop());

/** 300 rows of y = 3·a − 2·b + noise. */
function regressionCsv(): string {
  const r = rng(11);
  const lines = ['a,b,y'];
  for (let i = 0; i < 300; i++) {
    const a = r() * 4 - 2;
    const b = r() * 4 - 2;
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${(3 * a - 2 * b + (r() - 0.5) * 0.2).toFixed(4)}`);
  }
  return lines.join('\n');
}

const PROGRESS_METRICS = `subscription($runId: ID!) {
  trainingProgress(runId: $runId) { kind status epoch loss valLoss metrics replayed modelVersion { id } }
}`;

it('records and streams MAE and MSE per epoch, training and validation, on a regression run', async () => {
  const datasetId = await uploadCsv(t, regressionCsv(), 'linear');
  const spec = {
    layers: [
      { type: 'DENSE', units: 8, activation: 'RELU' },
      { type: 'DENSE', units: 1, activation: 'LINEAR' },
    ],
    loss: 'MEAN_SQUARED_ERROR',
    optimizer: { name: 'ADAM', learningRate: 0.01 },
    metrics: ['MAE', 'MSE'],
    epochs: 4,
    batchSize: 32,
    validationSplit: 0.2,
  };
  const started = await gqlOk<{ startTrainingRun: { id: string } }>(t, START_RUN, { input: { datasetId, targetColumn: 'y', modelName: 'linear', spec } });
  const client = wsClient(t.wsUrl, t.token);
  const events = (await collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS_METRICS, { runId: started.startTrainingRun.id }).done).map(
    (e) => e.data!.trainingProgress,
  );
  await client.dispose();
  const epochs = events.filter((e) => e.kind === 'EPOCH');
  expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
  for (const e of epochs) {
    expect(Object.keys(e.metrics).sort()).toEqual(['mae', 'mse', 'val_mae', 'val_mse']);
    // No regularisation: the MSE metric is the loss itself, and MAE ≤ √MSE (Jensen).
    expect(e.metrics.mse).toBeCloseTo(e.loss, 4);
    expect(e.metrics.val_mse).toBeCloseTo(e.valLoss, 4);
    expect(e.metrics.mae).toBeGreaterThan(0);
    expect(e.metrics.mae).toBeLessThanOrEqual(Math.sqrt(e.metrics.mse) + 1e-6);
    expect(e.metrics.val_mae).toBeLessThanOrEqual(Math.sqrt(e.metrics.val_mse) + 1e-6);
  }
  expect(epochs[3].metrics.mae).toBeLessThan(epochs[0].metrics.mae); // it learns
  const final = events[events.length - 1];
  expect(final.status).toBe('SUCCEEDED');

  // Stored with the run and copied into the version's lineage: the same numbers as streamed.
  const stored = await gqlOk<any>(t, 'query($id: ID!) { trainingRun(id: $id) { metrics { epoch metrics } } }', { id: started.startTrainingRun.id });
  expect(stored.trainingRun.metrics.map((m: any) => m.metrics)).toEqual(epochs.map((e) => e.metrics));
  const version = await gqlOk<any>(t, 'query($id: ID!) { modelVersion(id: $id) { warnings lineage { epochs { metrics } } } }', { id: final.modelVersion.id });
  expect(version.modelVersion.lineage.epochs.map((m: any) => m.metrics)).toEqual(epochs.map((e) => e.metrics));
  expect(version.modelVersion.warnings).toEqual([]);

  // A late subscriber gets the stored epochs replayed with their metrics.
  const late = wsClient(t.wsUrl, t.token);
  const replayed = (await collect<{ trainingProgress: Record<string, any> }>(late, PROGRESS_METRICS, { runId: started.startTrainingRun.id }).done).map(
    (e) => e.data!.trainingProgress,
  );
  await late.dispose();
  expect(replayed.filter((e) => e.kind === 'EPOCH').map((e) => [e.replayed, e.metrics])).toEqual(epochs.map((e) => [true, e.metrics]));
}, 120_000);

it('records ROC AUC per epoch for a binary network, training and validation; the last equals the served model on the validation rows', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima-auc');
  const spec = { ...KERAS_SPEC, metrics: ['ACCURACY', 'AUC'], epochs: 3, validationSplit: 0.2 };
  const started = await gqlOk<{ startTrainingRun: { id: string } }>(t, START_RUN, { input: { datasetId, targetColumn: 'Outcome', modelName: 'auc', spec } });
  const client = wsClient(t.wsUrl, t.token);
  const events = (await collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS_METRICS, { runId: started.startTrainingRun.id }).done).map(
    (e) => e.data!.trainingProgress,
  );
  await client.dispose();
  const epochs = events.filter((e) => e.kind === 'EPOCH');
  expect(epochs.map((e) => Object.keys(e.metrics).sort())).toEqual([
    ['auc', 'val_auc'],
    ['auc', 'val_auc'],
    ['auc', 'val_auc'],
  ]);
  // The validation rows are the seeded split's (Keras' validation_split: the end of the training rows).
  const validation = splitRows(PIMA_ROWS.length, 0.2, 0.2, 42).validation;
  const labels = PIMA_CSV.trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[8]));
  const served = await gqlOk<any>(t, PREDICT, { model: 'auc', rows: validation.map((i) => PIMA_ROWS[i]) });
  const p1 = served.predict.predictions.map((p: any) => (p.label === '1' ? p.probability : 1 - p.probability));
  expect(epochs[2].metrics.val_auc).toBeCloseTo(
    rocAuc(
      p1,
      validation.map((i) => labels[i]),
    )!,
    6,
  );
  expect(epochs[2].metrics.auc).toBeGreaterThan(0.6);
}, 120_000);

it('refuses AUC for a loss that does not train a binary classifier, naming the field', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima-auc-mse');
  const spec = { ...KERAS_SPEC, layers: [{ type: 'DENSE', units: 1, activation: 'LINEAR' }], loss: 'MEAN_SQUARED_ERROR', metrics: ['AUC'] };
  expect(await startError(t, { datasetId, targetColumn: 'Outcome', modelName: 'no-auc', spec })).toEqual({
    code: 'BAD_USER_INPUT',
    message: 'spec.metrics AUC is for binary classification (loss BINARY_CROSSENTROPY); loss MEAN_SQUARED_ERROR trains regression',
  });
});

it('warns on a version trained with a regression loss on a 0/1 target', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const spec = {
    ...KERAS_SPEC,
    layers: [
      { type: 'DENSE', units: 10, activation: 'RELU' },
      { type: 'DENSE', units: 1, activation: 'LINEAR' },
    ],
    loss: 'MEAN_SQUARED_ERROR',
    metrics: ['MAE'],
    epochs: 3,
  };
  const v = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'mse-on-binary', spec });
  expect(v.task).toBe('regression');
  const { modelVersion } = await gqlOk<any>(t, 'query($id: ID!) { modelVersion(id: $id) { warnings } }', { id: v.id });
  const mismatch = modelVersion.warnings.filter((w: string) => w.startsWith('LOSS_TARGET_MISMATCH: '));
  expect(mismatch).toEqual([
    'LOSS_TARGET_MISMATCH: the target holds only 0 and 1 but loss MEAN_SQUARED_ERROR trains a regression; for a classifier choose loss BINARY_CROSSENTROPY with a SIGMOID output (trees: task BINARY)',
  ]);
}, 120_000);

it('warns on a classifier no better than chance: constant predictions and AUC 0.5', async () => {
  // The only feature is constant, so every row gets the same output whatever the weights.
  const lines = ['x,label', ...Array.from({ length: 200 }, (_, i) => `1,${i % 2}`)];
  const datasetId = await uploadCsv(t, lines.join('\n'), 'constant');
  const spec = { ...KERAS_SPEC, layers: [{ type: 'DENSE', units: 1, activation: 'SIGMOID' }], epochs: 2 };
  const v = await trainVersion(t, { datasetId, targetColumn: 'label', modelName: 'chance', spec });
  const { modelVersion } = await gqlOk<any>(t, 'query($id: ID!) { modelVersion(id: $id) { warnings metrics { rocAuc } } }', { id: v.id });
  expect(modelVersion.metrics.rocAuc).toBe(0.5);
  expect(modelVersion.warnings).toEqual([
    'CONSTANT_PREDICTIONS: the model gives every test row the same output; it has learned nothing from the features',
    'CHANCE_AUC: test ROC AUC 0.5 is within 0.02 of 0.5, no better than chance',
  ]);
}, 120_000);
