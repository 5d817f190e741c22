/**
 * Exports are built on a data thread and kept (review F6: a 100-tree forest's export held the event
 * loop 2–5 s for every tenant, and was rebuilt on every request):
 * - every format of every family that exports (network tfjs + onnx, forest and boosting json +
 *   onnx) downloads the files the in-process builder (`exportVersion`, the code the route ran
 *   before) makes of the stored version, byte for byte, in the same order, in an archive of the
 *   same length (only the ZIP entries' modification times may differ);
 * - while a large forest's export builds, another tenant's /healthz and GraphQL query are answered
 *   before the export is (ordering, not times);
 * - a second export of the same version and format is not rebuilt, concurrent identical exports
 *   share one build, and deleting a version drops its kept archives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { withTenant } from '../src/lib/tenant-tx';
import { exportVersion, type ExportFormat } from '../src/ml/export/bundle';
import { readPipeline } from '../src/ml/preprocess/stored';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { download } from './support/export';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';

let app: App;
let t: TenantBundle;
let other: TenantBundle;
let pima: string;

const NETWORK = {
  layers: [{ type: 'DENSE', units: 16, activation: 'RELU' }, { type: 'BATCH_NORMALIZATION' }, { type: 'DROPOUT', rate: 0.2 }, { type: 'DENSE', units: 1, activation: 'SIGMOID' }],
  loss: 'BINARY_CROSSENTROPY',
  optimizer: { name: 'ADAM', learningRate: 0.01 },
  epochs: 2,
  seed: 1,
};
// California housing, regression, leaves of one row: ~3,000 nodes per tree, a ~6 MB trees.json.
const HOUSING_CSV = fs
  .readFileSync(path.join(__dirname, '..', 'data', 'california-housing.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, 6001)
  .join('\n');
const BIG_FOREST = { model: 'RANDOM_FOREST', tree: { nEstimators: 60, maxDepth: 30, minSamplesLeaf: 1, minSamplesSplit: 2 }, seed: 1 };

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'exp-threads');
  other = await createTenant(app, 'exp-threads-other');
  pima = await uploadCsv(t, PIMA_CSV, 'pima');
  const housing = await uploadCsv(t, HOUSING_CSV, 'housing');
  await trainVersion(t, { datasetId: pima, targetColumn: 'Outcome', modelName: 'net', spec: NETWORK });
  await trainVersion(t, { datasetId: pima, targetColumn: 'Outcome', modelName: 'forest', spec: { model: 'RANDOM_FOREST', tree: { nEstimators: 5, maxDepth: 6 }, seed: 1 } });
  await trainVersion(t, {
    datasetId: pima,
    targetColumn: 'Outcome',
    modelName: 'boost',
    spec: { model: 'GRADIENT_BOOSTING', tree: { nEstimators: 20, maxLeafNodes: 15 }, seed: 1 },
  });
  await trainVersion(t, { datasetId: housing, targetColumn: 'median_house_value', modelName: 'big', spec: BIG_FOREST });
});
afterAll(() => app.stop());

const builds = () => app.services.exports.stats().builds;

/** The archive the main-thread builder makes of the tenant's version 1 of `model`. */
async function builtHere(model: string, format: ExportFormat): Promise<Uint8Array> {
  const row = await withTenant(app.db.prisma, t.tenantId, (tx) => tx.modelVersion.findFirstOrThrow({ where: { tenantId: t.tenantId, version: 1, model: { name: model } } }));
  const stored = { framework: row.framework, topology: row.topology, weights: new Uint8Array(row.weights) };
  return (await exportVersion(stored, readPipeline(row.preprocessing), { id: row.id, modelName: model, version: row.version }, format)).bytes;
}

