/**
 * Lineage through the API (issue 14): a version records how it was made (spec, dataset checksum,
 * split with its test rows, platform and backend, epoch history, test metrics, who, when);
 * reproduce(versionId) gives the same test metrics; the lineage is immutable and isolated per
 * tenant; an older version shows what is known.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { splitRows } from '../src/ml/random';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { workerDatabaseUrl } from './support/database';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { mnistSubset, uploadImagesOk } from './support/images';
import { trainVersion, waitForRun } from './support/training';

export const LINEAGE_FIELDS = `lineage {
  recorded spec targetColumn featureColumns
  dataset { id name checksum rowCount state archivedAt }
  split { seed testFraction validationSplit stratify orderedSplit rows { train validation test } testRowRanges testRowIndexes }
  preprocessingFormat platformVersion tfBackend
  epochs { epoch loss accuracy valLoss valAccuracy elapsedMs metrics }
  testMetrics { accuracy rocAuc logLoss testRows }
  startedBy { kind id }
  timings { queuedAt startedAt finishedAt queuedMs trainingMs totalMs }
  reproducesVersionId
}`;

const SPEC = { ...KERAS_SPEC, epochs: 6, validationSplit: 0.1 };
const PIMA_ROWS = PIMA_CSV.trim().split('\n').length - 1;

let app: App;
let t: TenantBundle;
let other: TenantBundle;
let db: pg.Client;
let datasetId: string;
let v1: Record<string, any>;

const lineageOf = async (who: TenantBundle, id: string) => gql(who, `query($id: ID!) { modelVersion(id: $id) { id version warnings ${LINEAGE_FIELDS} } }`, { id });
const REPRODUCE = 'mutation($id: ID!) { reproduce(versionId: $id) { id status modelName } }';

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'lineage');
  other = await createTenant(app, 'lineage-other');
  db = new pg.Client({ connectionString: workerDatabaseUrl() });
  await db.connect();
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const trained = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'diabetes', spec: SPEC });
  v1 = (await lineageOf(t, trained.id)).data!.modelVersion;
}, 120_000);
afterAll(async () => {
  await db.end();
  await app.stop();
});

it('records the spec, the dataset checksum, the split with its test rows, platform, history, metrics, who and when', async () => {
  const checksum = crypto.createHash('sha256').update(Buffer.from(PIMA_CSV, 'utf8')).digest('hex');
  const ds = await gqlOk<{ dataset: { checksum: string } }>(t, 'query($id: ID!) { dataset(id: $id) { checksum } }', { id: datasetId });
  expect(ds.dataset.checksum).toBe(checksum);
  const l = v1.lineage;
  expect(l.recorded).toBe(true);
  expect(l.spec).toMatchObject({ model: 'neural_network', loss: 'binary_crossentropy', epochs: 6, seed: 42, testFraction: 0.2, validationSplit: 0.1, batchSize: 32 });
  expect(l.targetColumn).toBe('Outcome');
  expect(l.featureColumns).toHaveLength(8);
  expect(l.dataset).toEqual({ id: datasetId, name: 'pima', checksum, rowCount: PIMA_ROWS, state: 'LIVE', archivedAt: null });
  // The test rows are exactly the seeded split's (Pima has no missing targets: data row = split index).
  const expected = splitRows(PIMA_ROWS, 0.2, 0.1, 42).test.sort((a, b) => a - b);
  expect(l.split).toMatchObject({ seed: 42, testFraction: 0.2, validationSplit: 0.1, stratify: false, orderedSplit: false });
  expect(l.split.rows).toEqual({ train: 553, validation: 61, test: 154 });
  expect(l.split.testRowIndexes).toEqual(expected);
  expect(l.split.testRowRanges.split(',').length).toBeLessThanOrEqual(154);
  expect(l.preprocessingFormat).toBe('maas-pipeline/1');
  const info = await gqlOk<{ serverInfo: { version: string; tfBackend: string } }>(t, '{ serverInfo { version tfBackend } }');
  expect(l.platformVersion).toBe(info.serverInfo.version);
  expect(l.tfBackend).toBe(info.serverInfo.tfBackend);
  // The history is the run's, epoch for epoch.
  const run = await gqlOk<{ trainingRun: { metrics: Record<string, unknown>[] } }>(
    t,
    'query($id: ID!) { trainingRun(id: $id) { metrics { epoch loss accuracy valLoss valAccuracy elapsedMs metrics } } }',
    { id: (await gqlOk<any>(t, 'query($id: ID!) { modelVersion(id: $id) { trainingRunId } }', { id: v1.id })).modelVersion.trainingRunId },
  );
  expect(l.epochs).toHaveLength(6);
  expect(l.epochs).toEqual(run.trainingRun.metrics);
  expect(l.testMetrics.testRows).toBe(154);
  const keys = await gqlOk<{ apiKeys: { id: string }[] }>(t, '{ apiKeys { id } }');
  expect(l.startedBy).toEqual({ kind: 'apiKey', id: keys.apiKeys[0].id });
  const { queuedAt, startedAt, finishedAt, queuedMs, trainingMs, totalMs } = l.timings;
  expect(Date.parse(startedAt) - Date.parse(queuedAt)).toBe(queuedMs);
  expect(Date.parse(finishedAt) - Date.parse(startedAt)).toBe(trainingMs);
  expect(totalMs).toBe(queuedMs + trainingMs);
  expect(trainingMs).toBeGreaterThan(0);
  expect(l.reproducesVersionId).toBeNull();
  expect(v1.warnings).toEqual([]);
});

it('reproduce(versionId) trains a new version with the same test metrics on the same backend', async () => {
  const started = await gqlOk<{ reproduce: { id: string; modelName: string } }>(t, REPRODUCE, { id: v1.id });
  expect(started.reproduce.modelName).toBe('diabetes');
  const final = await waitForRun(t, started.reproduce.id);
  expect(final.status).toBe('SUCCEEDED');
  const v2 = (await lineageOf(t, final.modelVersion.id)).data!.modelVersion;
  expect(v2.version).toBe(2);
  expect(v2.lineage.reproducesVersionId).toBe(v1.id);
  expect(v2.lineage.spec).toEqual(v1.lineage.spec);
  expect(v2.lineage.tfBackend).toBe(v1.lineage.tfBackend);
  expect(v2.lineage.split.testRowIndexes).toEqual(v1.lineage.split.testRowIndexes);
  // Seeded split, shuffling and initialisers: the same numbers, not just close ones.
  expect(v2.lineage.testMetrics).toEqual(v1.lineage.testMetrics);
  expect(v2.lineage.epochs.map((e: any) => e.loss)).toEqual(v1.lineage.epochs.map((e: any) => e.loss));
}, 120_000);

it.each([
  ['RANDOM_FOREST', { nEstimators: 20, maxDepth: 8, maxFeatures: 0.7 }],
  ['GRADIENT_BOOSTING', { nEstimators: 20, subsample: 0.8 }],
])(
  'reproduces a seeded %s (stratified split) to the same test metrics',
  async (model, tree) => {
    const spec = { model, tree, stratify: true, seed: 7 };
    const first = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: `trees-${model}`, spec });
    const started = await gqlOk<{ reproduce: { id: string } }>(t, REPRODUCE, { id: first.id });
    const final = await waitForRun(t, started.reproduce.id);
    const [a, b] = await Promise.all([lineageOf(t, first.id), lineageOf(t, final.modelVersion.id)]);
    const [la, lb] = [a.data!.modelVersion.lineage, b.data!.modelVersion.lineage];
    expect(la.split).toMatchObject({ seed: 7, stratify: true });
    expect(lb.split.testRowIndexes).toEqual(la.split.testRowIndexes);
    expect(la.testMetrics.rocAuc).toBeGreaterThan(0.75);
    expect(lb.testMetrics).toEqual(la.testMetrics);
  },
  120_000,
);

it('records the test images of a CNN and reproduces it to the same test metrics', async () => {
  const { images, labels } = mnistSubset(120);
  const ds = await uploadImagesOk(t, { format: 'MNIST_IDX', images, labels, name: 'mnist-120' });
  const { dataset } = await gqlOk<{ dataset: { checksum: string } }>(t, 'query($id: ID!) { dataset(id: $id) { checksum } }', { id: ds.id });
  const spec = {
    model: 'CONVOLUTIONAL_NETWORK',
    layers: [
      { type: 'CONV2D', filters: 4, kernelSize: 3, activation: 'RELU' },
      { type: 'MAX_POOLING2D' },
      { type: 'FLATTEN' },
      { type: 'DENSE', units: 10, activation: 'SOFTMAX' },
    ],
    epochs: 2,
    batchSize: 16,
  };
  const first = await trainVersion(t, { datasetId: ds.id, targetColumn: 'label', modelName: 'digits', spec });
  const started = await gqlOk<{ reproduce: { id: string } }>(t, REPRODUCE, { id: first.id });
  const final = await waitForRun(t, started.reproduce.id);
  const [a, b] = await Promise.all([lineageOf(t, first.id), lineageOf(t, final.modelVersion.id)]);
  const [la, lb] = [a.data!.modelVersion.lineage, b.data!.modelVersion.lineage];
  expect(la.dataset).toMatchObject({ id: ds.id, checksum: dataset.checksum, rowCount: 120 });
  expect(dataset.checksum).toMatch(/^[0-9a-f]{64}$/);
  expect(la.split.testRowIndexes).toEqual(splitRows(120, 0.2, 0, 42).test.sort((x, y) => x - y));
  expect(lb.testMetrics).toEqual(la.testMetrics);
  expect(lb.epochs.map((e: any) => e.loss)).toEqual(la.epochs.map((e: any) => e.loss));
}, 180_000);

it('refuses to reproduce when the dataset content changed (checksum), naming both checksums', async () => {
  const id = await uploadCsv(t, PIMA_CSV, 'pima-copy');
  const trained = await trainVersion(t, { datasetId: id, targetColumn: 'Outcome', modelName: 'copy', spec: { ...SPEC, epochs: 1 } });
  await db.query(`UPDATE "Dataset" SET checksum = 'feedbeef' WHERE id = $1`, [id]);
  const r = await gql(t, REPRODUCE, { id: trained.id });
  expect(r.errors?.[0].extensions).toMatchObject({ code: 'DATASET_CHANGED', field: 'datasetId', actualChecksum: 'feedbeef' });
  expect(r.errors?.[0].extensions?.expectedChecksum).toMatch(/^[0-9a-f]{64}$/);
}, 120_000);

it('keeps the lineage immutable: the database refuses to change it', async () => {
  await expect(db.query(`UPDATE "ModelVersion" SET lineage = '{}'::jsonb WHERE id = $1`, [v1.id])).rejects.toThrow(/immutable/);
  await db.query(`UPDATE "ModelVersion" SET "createdAt" = "createdAt" WHERE id = $1`, [v1.id]); // other columns stay writable
});

it("answers NOT_FOUND for another tenant's version, to read its lineage or reproduce it", async () => {
  const read = await lineageOf(other, v1.id);
  expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const r = await gql(other, REPRODUCE, { id: v1.id });
  expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
});

it('shows what is known of a version published before lineage was recorded, null for the rest', async () => {
  const id = crypto.randomUUID();
  await db.query(
    `INSERT INTO "ModelVersion" (id, "tenantId", "modelId", version, task, framework, topology, weights, "inputSchema", "outputSchema", preprocessing, metrics, "datasetId")
     SELECT $2, "tenantId", "modelId", 99, task, framework, topology, weights, "inputSchema", "outputSchema", preprocessing, metrics, "datasetId" FROM "ModelVersion" WHERE id = $1`,
    [v1.id, id],
  );
  const old = (await lineageOf(t, id)).data!.modelVersion.lineage;
  expect(old).toMatchObject({ recorded: false, spec: null, split: null, platformVersion: null, tfBackend: null, epochs: null, startedBy: null, timings: null });
  expect(old.dataset).toMatchObject({ id: datasetId, state: 'LIVE', checksum: v1.lineage.dataset.checksum });
  expect(old.testMetrics).toEqual(v1.lineage.testMetrics);
  const r = await gql(t, REPRODUCE, { id });
  expect(r.errors?.[0].extensions).toMatchObject({ code: 'INVALID_STATE', field: 'versionId' });
  await db.query(`DELETE FROM "ModelVersion" WHERE id = $1`, [id]);
});
