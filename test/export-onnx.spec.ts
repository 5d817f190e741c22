/**
 * @jest-environment ./test/setup/onnx-environment.js
 */
/**
 * Model export through the REST route (issue 14, "Export"): versions trained here, exported as
 * ONNX and run in onnxruntime-node on real rows, agree with our own `predict`:
 * - Pima (classification, 768 rows): dense network (with batch normalisation and dropout),
 *   gradient boosting, random forest — the ONNX
 *   model takes the raw feature columns (standardisation in the graph);
 * - California housing (regression, first 3,000 rows): a network with impute + standardise in the
 *   graph and a standardised target; gradient boosting with ocean_proximity one-hot encoded, so
 *   the ONNX model takes the preprocessed vector, built here from the exported pipeline.json.
 * - Iris (3 classes): network with softmax, gradient boosting (one tree per class and round),
 *   decision tree.
 * Bounds: probabilities within 1e-5; regression values (dollars, ~1e5) within 1e-5 relative.
 * The max abs differences are printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8 } from 'fflate';
import * as ort from 'onnxruntime-node';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { transformValues } from '../src/ml/preprocess/fit';
import { readRows } from '../src/ml/preprocess/read-rows';
import type { FittedPipeline } from '../src/ml/preprocess/types';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { download } from './support/export';
import { trainVersion } from './support/training';

const MATRIX_PREDICT = `query($model: String!, $matrix: FeatureMatrix!) { predict(model: $model, matrix: $matrix) { predictions { probabilities value } } }`;

let app: App;
let t: TenantBundle;
let pima: string;
let housing: string;
let iris: string;

const [pimaHeader, ...pimaLines] = PIMA_CSV.trim().split('\n');
const PIMA_FEATURES = pimaHeader.split(',').slice(0, 8);
const PIMA_ROWS = pimaLines.map((l) => l.split(',').slice(0, 8).map(Number));
const HOUSING_CSV = fs
  .readFileSync(path.join(__dirname, '..', 'data', 'california-housing.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(0, 3001);
const HOUSING_COLUMNS = HOUSING_CSV[0].split(',');
const HOUSING_ROWS = HOUSING_CSV.slice(1, 501).map((l) => l.split(',').map((c, j) => (HOUSING_COLUMNS[j] === 'ocean_proximity' ? c : c === '' ? null : Number(c))));
const IRIS_CSV = fs.readFileSync(path.join(__dirname, '..', 'data', 'iris.csv'), 'utf8').trim();
const IRIS_ROWS = IRIS_CSV.split('\n')
  .slice(1)
  .map((l) => l.split(',').slice(0, 4).map(Number));
const NUMERIC_HOUSING = HOUSING_COLUMNS.filter((c) => c !== 'ocean_proximity' && c !== 'median_house_value');

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'export');
  pima = await uploadCsv(t, PIMA_CSV, 'pima');
  housing = await uploadCsv(t, HOUSING_CSV.join('\n'), 'housing');
  iris = await uploadCsv(t, IRIS_CSV, 'iris');
});
afterAll(() => app.stop());

/** Runs model.onnx of an archive on `x` ([rows, width]); returns its outputs as plain arrays. */
async function runOnnx(files: Record<string, Uint8Array>, x: Float32Array, rows: number) {
  const manifest = JSON.parse(strFromU8(files['manifest.json']));
  const session = await ort.InferenceSession.create(files['model.onnx']);
  try {
    const width = manifest.onnx.inputColumns.length;
    const input = new ort.Tensor('float32', x, [rows, width]);
    const out = await session.run({ [manifest.onnx.input]: input });
    const result = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { data: Array.from(v.data as Float32Array, Number), dims: v.dims }]));
    input.dispose();
    Object.values(out).forEach((v) => v.dispose());
    return { manifest, result };
  } finally {
    await session.release();
  }
}

async function ours(model: string, columns: string[], rows: unknown[][]) {
  const p = await gqlOk<{ predict: { predictions: { probabilities: number[] | null; value: number | null }[] } }>(t, MATRIX_PREDICT, { model, matrix: { columns, rows } });
  return p.predict.predictions;
}

const maxAbs = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

const TREE_SPECS = {
  GRADIENT_BOOSTING: { model: 'GRADIENT_BOOSTING', tree: { nEstimators: 30, maxLeafNodes: 15 }, seed: 42 },
  RANDOM_FOREST: { model: 'RANDOM_FOREST', tree: { nEstimators: 10, maxDepth: 8 }, seed: 42 },
};
const NETWORK_SPEC = {
  layers: [
    { type: 'DENSE', units: 16, activation: 'RELU' },
    { type: 'BATCH_NORMALIZATION' },
    { type: 'DROPOUT', rate: 0.2 },
    { type: 'DENSE', units: 8, activation: 'TANH' },
    { type: 'DENSE', units: 1, activation: 'SIGMOID' },
  ],
  loss: 'BINARY_CROSSENTROPY',
  optimizer: { name: 'ADAM', learningRate: 0.01 },
  epochs: 5,
  batchSize: 32,
  seed: 42,
};

