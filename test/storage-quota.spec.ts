/**
 * Review F12: one storage quota (maxDatasetBytes, QUOTA_DATASET_BYTES) counts everything a tenant
 * stores — datasets, model artifacts, batch results, and the batches in progress at their
 * estimate — shown in myLimits.storage; past it, uploads, training runs and batch predictions are
 * refused with QUOTA_EXCEEDED (reason STORAGE), and deleteBatchPrediction frees a result.
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient, type Caller } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { ADMIN_SECRET } from './support/secrets';
import { START_RUN, trainVersion } from './support/training';

const STORAGE = '{ myLimits { maxDatasetBytes storage { datasetBytes modelArtifactBytes batchResultBytes pendingBatchResultBytes totalBytes limitBytes } } }';
const SET = 'mutation($t: ID!, $l: TenantLimitsInput!) { setTenantLimits(tenantId: $t, limits: $l) { maxDatasetBytes } }';
const BATCH = 'mutation($d: ID!) { startBatchPrediction(model: "trees", datasetId: $d) { id } }';
/** The first 200 Pima rows: 9 columns. */
const CSV = PIMA_CSV.trim().split('\n').slice(0, 201).join('\n');

let app: App;
let admin: Caller;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  admin = { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } };
  t = await createTenant(app, 'storage');
});
afterAll(() => app.stop());

const storage = async () => (await gqlOk(t, STORAGE)).myLimits.storage as Record<string, number>;
const setLimit = (bytes: number) => gqlOk(admin, SET, { t: t.tenantId, l: { maxDatasetBytes: bytes } });
const usedText = (s: Record<string, number>) => `${s.totalBytes} used: datasets ${s.datasetBytes}, model artifacts ${s.modelArtifactBytes}, batch results ${s.batchResultBytes}`;

