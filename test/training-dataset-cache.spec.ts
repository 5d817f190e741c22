/**
 * The worker's parsed-dataset cache through the API (src/jobs/dataset-tables.ts): a second run on a
 * dataset trains from the parsed copy (same model, no tensor left behind in the thread); another
 * tenant's run never gets it, even for the same bytes; deleting or archiving the dataset drops it.
 */
import { once } from 'node:events';
import type { App } from '../src/app';
import { codeOf, gql, gqlOk } from '../src/client/graphql-client';
import type { TableCache } from '../src/ml/data/table-cache';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { START_RUN, startRun, waitForRun } from './support/training';

let app: App;
let tables: TableCache;
beforeAll(async () => {
  app = await startTestApp();
  tables = app.worker!.tables!;
});
afterAll(() => app.stop());

const SPEC = { ...KERAS_SPEC, epochs: 2 };

async function train(t: TenantBundle, datasetId: string, model: string) {
  const { id } = await startRun(t, datasetId, model, SPEC);
  const final = await waitForRun(t, id);
  expect(final.status).toBe('SUCCEEDED');
  return final.modelVersion.metrics.accuracy as number;
}

const threadTensors = async () => (await app.threads.training.run('threadInfo', undefined)).tensors;

it('trains again from the parsed copy, with the same model and no tensor left behind; another tenant never gets it', async () => {
  const a = await createTenant(app, 'cache-a');
  const datasetId = await uploadCsv(a, PIMA_CSV, 'pima');
  const start = tables.stats();
  const first = await train(a, datasetId, 'first');
  expect(tables.stats()).toMatchObject({ entries: start.entries + 1, hits: start.hits, misses: start.misses + 1 });

  const tensors = await threadTensors();
  const second = await train(a, datasetId, 'second');
  expect(tables.stats()).toMatchObject({ entries: start.entries + 1, hits: start.hits + 1, misses: start.misses + 1 });
  expect(second).toBe(first); // the same seeded fit on the same table
  expect(await threadTensors()).toBe(tensors);

  // Another tenant cannot start a run on the dataset id, and its own upload of the same bytes (same
  // checksum) is parsed for it: a miss, its own entry.
  const b = await createTenant(app, 'cache-b');
  const refused = await gql(b, START_RUN, { input: { datasetId, targetColumn: 'Outcome', modelName: 'theirs', spec: SPEC } });
  expect(codeOf(refused)).toBe('NOT_FOUND');
  const own = await uploadCsv(b, PIMA_CSV, 'pima');
  await train(b, own, 'theirs');
  expect(tables.stats()).toMatchObject({ entries: start.entries + 2, hits: start.hits + 1, misses: start.misses + 2 });
});

it('drops the parsed copy when its dataset is deleted, or archived', async () => {
  const t = await createTenant(app, 'cache-drop');
  const deleted = await uploadCsv(t, PIMA_CSV, 'to-delete');
  const archived = await uploadCsv(t, PIMA_CSV, 'to-archive');
  await train(t, deleted, 'gone');
  await train(t, archived, 'kept');
  const held = tables.stats().entries;

  // Deleted: its versions go first (a dataset versions use is archived instead).
  await gqlOk(t, 'mutation { deleteModel(name: "gone") }');
  let dropped = once(tables, 'dropped');
  expect((await gqlOk(t, 'mutation($id: ID!) { deleteDataset(id: $id) }', { id: deleted })).deleteDataset).toBe(true);
  expect(await dropped).toEqual([t.tenantId, deleted, 1]);
  expect(tables.stats().entries).toBe(held - 1);

  dropped = once(tables, 'dropped');
  await gqlOk(t, 'mutation($id: ID!) { deleteDataset(id: $id, force: true) }', { id: archived });
  expect(await dropped).toEqual([t.tenantId, archived, 1]);
  expect(tables.stats().entries).toBe(held - 2);
});
