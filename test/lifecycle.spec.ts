/**
 * Deleting without losing history (issue 14): a dataset that trained a version still in the
 * registry is refused (DATASET_IN_USE, listing the versions) unless forced, which archives it —
 * rows gone, row, checksum, lineage, runs and curves kept; deleteModel refuses while aliased
 * unless forced; every deletion is audited.
 */
import pg from 'pg';
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { PIMA_ROW } from '../src/client/reference-job';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { workerDatabaseUrl } from './support/database';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;
let db: pg.Client;

const SPEC = { ...KERAS_SPEC, epochs: 2 };
const DELETE_DATASET = 'mutation($id: ID!, $force: Boolean) { deleteDataset(id: $id, force: $force) }';
const DELETE_MODEL = 'mutation($name: String!, $force: Boolean) { deleteModel(name: $name, force: $force) }';
const SET_ALIAS = 'mutation($model: String!, $alias: String!, $version: Int!) { setModelAlias(model: $model, alias: $alias, version: $version) { name } }';

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'lifecycle');
  db = new pg.Client({ connectionString: workerDatabaseUrl() });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await app.stop();
});

const audit = async (action: string) =>
  (await gqlOk<{ auditLog: { targetId: string; details: Record<string, unknown> }[] }>(t, 'query($a: String) { auditLog(action: $a) { targetId details } }', { a: action }))
    .auditLog;

const runOf = async (versionId: string) =>
  (await gqlOk<any>(t, 'query($id: ID!) { modelVersion(id: $id) { trainingRunId } }', { id: versionId })).modelVersion.trainingRunId as string;

it('refuses to delete a dataset that trained a live version, listing it; force archives it and keeps lineage, runs and curves', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  const v1 = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'kept', spec: SPEC });
  await gqlOk(t, SET_ALIAS, { model: 'kept', alias: 'production', version: 1 });

  const refused = await gql(t, DELETE_DATASET, { id: datasetId });
  expect(refused.errors?.[0].extensions).toMatchObject({
    code: 'DATASET_IN_USE',
    field: 'id',
    datasetId,
    totalVersions: 1,
    versions: [{ model: 'kept', version: 1, aliases: ['production'] }],
  });
  expect(refused.errors?.[0].message).toContain('kept@1 (production)');
  const before = (await db.query(`SELECT "sizeBytes", checksum FROM "Dataset" WHERE id = $1`, [datasetId])).rows[0];
  expect(before.sizeBytes).toBe(Buffer.byteLength(PIMA_CSV));

  expect((await gqlOk<{ deleteDataset: boolean }>(t, DELETE_DATASET, { id: datasetId, force: true })).deleteDataset).toBe(true);
  // Hidden; the row stays, archived, with its checksum and profile, and its rows until the purge
  // (DATASET_ARCHIVE_RETENTION_DAYS: test/dataset-archive.spec.ts).
  const row = (await db.query(`SELECT length(content)::int AS bytes, "sizeBytes", "rowCount", checksum, "archivedAt" FROM "Dataset" WHERE id = $1`, [datasetId])).rows[0];
  expect(row).toMatchObject({ bytes: before.sizeBytes, sizeBytes: before.sizeBytes, rowCount: 768, checksum: before.checksum });
  expect(row.archivedAt).toBeInstanceOf(Date);
  expect((await gql(t, 'query($id: ID!) { dataset(id: $id) { id } }', { id: datasetId })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await gqlOk<{ datasets: { id: string }[] }>(t, '{ datasets { id } }')).datasets.map((d) => d.id)).not.toContain(datasetId);
  const again = await gql(t, 'mutation($input: StartTrainingRunInput!) { startTrainingRun(input: $input) { id } }', {
    input: { datasetId, targetColumn: 'Outcome', modelName: 'again', spec: SPEC },
  });
  expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  // The version keeps serving, its lineage and its run's curve.
  const lineage = (
    await gqlOk<any>(t, 'query($id: ID!) { modelVersion(id: $id) { lineage { dataset { state checksum archivedAt rowCount } epochs { epoch loss } } } }', { id: v1.id })
  ).modelVersion.lineage;
  expect(lineage.dataset).toMatchObject({ state: 'ARCHIVED', checksum: before.checksum, rowCount: 768 });
  expect(lineage.epochs.map((e: any) => e.epoch)).toEqual([1, 2]);
  const run = await gqlOk<any>(t, 'query($id: ID!) { trainingRun(id: $id) { status metrics { epoch loss } } }', { id: await runOf(v1.id) });
  expect(run.trainingRun).toEqual({ status: 'SUCCEEDED', metrics: lineage.epochs });
  const predicted = await gqlOk<any>(t, PREDICT, { model: 'kept', rows: [PIMA_ROW] });
  expect(predicted.predict.version).toBe(1);

  const [entry] = await audit('dataset.archived');
  expect(entry).toMatchObject({ targetId: datasetId, details: { name: 'pima', checksum: before.checksum, totalVersions: 1 } });
  // Archived: nothing left to delete.
  expect((await gql(t, DELETE_DATASET, { id: datasetId, force: true })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
}, 120_000);

