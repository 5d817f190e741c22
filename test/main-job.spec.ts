/**
 * The main job end to end over real HTTP and websocket: tenant, upload, the Keras reference run,
 * every progress event in order, the version and its metrics, predictions equal to an offline
 * computation from the stored artifact, and no tensor leaks.
 */
import type { App } from '../src/app';
import { loadArtifact } from '../src/ml/families/network/artifact';
import type { FittedPipeline } from '../src/ml/preprocess/types';
import { tf } from '../src/ml/tf';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, type TenantBundle } from './support/factories';
import { PROGRESS, startRun } from './support/training';
import { collect, gqlOk, uploadFile, wsClient } from '../src/client/graphql-client';

let app: App;
let alice: TenantBundle;
let datasetId: string;
let runId: string;
let events: Record<string, any>[];

const PREDICT = `query($rows: [JSONObject!]!, $version: Int) {
  predict(model: "diabetes", version: $version, rows: $rows) { modelName version predictions { label probability probabilities } }
}`;

const rowsOf = (csv: string, n: number) => {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header.split(',');
  return lines.slice(0, n).map((l) =>
    Object.fromEntries(
      l
        .split(',')
        .slice(0, 8)
        .map((v, j) => [names[j], Number(v)]),
    ),
  );
};

beforeAll(async () => {
  app = await startTestApp();
  alice = await createTenant(app, 'alice');
});
afterAll(() => app.stop());

it('uploads the Pima CSV as a multipart file and profiles it', async () => {
  const result = await uploadFile(alice, 'pima', 'pima-diabetes.csv', PIMA_CSV);
  expect(result.errors).toBeUndefined();
  const ds = result.data!.uploadDataset;
  datasetId = ds.id;
  expect(ds).toMatchObject({ name: 'pima', filename: 'pima-diabetes.csv', rowCount: 768, hasHeader: true, sizeBytes: Buffer.byteLength(PIMA_CSV) });
  expect(ds.columns.map((c: { name: string }) => c.name)).toEqual([
    'Pregnancies',
    'Glucose',
    'BloodPressure',
    'SkinThickness',
    'Insulin',
    'BMI',
    'DiabetesPedigreeFunction',
    'Age',
    'Outcome',
  ]);
  const glucose = ds.columns.find((c: { name: string }) => c.name === 'Glucose');
  // Reference: pima-indians-diabetes.names §10 gives mean 120.9, std 32.0, max 199.
  expect(glucose).toMatchObject({ type: 'numeric', min: 0, max: 199, missing: 0 });
  expect(glucose!.mean).toBeCloseTo(120.89, 2);
  expect(glucose!.std).toBeCloseTo(31.95, 1);
});

it('starts the Keras reference run in QUEUED and streams every epoch, then the new version', async () => {
  const client = wsClient(alice.wsUrl, alice.token);
  const run = await startRun(alice, datasetId, 'diabetes');
  runId = run.id;
  expect(run.status).toBe('QUEUED');
  const results = await collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS, { runId }).done;
  await client.dispose();
  events = results.map((r) => r.data!.trainingProgress);
  expect(events.map((e) => e.kind)).toEqual([...Array(10).fill('EPOCH'), 'FINAL']);
  expect(events.slice(0, 10).map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const e of events.slice(0, 10)) {
    expect(e.epochs).toBe(10);
    expect(e.loss).toBeGreaterThan(0);
    expect(e.accuracy).toBeGreaterThan(0.3);
    expect(e.elapsedMs).toBeGreaterThan(0);
  }
  expect(events[9].loss).toBeLessThan(events[0].loss);
  const final = events[10];
  expect(final.status).toBe('SUCCEEDED');
  expect(final.modelVersion).toMatchObject({ version: 1, modelName: 'diabetes' });
  // 20 % of 768 rows held out. The Keras program scores 0.68-0.77 over five seeds (80/20 split, standardised).
  expect(final.modelVersion.metrics.testRows).toBe(154);
  expect(final.modelVersion.metrics.accuracy).toBeGreaterThanOrEqual(0.7);
});