it('counts datasets, model artifacts and batch results against one quota, refuses each kind of write past it, and frees a deleted batch', async () => {
  const datasetId = await uploadCsv(t, CSV, 'pima-200');
  const version = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'trees', spec: { model: 'RANDOM_FOREST', tree: { nEstimators: 5 }, seed: 3 } });
  const [stored] = await app.db.prisma.$queryRaw<{ bytes: bigint }[]>`
    SELECT octet_length(weights) + pg_column_size(topology) AS bytes FROM "ModelVersion" WHERE id = ${version.id}`;
  const afterTraining = await storage();
  expect(afterTraining).toEqual({
    datasetBytes: Buffer.byteLength(CSV),
    modelArtifactBytes: Number(stored.bytes),
    batchResultBytes: 0,
    pendingBatchResultBytes: 0,
    totalBytes: Buffer.byteLength(CSV) + Number(stored.bytes),
    limitBytes: 1024 ** 3,
  });
  expect(afterTraining.modelArtifactBytes).toBeGreaterThan(1000); // five trees

  // A batch whose estimated result (a quoted copy of the cells plus the predictions) does not fit.
  const estimate = Buffer.byteLength(CSV) + 200 * (2 * 9 + 128);
  await setLimit(afterTraining.totalBytes + estimate - 1);
  const refused = await gql(t, BATCH, { d: datasetId });
  expect(refused.errors?.[0]).toMatchObject({
    message: `This batch's result (about ${estimate} bytes) would exceed the storage quota of ${afterTraining.totalBytes + estimate - 1} bytes (${usedText(afterTraining)}); delete datasets, model versions or batch predictions first`,
    path: ['startBatchPrediction'],
    extensions: { code: 'QUOTA_EXCEEDED', reason: 'STORAGE', limit: afterTraining.totalBytes + estimate - 1, used: afterTraining.totalBytes },
  });
  expect((await gqlOk(t, '{ batchPredictionsConnection(first: 5) { totalCount } }')).batchPredictionsConnection.totalCount).toBe(0);

  // With room, it runs; its two CSVs are counted as stored.
  await setLimit(afterTraining.totalBytes + estimate);
  const batchId = (await gqlOk(t, BATCH, { d: datasetId })).startBatchPrediction.id as string;
  const ws = wsClient(t.wsUrl, t.token);
  await collect(ws, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id: batchId }).done;
  await ws.dispose();
  const row = await app.db.prisma.batchPrediction.findUniqueOrThrow({ where: { id: batchId } });
  const resultBytes = row.result!.length + row.predictionsOnly!.length;
  expect(resultBytes).toBeLessThanOrEqual(estimate);
  const full = await storage();
  expect(full).toMatchObject({ batchResultBytes: resultBytes, pendingBatchResultBytes: 0, totalBytes: afterTraining.totalBytes + resultBytes });

  // Nothing left: a run, an upload and another batch are refused, naming what is stored.
  await setLimit(full.totalBytes);
  const run = await gql(t, START_RUN, { input: { datasetId, targetColumn: 'Outcome', modelName: 'more', spec: { model: 'DECISION_TREE' } } });
  expect([codeOf(run), run.errors?.[0].message, run.errors?.[0].extensions?.reason]).toEqual([
    'QUOTA_EXCEEDED',
    `This run's model version would exceed the storage quota of ${full.totalBytes} bytes (${usedText(full)}); delete datasets, model versions or batch predictions first`,
    'STORAGE',
  ]);
  const upload = await gql(t, 'mutation($csv: String!) { uploadDataset(name: "tiny", csv: $csv) { id } }', { csv: 'a,b\n1,2' });
  expect([codeOf(upload), upload.errors?.[0].message]).toEqual([
    'QUOTA_EXCEEDED',
    `Storing 7 more bytes would exceed the storage quota of ${full.totalBytes} bytes (${usedText(full)}); delete datasets, model versions or batch predictions first`,
  ]);
  expect(codeOf(await gql(t, BATCH, { d: datasetId }))).toBe('QUOTA_EXCEEDED');

  // Deleting the batch frees its result: the run fits again.
  const missing = await gql(t, 'mutation { deleteBatchPrediction(id: "no-such-batch") }');
  expect([codeOf(missing), missing.errors?.[0].message]).toEqual(['NOT_FOUND', "Batch prediction 'no-such-batch' not found"]);
  expect((await gqlOk(t, 'mutation($id: ID!) { deleteBatchPrediction(id: $id) }', { id: batchId })).deleteBatchPrediction).toBe(true);
  expect(await storage()).toMatchObject({ batchResultBytes: 0, totalBytes: afterTraining.totalBytes });
  expect(codeOf(await gql(t, 'query($id: ID!) { batchPrediction(id: $id) { id } }', { id: batchId }))).toBe('NOT_FOUND');
  expect((await gqlOk(t, START_RUN, { input: { datasetId, targetColumn: 'Outcome', modelName: 'more', spec: { model: 'DECISION_TREE' } } })).startTrainingRun.id).toBeTruthy();
});

it("counts a batch in progress at its estimate until it stores its result, and leaves another tenant's storage alone", async () => {
  const other = await createTenant(app, 'storage-other');
  expect((await gqlOk(other, STORAGE)).myLimits.storage).toEqual({
    datasetBytes: 0,
    modelArtifactBytes: 0,
    batchResultBytes: 0,
    pendingBatchResultBytes: 0,
    totalBytes: 0,
    limitBytes: 1024 ** 3,
  });
  await setLimit(1024 ** 3);
  const datasetId = (await gqlOk(t, '{ datasetsConnection(first: 1, name: "pima-200") { edges { node { id } } } }')).datasetsConnection.edges[0].node.id as string;
  const ws = wsClient(t.wsUrl, t.token);
  let batchId = '';
  // The dataset's row held (as an archive's update holds it; new batches of it may still be stored):
  // the batch cannot store its result until it is released.
  await app.db.prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Dataset" WHERE id = ${datasetId} FOR NO KEY UPDATE`;
      batchId = (await gqlOk(t, BATCH, { d: datasetId })).startBatchPrediction.id;
      expect(await storage()).toMatchObject({ pendingBatchResultBytes: Buffer.byteLength(CSV) + 200 * (2 * 9 + 128), batchResultBytes: 0 });
    },
    { timeout: 60_000 },
  );
  await collect(ws, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id: batchId }).done;
  await ws.dispose();
  const row = await app.db.prisma.batchPrediction.findUniqueOrThrow({ where: { id: batchId } });
  expect(await storage()).toMatchObject({ pendingBatchResultBytes: 0, batchResultBytes: row.result!.length + row.predictionsOnly!.length });
});

