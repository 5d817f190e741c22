/**
 * @jest-environment ./test/setup/onnx-environment.js
 */
/**
 * The export route's formats, credentials and refusals (issue 14, "Export"), on Pima:
 * - `tfjs`: model.json + weights.bin load in TF.js and predict what `predict` answers;
 * - `json`: trees.json (`maas-trees/1`) scored by the reference walk of docs/export.md gives
 *   our probabilities; the manifest's checksums match the files;
 * - scope `models:read`: a predict-only key is FORBIDDEN, another tenant's key NOT_FOUND, no
 *   credential UNAUTHENTICATED, an unknown format BAD_USER_INPUT, a family without the format
 *   NOT_SUPPORTED naming it; `ModelVersion.exportFormats` lists what a version offers;
 * - round trip: an exported ONNX file uploaded with `uploadModelVersion` serves the same
 *   probabilities over V2 `infer`; an uploaded ONNX version exports its original file.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { strFromU8 } from 'fflate';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { download } from './support/export';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { uploadModel } from './support/onnx-uploads';
import { trainVersion } from './support/training';
import { v2 } from './support/v2';

const MATRIX_PREDICT = `query($model: String!, $matrix: FeatureMatrix!) { predict(model: $model, matrix: $matrix) { predictions { probabilities } } }`;
const [header, ...lines] = PIMA_CSV.trim().split('\n');
const FEATURES = header.split(',').slice(0, 8);
const ROWS = lines.slice(0, 200).map((l) => l.split(',').slice(0, 8).map(Number));

let app: App;
let t: TenantBundle;
let other: TenantBundle;

const NETWORK = {
  layers: [
    { type: 'DENSE', units: 8, activation: 'RELU' },
    { type: 'DENSE', units: 1, activation: 'SIGMOID' },
  ],
  loss: 'BINARY_CROSSENTROPY',
  optimizer: { name: 'ADAM', learningRate: 0.01 },
  epochs: 3,
  seed: 1,
};

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'exp');
  other = await createTenant(app, 'exp-other');
  const pima = await uploadCsv(t, PIMA_CSV, 'pima');
  await trainVersion(t, { datasetId: pima, targetColumn: 'Outcome', modelName: 'net', spec: NETWORK });
  await trainVersion(t, { datasetId: pima, targetColumn: 'Outcome', modelName: 'forest', spec: { model: 'RANDOM_FOREST', tree: { nEstimators: 5, maxDepth: 6 }, seed: 1 } });
});
afterAll(() => app.stop());

const ours = async (model: string) =>
  (await gqlOk<{ predict: { predictions: { probabilities: number[] }[] } }>(t, MATRIX_PREDICT, { model, matrix: { columns: FEATURES, rows: ROWS } })).predict.predictions.map(
    (p) => p.probabilities[1],
  );
const maxAbs = (a: ArrayLike<number>, b: number[]) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const json = (b: Uint8Array) => JSON.parse(strFromU8(b));

it('tfjs: model.json + weights.bin load in TF.js and give our probabilities on the standardised rows', async () => {
  const got = await download(t, 'net', 'tfjs');
  expect(got.status).toBe(200);
  expect(got.disposition).toBe('attachment; filename="net-v1-tfjs.zip"');
  const files = got.files!;
  expect(Object.keys(files).sort()).toEqual(['manifest.json', 'model.json', 'pipeline.json', 'weights.bin']);
  const manifest = json(files['manifest.json']);
  expect(manifest).toMatchObject({ format: 'maas-export/1', kind: 'neural_network', framework: 'tfjs-layers', inputs: FEATURES });
  for (const f of manifest.files) expect(createHash('sha256').update(files[f.name]).digest('hex')).toBe(f.sha256);
  const modelJson = json(files['model.json']);
  expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
  const w = files['weights.bin'];
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer,
    }),
  );
  // pipeline.json: every column standardised (the network default), as docs/export.md says to apply.
  const pipeline = json(files['pipeline.json']);
  const x = ROWS.flatMap((r) =>
    r.map((v, j) =>
      pipeline.columns[j].steps.reduce((a: number, s: { op: string; mean: number; std: number; value: number }) => (s.op === 'standardize' ? (a - s.mean) / s.std : a), v),
    ),
  );
  const out = tf.tidy(() => (model.predict(tf.tensor2d(x, [ROWS.length, 8])) as tf.Tensor).dataSync());
  model.dispose();
  const diff = maxAbs(out, await ours('net'));
  console.log(`tfjs export vs ours: max abs difference ${diff.toExponential(2)}`);
  expect(diff).toBeLessThan(1e-5);
});

/** docs/export.md's reference walk of a `maas-trees/1` document. */
function scoreTrees(doc: any, x: number[]): number[] {
  const sum = new Array(doc.leafWidth).fill(0);
  for (const tree of doc.trees) {
    let n = 0;
    while (tree.feature[n] >= 0) {
      const v = Math.fround(x[tree.feature[n]]); // model inputs are float32
      const left = Number.isNaN(v) ? tree.missingLeft[n] : tree.threshold[n] === null || v <= tree.threshold[n];
      n = left ? tree.left[n] : tree.right[n];
    }
    for (let c = 0; c < doc.leafWidth; c++) sum[c] += tree.value[n * doc.leafWidth + c];
  }
  return sum.map((s) => s / doc.trees.length);
}