it.each([
  ['NEURAL_NETWORK', NETWORK_SPEC],
  ['GRADIENT_BOOSTING', TREE_SPECS.GRADIENT_BOOSTING],
  ['RANDOM_FOREST', TREE_SPECS.RANDOM_FOREST],
] as const)('Pima %s: the ONNX export on the raw rows gives our probabilities (max abs difference < 1e-5)', async (kind, spec) => {
  const model = `pima-${kind.toLowerCase()}`;
  await trainVersion(t, { datasetId: pima, targetColumn: 'Outcome', modelName: model, spec });
  const got = await download(t, model, 'onnx');
  expect(got.status).toBe(200);
  const { manifest, result } = await runOnnx(got.files!, Float32Array.from(PIMA_ROWS.flat()), PIMA_ROWS.length);
  expect(manifest).toMatchObject({
    format: 'maas-export/1',
    model,
    version: 1,
    kind: kind.toLowerCase(),
    exportFormat: 'onnx',
    target: { name: 'Outcome', task: 'binary', classes: ['0', '1'] },
  });
  expect(manifest.onnx).toEqual({ input: 'features', inputKind: 'raw_features', inputColumns: PIMA_FEATURES, outputs: ['probabilities', 'label'] });
  const expected = (await ours(model, PIMA_FEATURES, PIMA_ROWS)).flatMap((p) => p.probabilities!);
  expect(result.probabilities.dims).toEqual([768, 2]);
  const diff = maxAbs(result.probabilities.data, expected);
  console.log(`Pima ${kind}: ONNX vs ours on 768 rows, max abs difference of probabilities ${diff.toExponential(2)}`);
  expect(diff).toBeLessThan(1e-5);
  const probs = result.probabilities.data;
  expect(result.label.data).toEqual(PIMA_ROWS.map((_, i) => (probs[2 * i + 1] > probs[2 * i] ? 1 : 0)));
});

it.each([
  [
    'NEURAL_NETWORK',
    NUMERIC_HOUSING,
    {
      layers: [
        { type: 'DENSE', units: 16, activation: 'RELU' },
        { type: 'DENSE', units: 1, activation: 'LINEAR' },
      ],
      loss: 'MEAN_SQUARED_ERROR',
      optimizer: { name: 'ADAM', learningRate: 0.01 },
      epochs: 3,
      seed: 42,
      preprocessing: { standardizeTarget: true },
    },
    'raw_features',
  ],
  ['GRADIENT_BOOSTING', [...NUMERIC_HOUSING, 'ocean_proximity'], TREE_SPECS.GRADIENT_BOOSTING, 'model_inputs'],
] as const)('California housing %s: the ONNX export gives our values (relative difference < 1e-5)', async (kind, features, spec, inputKind) => {
  const model = `housing-${kind.toLowerCase()}`;
  await trainVersion(t, { datasetId: housing, targetColumn: 'median_house_value', modelName: model, featureColumns: [...features], spec });
  const got = await download(t, model, 'onnx');
  expect(got.status).toBe(200);
  const files = got.files!;
  const rows = HOUSING_ROWS.map((r) => features.map((f) => r[HOUSING_COLUMNS.indexOf(f)]));
  const pipeline = JSON.parse(strFromU8(files['pipeline.json'])) as FittedPipeline;
  // Raw features: NaN for a missing cell. Model inputs: the exported pipeline applied here.
  const x =
    inputKind === 'raw_features'
      ? Float32Array.from(rows.flat(), (v) => (v === null ? NaN : Number(v)))
      : transformValues(
          pipeline.columns,
          readRows(
            rows.map((r) => Object.fromEntries(features.map((f, j) => [f, r[j]]))),
            pipeline,
          ),
          rows.length,
        );
  const { manifest, result } = await runOnnx(files, x, rows.length);
  expect(manifest.onnx.inputKind).toBe(inputKind);
  expect(manifest.target).toMatchObject({ name: 'median_house_value', task: 'regression' });
  const expected = (await ours(model, [...features], rows)).map((p) => p.value!);
  expect(result.value.dims).toEqual([rows.length, 1]);
  const diff = maxAbs(result.value.data, expected);
  const rel = result.value.data.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]) / Math.max(1, Math.abs(expected[i]))), 0);
  console.log(`California ${kind}: ONNX vs ours on ${rows.length} rows, max abs difference ${diff.toExponential(2)} dollars (max relative ${rel.toExponential(2)})`);
  expect(rel).toBeLessThan(1e-5);
});

it.each([
  [
    'NEURAL_NETWORK',
    {
      layers: [
        { type: 'DENSE', units: 8, activation: 'RELU' },
        { type: 'DENSE', units: 3, activation: 'SOFTMAX' },
      ],
      loss: 'SPARSE_CATEGORICAL_CROSSENTROPY',
      optimizer: { name: 'ADAM', learningRate: 0.05 },
      epochs: 5,
      seed: 42,
    },
  ],
  ['GRADIENT_BOOSTING', { model: 'GRADIENT_BOOSTING', tree: { nEstimators: 10, maxLeafNodes: 8, minSamplesLeaf: 5 }, seed: 42 }],
  ['DECISION_TREE', { model: 'DECISION_TREE', tree: { maxDepth: 4 }, seed: 42 }],
] as const)('Iris %s (3 classes): the ONNX export gives our class probabilities (max abs difference < 1e-5)', async (kind, spec) => {
  const model = `iris-${kind.toLowerCase()}`;
  await trainVersion(t, { datasetId: iris, targetColumn: 'species', modelName: model, spec });
  const got = await download(t, model, 'onnx');
  expect(got.status).toBe(200);
  const { manifest, result } = await runOnnx(got.files!, Float32Array.from(IRIS_ROWS.flat()), IRIS_ROWS.length);
  expect(manifest.target).toEqual({ name: 'species', task: 'multiclass', classes: ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'] });
  const columns = IRIS_CSV.split('\n')[0].split(',').slice(0, 4);
  const expected = (await ours(model, columns, IRIS_ROWS)).flatMap((p) => p.probabilities!);
  expect(result.probabilities.dims).toEqual([150, 3]);
  const diff = maxAbs(result.probabilities.data, expected);
  console.log(`Iris ${kind}: ONNX vs ours on 150 rows, max abs difference of probabilities ${diff.toExponential(2)}`);
  expect(diff).toBeLessThan(1e-5);
});
