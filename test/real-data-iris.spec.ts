/**
 * Iris (Fisher, 1936) through the API: three classes, softmax output, sparse categorical
 * cross-entropy, stratified split.
 *
 * References: iris.names: one class is linearly separable from the other two, which are not from
 * each other; simple classifiers reach 0.95-0.98 held-out accuracy. Threshold (issue 4): accuracy
 * >= 0.90. Measured here (seed 42, stratified 80/20, 30 test rows): 0.967.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../src/app';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'iris');
});
afterAll(() => app.stop());

it('classifies Iris with softmax and sparse categorical cross-entropy: accuracy >= 0.90', async () => {
  const ds = await uploadOk(t, 'iris.csv', fs.readFileSync(path.join(__dirname, '..', 'data', 'iris.csv')));
  expect(ds.rowCount).toBe(150);
  expect(ds.columns.find((c) => c.name === 'species')).toMatchObject({ type: 'categorical', distinct: 3 });
  const v = await trainVersion(t, {
    datasetId: ds.id,
    targetColumn: 'species',
    modelName: 'iris',
    spec: {
      layers: [
        { type: 'DENSE', units: 16, activation: 'RELU', inputDim: 4 },
        { type: 'DENSE', units: 3, activation: 'SOFTMAX' },
      ],
      loss: 'SPARSE_CATEGORICAL_CROSSENTROPY',
      optimizer: { name: 'ADAM', learningRate: 0.01 },
      epochs: 100,
      batchSize: 16,
      stratify: true,
      seed: 42,
    },
  });
  const m = v.metrics;
  console.log(`Iris network: accuracy ${m.accuracy.toFixed(3)}, macro F1 ${m.macroF1.toFixed(3)}, log loss ${m.logLoss.toFixed(3)}`);
  expect(v.task).toBe('multiclass');
  expect(v.target.classes).toEqual(['Iris-setosa', 'Iris-versicolor', 'Iris-virginica']);
  expect(m.perClass.map((c: { support: number }) => c.support)).toEqual([10, 10, 10]); // stratified
  expect(m.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(m.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(30);
});

/**
 * A single decision tree on the same split (issue 9): accuracy >= 0.93. scikit-learn's
 * DecisionTreeClassifier(random_state=0) on this split: 0.9667; measured here: 0.9333 (bench:trees).
 */
it('classifies Iris with one decision tree: accuracy >= 0.93', async () => {
  const ds = await uploadOk(t, 'iris.csv', fs.readFileSync(path.join(__dirname, '..', 'data', 'iris.csv')));
  const v = await trainVersion(t, {
    datasetId: ds.id,
    targetColumn: 'species',
    modelName: 'iris-tree',
    spec: { model: 'DECISION_TREE', stratify: true, seed: 42 },
  });
  const m = v.metrics;
  console.log(`Iris decision tree: accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macroF1.toFixed(3)}`);
  expect(v.framework).toBe('decision-tree');
  expect(m.perClass.map((c: { support: number }) => c.support)).toEqual([10, 10, 10]);
  expect(m.accuracy).toBeGreaterThanOrEqual(0.93);
});