it('deletes a dataset no version was trained on (with its runs), audited', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'scratch');
  const v = await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'scratch', spec: SPEC });
  const runId = await runOf(v.id);
  await gqlOk(t, 'mutation { deleteModelVersion(model: "scratch", version: 1) }');
  expect((await gqlOk<{ deleteDataset: boolean }>(t, DELETE_DATASET, { id: datasetId })).deleteDataset).toBe(true);
  expect((await db.query(`SELECT count(*)::int AS n FROM "Dataset" WHERE id = $1`, [datasetId])).rows[0].n).toBe(0);
  expect((await db.query(`SELECT count(*)::int AS n FROM "TrainingRun" WHERE id = $1`, [runId])).rows[0].n).toBe(0);
  expect((await audit('dataset.deleted')).map((e) => e.targetId)).toContain(datasetId);
}, 120_000);

it('refuses deleteModel while an alias points at a version; force deletes aliases and versions, keeps the runs, audited', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'for-model');
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'doomed', spec: SPEC });
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'doomed', spec: SPEC });
  await gqlOk(t, SET_ALIAS, { model: 'doomed', alias: 'production', version: 1 });

  const refused = await gql(t, DELETE_MODEL, { name: 'doomed' });
  expect(refused.errors?.[0].extensions).toMatchObject({ code: 'MODEL_IN_USE', field: 'name', model: 'doomed', totalAliases: 1, aliases: [{ alias: 'production', version: 1 }] });
  expect((await gqlOk<any>(t, PREDICT, { model: 'doomed', rows: [PIMA_ROW] })).predict.version).toBe(2);

  expect((await gqlOk<{ deleteModel: boolean }>(t, DELETE_MODEL, { name: 'doomed', force: true })).deleteModel).toBe(true);
  expect((await gql(t, 'query { model(name: "doomed") { id } }')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  // Its runs still name the model, but they ended: predict answers NOT_FOUND as model(name:) does,
  // by name, alias and version alike (the resolutions cached before the delete are gone).
  const SELECTED =
    'query($model: String!, $version: Int, $alias: String, $rows: [JSONObject!]!) { predict(model: $model, version: $version, alias: $alias, rows: $rows) { version } }';
  for (const selector of [{}, { alias: 'production' }, { version: 2 }]) {
    const r = await gql(t, SELECTED, { model: 'doomed', ...selector, rows: [PIMA_ROW] });
    expect([selector, r.errors?.[0].extensions?.code, r.errors?.[0].message]).toEqual([selector, 'NOT_FOUND', "Model 'doomed' not found"]);
  }
  const [entry] = await audit('model.deleted');
  expect(entry.details).toEqual({ name: 'doomed', versions: [2, 1], aliases: ['production'], forced: true });
  // Its runs and their curves stay.
  expect((await db.query(`SELECT count(*)::int AS n FROM "EpochMetric" m JOIN "TrainingRun" r ON r.id = m."trainingRunId" WHERE r."modelName" = 'doomed'`)).rows[0].n).toBe(4);
  // Without versions in the registry any more, the dataset deletes without force.
  expect((await gqlOk<{ deleteDataset: boolean }>(t, DELETE_DATASET, { id: datasetId })).deleteDataset).toBe(true);
}, 120_000);

it('deletes a model without aliases without force; an unknown model is NOT_FOUND', async () => {
  const datasetId = await uploadCsv(t, PIMA_CSV, 'plain');
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'plain', spec: SPEC });
  expect((await gqlOk<{ deleteModel: boolean }>(t, DELETE_MODEL, { name: 'plain' })).deleteModel).toBe(true);
  const r = await gql(t, DELETE_MODEL, { name: 'plain' });
  expect(r.errors?.[0]).toMatchObject({ message: "Model 'plain' not found", extensions: { code: 'NOT_FOUND' } });
}, 120_000);

it("refuses to delete a recommender's item-metadata dataset while the version reads titles from it", async () => {
  const ratings = ['user,item,rating', ...Array.from({ length: 120 }, (_, k) => `u${k % 12},m${(k * 7) % 10},${1 + (k % 5)}`)].join('\n');
  const items = ['movie,name', ...Array.from({ length: 10 }, (_, i) => `m${i},Film ${i}`)].join('\n');
  const ratingsId = await uploadCsv(t, ratings, 'ratings');
  const itemsId = (await uploadOk(t, 'items.csv', items, { hasHeader: true })).id;
  await trainVersion(t, {
    datasetId: ratingsId,
    targetColumn: 'rating',
    modelName: 'films',
    spec: {
      model: 'MATRIX_FACTORIZATION',
      epochs: 3,
      matrixFactorization: { userColumn: 'user', itemColumn: 'item', factors: 4, itemMetadata: { datasetId: itemsId, idColumn: 'movie', titleColumn: 'name' } },
    },
  });
  const refused = await gql(t, DELETE_DATASET, { id: itemsId });
  expect(refused.errors?.[0].extensions).toMatchObject({ code: 'DATASET_IN_USE', datasetId: itemsId, totalVersions: 1, versions: [{ model: 'films', version: 1, aliases: [] }] });
  expect(refused.errors?.[0].message).toContain('reading item or user metadata from it');
  await gqlOk(t, 'mutation { deleteModelVersion(model: "films", version: 1) }');
  expect((await gqlOk<{ deleteDataset: boolean }>(t, DELETE_DATASET, { id: itemsId })).deleteDataset).toBe(true);
}, 120_000);
