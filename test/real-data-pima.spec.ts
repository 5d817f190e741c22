/**
 * Pima Indians diabetes through the API (upload, profile, train, version metrics), with the zeros
 * that stand for "not measured" declared missing and imputed.
 *
 * References: the data's own description (data/pima-indians-diabetes.names) reports ADAP at 76 %
 * accuracy (Smith et al., 1988); the data set's usual held-out results are 0.74-0.78 accuracy and
 * ROC AUC 0.80-0.85 for logistic regression, networks and random forests; the majority class alone
 * scores 0.651. Thresholds (issue 4): network accuracy >= 0.72 and ROC AUC >= 0.78; random forest
 * ROC AUC >= 0.78. Measured here (seed 42, stratified 80/20): network 0.760 / 0.864, forest AUC 0.85.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;
let datasetId: string;

/** In Pima a 0 in these columns means the value was not recorded (pima-indians-diabetes.names). */
const ZERO_IS_MISSING = ['Glucose', 'BloodPressure', 'SkinThickness', 'Insulin', 'BMI'];

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'pima');
});
afterAll(() => app.stop());

it('profiles Pima with zeros declared missing in five columns', async () => {
  const ds = await uploadOk(t, 'pima.csv', PIMA_CSV, { missingValues: ZERO_IS_MISSING.map((column) => ({ column, values: ['0'] })) });
  datasetId = ds.id;
  const col = (name: string) => ds.columns.find((c) => c.name === name)!;
  // Zero counts as tabulated for this data set (e.g. 374 of 768 Insulin readings are 0).
  expect(ZERO_IS_MISSING.map((c) => col(c).missing)).toEqual([5, 35, 227, 374, 11]);
  expect(col('Glucose')).toMatchObject({ type: 'numeric', missingCodes: ['0'], min: 44, max: 199, integer: true });
  expect(col('Pregnancies')).toMatchObject({ missing: 0, min: 0 });
  expect(col('Glucose').quantiles.map((q: { q: number }) => q.q)).toEqual([0.05, 0.25, 0.5, 0.75, 0.95]);
  expect(col('Glucose').quantiles[2].value).toBe(117); // median of the 763 recorded values
  expect(col('BMI').histogram.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(768 - 11);

  const corr = await gqlOk(t, 'query($id: ID!) { dataset(id: $id) { correlations(target: "Outcome") { column pearson rows } } }', { id: datasetId });
  const r = Object.fromEntries(corr.dataset.correlations.map((c: { column: string; pearson: number }) => [c.column, c.pearson]));
  // Glucose is the strongest single predictor (r ≈ 0.49 on recorded values); all correlations are positive.
  expect(r.Glucose).toBeGreaterThan(0.45);
  expect(Math.max(...(Object.values(r) as number[]))).toBe(r.Glucose);
  expect(corr.dataset.correlations.find((c: { column: string }) => c.column === 'Insulin').rows).toBe(768 - 374);
});

it('trains a regularised network with median imputation and early stopping: accuracy >= 0.72, ROC AUC >= 0.78', async () => {
  const v = await trainVersion(t, {
    datasetId,
    targetColumn: 'Outcome',
    modelName: 'pima-net',
    spec: {
      layers: [
        { type: 'DENSE', units: 16, activation: 'RELU', l2: 0.001 },
        { type: 'DROPOUT', rate: 0.2 },
        { type: 'DENSE', units: 1, activation: 'SIGMOID' },
      ],
      loss: 'BINARY_CROSSENTROPY',
      optimizer: { name: 'ADAM', learningRate: 0.01 },
      epochs: 100,
      validationSplit: 0.2,
      earlyStopping: { monitor: 'VAL_LOSS', patience: 10 },
      stratify: true,
      seed: 42,
      preprocessing: { steps: [{ op: 'IMPUTE', strategy: 'MEDIAN' }, { op: 'STANDARDIZE' }] },
    },
  });
  const m = v.metrics;
  console.log(`Pima network: accuracy ${m.accuracy.toFixed(3)}, ROC AUC ${m.rocAuc.toFixed(3)}, best epoch ${m.bestEpoch}`);
  expect(m.testRows).toBe(154);
  expect(m.accuracy).toBeGreaterThanOrEqual(0.72);
  expect(m.rocAuc).toBeGreaterThanOrEqual(0.78);
  expect(m.stoppedEarly).toBe(true);
  // Permutation importance on the test split (issue 13): the mean drop of test accuracy over 5 shuffles, Glucose first.
  expect(v.featureImportanceMethod).toBe('PERMUTATION');
  const drops = v.featureImportances as { input: string; importance: number; std: number }[];
  console.log(`Pima network permutation importance: ${drops.map((f) => `${f.input} ${f.importance.toFixed(3)}±${f.std.toFixed(3)}`).join(', ')}`);
  expect(drops.map((f) => f.input)).toEqual(v.inputs);
  expect(drops.reduce((a, b) => (b.importance > a.importance ? b : a)).input).toBe('Glucose');
  expect(drops.every((f) => f.std >= 0 && Math.abs(f.importance * 154 * 5 - Math.round(f.importance * 154 * 5)) < 1e-6)).toBe(true);
  const glucose = v.features.find((f: { name: string }) => f.name === 'Glucose');
  expect(glucose).toMatchObject({ steps: ['impute', 'standardize'], missingCodes: ['0'] });
  expect(Number(glucose.imputeValue)).toBeGreaterThan(110); // the training median of recorded values

  // A 0 sent to predict is read as missing too, exactly like in training: same answer as null.
  const row = { Pregnancies: 6, Glucose: 148, BloodPressure: 72, SkinThickness: 35, Insulin: 0, BMI: 33.6, DiabetesPedigreeFunction: 0.627, Age: 50 };
  const p = await gqlOk(t, PREDICT, { model: 'pima-net', rows: [row, { ...row, Insulin: null }] });
  expect(p.predict.predictions[0]).toEqual(p.predict.predictions[1]);
});

it('trains a random forest: ROC AUC >= 0.78, Glucose the most important input', async () => {
  const v = await trainVersion(t, {
    datasetId,
    targetColumn: 'Outcome',
    modelName: 'pima-forest',
    spec: {
      model: 'RANDOM_FOREST',
      tree: { nEstimators: 50, maxDepth: 8, minSamplesSplit: 5, maxFeatures: 0.7 },
      stratify: true,
      seed: 42,
      preprocessing: { steps: [{ op: 'IMPUTE', strategy: 'MEDIAN' }] },
    },
  });
  console.log(`Pima forest: accuracy ${v.metrics.accuracy.toFixed(3)}, ROC AUC ${v.metrics.rocAuc.toFixed(3)}`);
  expect(v.framework).toBe('random-forest');
  expect(v.metrics.rocAuc).toBeGreaterThanOrEqual(0.78);
  expect(v.featureImportanceMethod).toBe('IMPURITY');
  const imp = v.featureImportances as { input: string; importance: number; std: number | null }[];
  expect(imp.every((f) => f.std === null)).toBe(true);
  expect(imp.reduce((s, f) => s + f.importance, 0)).toBeCloseTo(1, 6);
  expect(imp.reduce((a, b) => (b.importance > a.importance ? b : a)).input).toBe('Glucose');
});