it('fails a batch whose real result passes the quota as it is built (its estimate fitting), storing nothing', async () => {
  const u = await createTenant(app, 'storage-batch');
  const setOwn = (bytes: number) => gqlOk(admin, SET, { t: u.tenantId, l: { maxDatasetBytes: bytes } });
  // Labels of 64 characters: each row's predictions take ~190 bytes in the two CSVs, not the 128 estimated.
  const label = (i: number) => (i % 2 ? 'A' : 'B').repeat(64);
  const training = ['a,b,y', ...Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 5},${label(i)}`)].join('\n') + '\n';
  const trainId = await uploadCsv(u, training, 'long-labels');
  const spec = {
    layers: [
      { type: 'DENSE', units: 4, activation: 'RELU' },
      { type: 'DENSE', units: 2, activation: 'SOFTMAX' },
    ],
    loss: 'CATEGORICAL_CROSSENTROPY',
    optimizer: { name: 'ADAM' },
    epochs: 1,
  };
  await trainVersion(u, { datasetId: trainId, targetColumn: 'y', modelName: 'labels', spec });
  const rows = 10_000;
  const csv = ['a,b', ...Array.from({ length: rows }, (_, i) => `${i % 7},${i % 5}`)].join('\n') + '\n';
  const datasetId = await uploadCsv(u, csv, 'to-score');
  const before = (await gqlOk(u, STORAGE)).myLimits.storage as Record<string, number>;
  // Exactly room for the estimate, so startBatchPrediction accepts the batch.
  const limit = before.totalBytes + Buffer.byteLength(csv) + rows * (2 * 2 + 128);
  await setOwn(limit);
  const batchId = (await gqlOk(u, 'mutation($d: ID!) { startBatchPrediction(model: "labels", datasetId: $d) { id } }', { d: datasetId })).startBatchPrediction.id as string;
  const ws = wsClient(u.wsUrl, u.token);
  const events = await collect<{ batchPredictionProgress: { status: string; processedRows: number } }>(
    ws,
    'subscription($id: ID!) { batchPredictionProgress(id: $id) { status processedRows } }',
    { id: batchId },
  ).done;
  await ws.dispose();
  // The FAILED event says the rows the stored row says (review 5: it said 0).
  expect(events.at(-1)?.data?.batchPredictionProgress).toEqual({ status: 'FAILED', processedRows: 6000 });
  const batch = (await gqlOk(u, 'query($id: ID!) { batchPrediction(id: $id) { status failureCode failureMessage processedRows downloadPath } }', { id: batchId })).batchPrediction;
  expect([batch.status, batch.failureCode, batch.downloadPath]).toEqual(['FAILED', 'QUOTA_EXCEEDED', null]);
  // Stopped early: the chunk of rows 6001-8000 (2,000 a chunk) is the first whose bytes do not fit.
  expect(batch.processedRows).toBe(6000);
  expect(batch.failureMessage).toMatch(
    new RegExp(
      `^Storing this batch's result \\((at least )?\\d+ bytes[^)]*, after 8000 of 10000 rows\\) would exceed the storage quota of ${limit} bytes \\(${usedText(before)}\\); delete datasets, model versions or batch predictions first$`,
    ),
  );
  const [stored] = await app.db.prisma.$queryRaw<{ result: number | null; only: number | null }[]>`
    SELECT octet_length(result) AS result, octet_length("predictionsOnly") AS only FROM "BatchPrediction" WHERE id = ${batchId}`;
  expect(stored).toEqual({ result: null, only: null });
  expect((await gqlOk(u, STORAGE)).myLimits.storage).toMatchObject({ batchResultBytes: 0, pendingBatchResultBytes: 0, totalBytes: before.totalBytes });
});