it('stores the run with its metric history and the version with its test metrics', async () => {
  const data = await gqlOk(
    alice,
    `query($id: ID!) { trainingRun(id: $id) {
      status attempts startedAt finishedAt featureColumns spec
      metrics { epoch loss accuracy elapsedMs }
      modelVersion { version task framework features { name mean std } target { name classes }
        metrics { accuracy precision recall f1 rocAuc logLoss confusionMatrix } } } }`,
    { id: runId },
  );
  const run = data.trainingRun;
  expect(run.status).toBe('SUCCEEDED');
  expect(run.attempts).toBe(1);
  expect(run.featureColumns).toHaveLength(8);
  expect(run.spec).toMatchObject({ epochs: 10, batchSize: 32, loss: 'binary_crossentropy', testFraction: 0.2, seed: 42 });
  expect(run.metrics.map((m: { epoch: number; loss: number }) => [m.epoch, m.loss])).toEqual(events.slice(0, 10).map((e) => [e.epoch, e.loss]));
  const v = run.modelVersion;
  expect(v).toMatchObject({ version: 1, task: 'binary', framework: 'tfjs-layers', target: { name: 'Outcome', classes: ['0', '1'] } });
  const cm: number[][] = v.metrics.confusionMatrix;
  expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(154);
  expect((cm[0][0] + cm[1][1]) / 154).toBeCloseTo(v.metrics.accuracy, 10);
  expect(v.metrics.rocAuc).toBeGreaterThan(0.7);

  const models = await gqlOk(alice, '{ models { name latestVersion { version } versions { version metrics { accuracy } } } }');
  expect(models.models).toEqual([{ name: 'diabetes', latestVersion: { version: 1 }, versions: [{ version: 1, metrics: { accuracy: v.metrics.accuracy } }] }]);
});

it('predicts what the stored artifact computes offline for the same rows', async () => {
  const rows = rowsOf(PIMA_CSV, 20);
  const data = await gqlOk(alice, PREDICT, { rows });
  expect(data.predict).toMatchObject({ modelName: 'diabetes', version: 1 });

  // Offline: the stored weights and statistics, applied by hand.
  const stored = await app.db.prisma.modelVersion.findFirstOrThrow({ where: { tenantId: alice.tenantId } });
  const pipeline = stored.preprocessing as unknown as FittedPipeline;
  const model = await loadArtifact({ topology: stored.topology as Record<string, unknown>, weights: Buffer.from(stored.weights) });
  const scale = pipeline.columns.map((c) => c.steps.find((s) => s.op === 'standardize') as { mean: number; std: number });
  const x = rows.map((r) => pipeline.columns.map((c, j) => ((r[c.name] as number) - scale[j].mean) / scale[j].std));
  const offline = tf.tidy(() => Array.from((model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync()));
  model.dispose();

  data.predict.predictions.forEach((p: { label: string; probability: number; probabilities: number[] }, i: number) => {
    expect(p.probabilities[1]).toBeCloseTo(offline[i], 6);
    expect(p.label).toBe(offline[i] >= 0.5 ? '1' : '0');
  });
});

it('does not grow the tensor count across 1,000 predictions or another training run', async () => {
  const rows = rowsOf(PIMA_CSV, 1);
  await gqlOk(alice, PREDICT, { rows }); // model loaded in the cache before counting
  const before = tf.memory().numTensors;
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(Array.from({ length: 50 }, () => gqlOk(alice, PREDICT, { rows })));
  }
  expect(tf.memory().numTensors).toBe(before);

  // Training runs on a training thread, with its own TF.js engine: it must not grow either.
  const threadBefore = (await app.threads.training.run('threadInfo', undefined)).tensors;
  const client = wsClient(alice.wsUrl, alice.token);
  const run = await startRun(alice, datasetId, 'diabetes', { ...KERAS_SPEC, epochs: 3 });
  const done = await collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS, { runId: run.id }).done;
  await client.dispose();
  expect(done[done.length - 1].data!.trainingProgress.modelVersion.version).toBe(2);
  expect(tf.memory().numTensors).toBe(before);
  expect((await app.threads.training.run('threadInfo', undefined)).tensors).toBe(threadBefore);

  // version 1 still answers when asked for; the default is now version 2
  expect((await gqlOk(alice, PREDICT, { rows, version: 1 })).predict.version).toBe(1);
  expect((await gqlOk(alice, PREDICT, { rows })).predict.version).toBe(2);
});

it('replays a finished run to a late subscriber, ending with FINAL', async () => {
  const client = wsClient(alice.wsUrl, alice.token);
  const late = await collect<{ trainingProgress: Record<string, any> }>(client, PROGRESS, { runId }).done;
  await client.dispose();
  expect(late.map((r) => r.data!.trainingProgress.epoch ?? 'FINAL')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'FINAL']);
});
