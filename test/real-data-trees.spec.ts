/**
 * Tree families through the API on full real data, against scikit-learn on the same data and
 * machine (../shared/notes/anchors.md; issue 9):
 * - Adult, trained on the whole official training file (32,561 rows), scored on the official test
 *   file (16,281 rows) through `predict`: HistGradientBoosting 0.874 accuracy / 0.927 ROC AUC,
 *   RandomForest (100 trees) 0.852 / 0.900. Thresholds: boosting >= 0.87 / 0.92, forest >= 0.85 / 0.90.
 * - California housing, 80/20: HistGradientBoosting R² 0.830, RandomForest 0.823. Thresholds:
 *   boosting >= 0.83, forest >= 0.80.
 * - A forest too large for the bound is refused by startTrainingRun itself, not QUEUED then FAILED.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { evaluate } from '../src/ml/evaluate';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { startError, trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

const HEADER = 'age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income';
const read = (f: string) => fs.readFileSync(path.join(__dirname, '..', 'data', f), 'utf8').trim();
const MATRIX_PREDICT = `query($model: String!, $matrix: FeatureMatrix!) { predict(model: $model, matrix: $matrix) { predictions { probabilities } } }`;

let app: App;
let t: TenantBundle;
let adult: string;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'trees');
  adult = (await uploadOk(t, 'adult-train.csv', [HEADER, read('adult-train.csv')].join('\n'), { missingValues: [{ values: ['?'] }] })).id;
});
afterAll(() => app.stop());

/** Accuracy and ROC AUC of a model on the official Adult test file, scored through `predict` in chunks. */
async function adultTest(model: string) {
  const lines = read('adult-test.csv').split('\n');
  const columns = HEADER.split(',');
  const rows = lines.map((l) => l.split(',').map((c) => c.trim()));
  const y = Float32Array.from(rows, (r) => (r[14].replace(/\.$/, '') === '>50K' ? 1 : 0));
  const p = new Float32Array(rows.length);
  for (let at = 0; at < rows.length; at += 5000) {
    const chunk = rows.slice(at, at + 5000).map((r) => r.slice(0, 14).map((c) => (c === '?' ? null : /^-?\d+(\.\d+)?$/.test(c) ? Number(c) : c)));
    const out = await gqlOk(t, MATRIX_PREDICT, { model, matrix: { columns: columns.slice(0, 14), rows: chunk } });
    out.predict.predictions.forEach((q: { probabilities: number[] }, i: number) => (p[at + i] = q.probabilities[1]));
  }
  const m = evaluate('binary', p, y, rows.length, ['<=50K', '>50K']);
  return { accuracy: m.accuracy!, auc: m.rocAuc!, rows: rows.length };
}

it.each([
  ['GRADIENT_BOOSTING', { nEstimators: 100 }, 0.87, 0.92],
  ['RANDOM_FOREST', { nEstimators: 100, maxDepth: 30, minSamplesSplit: 2, maxFeatures: 0.1 }, 0.85, 0.9],
] as const)('Adult, official test file: %s reaches the scikit-learn reference', async (kind, tree, minAccuracy, minAuc) => {
  const started = performance.now();
  const v = await trainVersion(t, { datasetId: adult, targetColumn: 'income', modelName: `adult-${kind.toLowerCase()}`, spec: { model: kind, tree, testFraction: 0, seed: 42 } });
  const trainedS = (performance.now() - started) / 1000;
  expect(v.framework).toBe(kind === 'GRADIENT_BOOSTING' ? 'gradient-boosting' : 'random-forest');
  const m = await adultTest(`adult-${kind.toLowerCase()}`);
  console.log(`Adult ${kind}: accuracy ${m.accuracy.toFixed(4)}, ROC AUC ${m.auc.toFixed(4)} on ${m.rows} official test rows; run ${trainedS.toFixed(1)} s through the API`);
  expect(m.rows).toBe(16_281);
  expect(m.accuracy).toBeGreaterThanOrEqual(minAccuracy);
  expect(m.auc).toBeGreaterThanOrEqual(minAuc);
});

it.each([
  ['GRADIENT_BOOSTING', { nEstimators: 200 }, 0.83],
  ['RANDOM_FOREST', { nEstimators: 100, maxDepth: 30, minSamplesSplit: 2, maxFeatures: 0.34 }, 0.8],
] as const)('California housing, 80/20: %s reaches the scikit-learn reference', async (kind, tree, minR2) => {
  const ds = await uploadOk(t, 'housing.csv', fs.readFileSync(path.join(__dirname, '..', 'data', 'california-housing.csv')));
  const v = await trainVersion(t, { datasetId: ds.id, targetColumn: 'median_house_value', modelName: `housing-${kind.toLowerCase()}`, spec: { model: kind, tree, seed: 42 } });
  console.log(`California ${kind}: R² ${v.metrics.r2.toFixed(4)}, RMSE ${v.metrics.rmse.toFixed(0)}`);
  expect(v.metrics.testRows).toBe(4128);
  expect(v.metrics.r2).toBeGreaterThanOrEqual(minR2);
});

it('refuses a run over the tree work bound at startTrainingRun, naming the sizes', async () => {
  const err = await startError(t, {
    datasetId: adult,
    targetColumn: 'native-country', // 41 countries: one tree per class and round
    modelName: 'too-big',
    spec: { model: 'GRADIENT_BOOSTING', tree: { nEstimators: 1000 } },
  });
  expect(err?.code).toBe('BAD_USER_INPUT');
  expect(err?.message).toMatch(/^GRADIENT_BOOSTING on 26049 rows × \d+ inputs × \d+ tree\(s\) is too large: rows · inputs · trees must stay under 1e\+10/);
});