/** GETs the export's raw archive bytes. */
async function archive(caller: TenantBundle, model: string, format: string): Promise<Uint8Array> {
  const res = await fetch(`${caller.url.replace('/graphql', '')}/models/${model}/versions/1/export?format=${format}`, { headers: { authorization: `Bearer ${caller.token}` } });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

it.each([
  ['net', 'tfjs', ['model.json', 'weights.bin', 'pipeline.json', 'manifest.json']],
  ['net', 'onnx', ['model.onnx', 'pipeline.json', 'manifest.json']],
  ['forest', 'json', ['trees.json', 'pipeline.json', 'manifest.json']],
  ['forest', 'onnx', ['model.onnx', 'pipeline.json', 'manifest.json']],
  ['boost', 'json', ['trees.json', 'pipeline.json', 'manifest.json']],
  ['boost', 'onnx', ['model.onnx', 'pipeline.json', 'manifest.json']],
] as const)('%s as %s: the files the main-thread builder makes, byte for byte', async (model, format, names) => {
  const before = builds();
  const got = await archive(t, model, format);
  expect(builds()).toBe(before + 1);
  const expected = await builtHere(model, format);
  expect(got.byteLength).toBe(expected.byteLength);
  const [a, b] = [unzipSync(got), unzipSync(expected)];
  expect(Object.keys(a)).toEqual(names);
  expect(Object.keys(b)).toEqual(names);
  for (const name of names) expect(Buffer.from(a[name]).equals(Buffer.from(b[name]))).toBe(true);
});

it("answers another tenant's /healthz and GraphQL query while a large forest's export builds", async () => {
  const base = t.url.replace('/graphql', '');
  const order: string[] = [];
  const before = builds();
  const exported = download(t, 'big', 'json').then((a) => {
    order.push('export');
    return a;
  });
  // Once the build is handed to a data thread (the counter moves as the task is submitted):
  while (builds() === before) await new Promise((r) => setImmediate(r));
  const healthz = await fetch(`${base}/healthz`);
  order.push(`healthz ${healthz.status}`);
  const limits = await gqlOk(other, '{ myLimits { predictionsPerMinute } }');
  order.push(`graphql ${typeof limits.myLimits.predictionsPerMinute}`);
  const got = await exported;
  expect(order).toEqual(['healthz 200', 'graphql number', 'export']);
  expect(got.status).toBe(200);
  const trees = JSON.parse(Buffer.from(got.files!['trees.json']).toString('utf8'));
  expect(trees).toMatchObject({ format: 'maas-trees/1', kind: 'random_forest', task: 'regression' });
  expect(trees.trees).toHaveLength(60);
});

it('builds a version once per format: a repeat is served from the cache, concurrent requests share one build', async () => {
  const first = builds();
  const a = await archive(t, 'forest', 'json'); // built in the first test
  expect(builds()).toBe(first);
  expect(Buffer.from(a).equals(Buffer.from(await archive(t, 'forest', 'json')))).toBe(true);
  expect(builds()).toBe(first);
  // Three at once of a version and format not built yet: one build.
  await trainVersion(t, { datasetId: pima, targetColumn: 'Outcome', modelName: 'forest2', spec: { model: 'RANDOM_FOREST', tree: { nEstimators: 30, maxDepth: 10 }, seed: 2 } });
  const three = await Promise.all([0, 1, 2].map(() => archive(t, 'forest2', 'onnx')));
  expect(builds()).toBe(first + 1);
  expect(three.map((b) => b.byteLength)).toEqual([three[0].byteLength, three[0].byteLength, three[0].byteLength]);
  // The kept archive is the tenant's: another tenant still gets NOT_FOUND for the name.
  expect((await download(other, 'forest2', 'onnx')).error?.errors[0].extensions.code).toBe('NOT_FOUND');
  // Every download is audited, kept or built.
  const audited = (await gqlOk(t, '{ auditLog { action details } }')).auditLog.filter(
    (e: { action: string; details: { model: string } }) => e.action === 'modelVersion.exported' && e.details.model === 'forest2',
  );
  expect(audited).toHaveLength(3);
  // Deleting the version drops its archives: exported again under the same name, it is rebuilt.
  const cached = app.services.exports.stats().cached;
  await gqlOk(t, 'mutation { deleteModelVersion(model: "forest2", version: 1) }');
  expect(app.services.exports.stats().cached).toEqual({ entries: cached.entries - 1, bytes: cached.bytes - three[0].byteLength });
});