it('json: trees.json (maas-trees/1) walked as documented gives our probabilities', async () => {
  const got = await download(t, 'forest', 'json');
  expect(got.status).toBe(200);
  const doc = json(got.files!['trees.json']);
  expect(doc).toMatchObject({ format: 'maas-trees/1', kind: 'random_forest', task: 'binary', classes: ['0', '1'], combine: 'average', link: 'identity', inputs: FEATURES });
  const p = ROWS.map((r) => scoreTrees(doc, r)[1]);
  const diff = maxAbs(p, await ours('forest'));
  console.log(`trees JSON vs ours: max abs difference ${diff.toExponential(2)}`);
  expect(diff).toBeLessThan(1e-6);
});

it('refuses with coded errors: predict-only key, another tenant, no credential, unknown format, a format the family lacks', async () => {
  const predictKey = (await gqlOk(t, 'mutation { createApiKey(input: { name: "predict-only", scopes: [PREDICT] }) { key } }')).createApiKey.key as string;
  const readKey = (await gqlOk(t, 'mutation { createApiKey(input: { name: "models-read", scopes: [MODELS_READ] }) { key } }')).createApiKey.key as string;
  const code = (a: Awaited<ReturnType<typeof download>>) => [a.status, a.error?.errors[0].extensions.code];
  expect(code(await download({ url: t.url, token: predictKey }, 'net', 'onnx'))).toEqual([403, 'FORBIDDEN']);
  expect((await download({ url: t.url, token: readKey }, 'net', 'onnx')).status).toBe(200);
  expect((await download({ url: t.url, token: readKey }, 'net', 'ONNX')).status).toBe(200); // as exportFormats lists it
  const foreign = await download(other, 'net', 'onnx');
  expect(code(foreign)).toEqual([404, 'NOT_FOUND']);
  expect(foreign.error!.errors[0].message).toBe("Model 'net' not found");
  expect(code(await download({ url: t.url }, 'net', 'onnx'))).toEqual([401, 'UNAUTHENTICATED']);
  const bad = await download(t, 'net', 'pmml');
  expect(code(bad)).toEqual([400, 'BAD_USER_INPUT']);
  expect(bad.error!.errors[0].message).toBe("format 'pmml' is not an export format; use one of tfjs, json, onnx");
  const lacking = await download(t, 'net', 'json');
  expect(code(lacking)).toEqual([400, 'NOT_SUPPORTED']);
  expect(lacking.error!.errors[0]).toMatchObject({
    message: 'NEURAL_NETWORK versions cannot be exported as json; formats for this family: tfjs, onnx',
    extensions: { family: 'NEURAL_NETWORK', format: 'json' },
  });
  expect(code(await download(t, 'net', 'onnx', '7'))).toEqual([404, 'NOT_FOUND']);
  const audited = (await gqlOk(t, '{ auditLog { action targetType details } }')).auditLog.filter((e: { action: string }) => e.action === 'modelVersion.exported');
  expect(audited[0]).toEqual({ action: 'modelVersion.exported', targetType: 'ModelVersion', details: { model: 'net', version: 1, format: 'onnx', bytes: expect.any(Number) } });
  expect(audited).toHaveLength(4); // the tfjs download of the first test, and the three onnx downloads above; refusals are not exports
  const listed = await gqlOk(t, '{ models { name versions { exportFormats } } }');
  expect(Object.fromEntries(listed.models.map((m: any) => [m.name, m.versions[0].exportFormats]))).toEqual({ net: ['TFJS', 'ONNX'], forest: ['JSON', 'ONNX'] });
});

it('round trip: the exported ONNX file, uploaded with uploadModelVersion, serves the same probabilities; exporting it gives the file back', async () => {
  const onnxFile = (await download(t, 'forest', 'onnx')).files!['model.onnx'];
  const up = await uploadModel(t, 'forest-onnx', 'model.onnx', Buffer.from(onnxFile));
  expect(up.errors).toBeUndefined();
  const res = await v2(t.url, '/v2/models/forest-onnx/infer', {
    token: t.token,
    body: { inputs: [{ name: 'features', datatype: 'FP32', shape: [ROWS.length, 8], data: ROWS.flat() }], outputs: [{ name: 'probabilities' }] },
  });
  expect(res.status).toBe(200);
  const probs = res.body.outputs.find((o: { name: string }) => o.name === 'probabilities');
  expect(probs.shape).toEqual([ROWS.length, 2]);
  const diff = maxAbs(
    ROWS.map((_, i) => probs.data[2 * i + 1]),
    await ours('forest'),
  );
  console.log(`re-uploaded ONNX export vs ours: max abs difference ${diff.toExponential(2)}`);
  expect(diff).toBeLessThan(1e-5);
  const back = await download(t, 'forest-onnx', 'onnx');
  expect(back.status).toBe(200);
  expect(Buffer.from(back.files!['model.onnx']).equals(Buffer.from(onnxFile))).toBe(true);
  expect(json(back.files!['manifest.json'])).toMatchObject({ kind: 'onnx', framework: 'onnx' });
});
