/**
 * Explanations through the API (Baseline Shapley, src/ml/explain.ts): attributions add up to the
 * prediction's distance from the baseline, a feature the model ignores gets exactly 0, Glucose
 * carries most of the Pima network's decisions, and bad input gets coded errors. (Sampling against
 * the exact values, without the API: test/unit/explain.spec.ts.)
 */
import type { App } from '../src/app';
import { codeOf, gql, gqlOk } from '../src/client/graphql-client';
import { tf } from '../src/ml/tf';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;
let datasetId: string;

const names = PIMA_COLUMNS;
const ROWS = PIMA_ROWS.slice(0, 40);

const EXPLAIN = `query($model: String!, $rows: [JSONObject!]!, $baseline: JSONObject, $samples: Int) {
  explain(model: $model, rows: $rows, baseline: $baseline, samples: $samples) {
    version method evaluations baseline
    explanations { prediction { label probabilities } explainedClass value baseValue attributions { feature featureValue attribution } }
  } }`;

type Explained = {
  value: number;
  baseValue: number;
  explainedClass: string;
  prediction: { probabilities: number[] };
  attributions: { feature: string; featureValue: unknown; attribution: number }[];
};
const sum = (e: Explained) => e.attributions.reduce((s, a) => s + a.attribution, 0);

beforeAll(async () => {
  app = await startTestApp({ MAX_EXPLAIN_ROWS: '50', MAX_EXPLAIN_CELLS: '100000' });
  t = await createTenant(app, 'explain');
  datasetId = (await uploadOk(t, 'pima.csv', PIMA_CSV)).id;
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'diabetes', spec: KERAS_SPEC });
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'stump', spec: { model: 'DECISION_TREE', tree: { maxDepth: 1 }, seed: 42 } });
});
afterAll(() => app.stop());

it('explains the network exactly: attributions add up to value - baseValue, Glucose matters most', async () => {
  const r = (await gqlOk(t, EXPLAIN, { model: 'diabetes', rows: ROWS })).explain;
  expect(r).toMatchObject({ version: 1, method: 'exact', evaluations: 256 });
  // The default baseline: each feature's median on the training split (Glucose's median over all 768 rows is 117).
  expect(Object.keys(r.baseline).sort()).toEqual([...names.slice(0, 8)].sort());
  expect(r.baseline.Glucose).toBeGreaterThan(110);
  expect(r.baseline.Glucose).toBeLessThan(125);
  const mean: Record<string, number> = {};
  for (const e of r.explanations as Explained[]) {
    expect(e.explainedClass).toBe('1');
    expect(e.value).toBeCloseTo(e.prediction.probabilities[1], 6);
    expect(sum(e)).toBeCloseTo(e.value - e.baseValue, 6);
    expect(e.baseValue).toBeCloseTo((r.explanations[0] as Explained).baseValue, 9); // one baseline for all rows
    for (const a of e.attributions) mean[a.feature] = (mean[a.feature] ?? 0) + Math.abs(a.attribution) / ROWS.length;
  }
  // Sorted by magnitude, with the row's own values.
  const first = r.explanations[0] as Explained;
  expect(first.attributions.map((a) => Math.abs(a.attribution))).toEqual([...first.attributions.map((a) => Math.abs(a.attribution))].sort((a, b) => b - a));
  expect(first.attributions.find((a) => a.feature === 'Glucose')!.featureValue).toBe(ROWS[0].Glucose);
  // Glucose is Pima's strongest predictor (its correlation with the outcome, and the forest's importances).
  expect(Object.entries(mean).sort((a, b) => b[1] - a[1])[0][0]).toBe('Glucose');
});

it('gives every feature 0 when the row is the baseline, and a stump all to its one split feature', async () => {
  // The baseline may carry other columns of the training CSV (here the target), as rows may.
  const base = (await gqlOk(t, EXPLAIN, { model: 'diabetes', rows: [ROWS[0]], baseline: { ...ROWS[0], Outcome: 1 } })).explain.explanations[0] as Explained;
  expect(base.value).toBe(base.baseValue);
  for (const a of base.attributions) expect(a.attribution).toBe(0);

  // A depth-1 tree reads one feature: the dummy property gives every other feature exactly 0.
  const stump = (await gqlOk(t, EXPLAIN, { model: 'stump', rows: ROWS.slice(0, 10) })).explain.explanations as Explained[];
  for (const e of stump) {
    const nonZero = e.attributions.filter((a) => a.attribution !== 0);
    expect(nonZero.length).toBeLessThanOrEqual(1);
    if (nonZero.length === 1) expect(nonZero[0]).toMatchObject({ feature: 'Glucose' });
    expect(sum(e)).toBeCloseTo(e.value - e.baseValue, 9);
  }
  expect(stump.some((e) => e.attributions[0].attribution !== 0)).toBe(true);
});

it('refuses bad input with coded errors naming the field', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ rows: [{ ...ROWS[0], Glucose: 'high' }] }, /rows\[0\].Glucose must be a number, got 'high'/],
    [{ rows: [ROWS[0]], baseline: { Glucoze: 100 } }, /baseline has unknown feature 'Glucoze' \(did you mean 'Glucose'\?\)/],
    [{ rows: [ROWS[0]], baseline: { BMI: 'fat' } }, /baseline.BMI must be a number, got 'fat'/],
    [{ rows: [ROWS[0]], samples: 0 }, /samples must be an integer in \[1, 256\], got 0/],
    [{ rows: [] }, /rows is empty/],
    [{ rows: Array.from({ length: 51 }, () => ROWS[0]) }, /rows has 51 rows; explain takes at most 50 per call/],
    // 49 rows × 256 evaluations × 8 inputs = 100,352 cells > 100,000
    [{ rows: Array.from({ length: 49 }, () => ROWS[0]) }, /takes 12544 model evaluations of 8 inputs \(100352 cells\); at most 100000 per call \(MAX_EXPLAIN_CELLS\)/],
  ];
  for (const [vars, message] of cases) {
    const r = await gql(t, EXPLAIN, { model: 'diabetes', ...vars });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].message).toMatch(message);
  }
  expect(codeOf(await gql(t, EXPLAIN, { model: 'diabetis', rows: [ROWS[0]] }))).toBe('NOT_FOUND');
  // A baseline value beyond float32 once preprocessed is the baseline's, not rows[0]'s.
  const huge = await gql(t, EXPLAIN, { model: 'diabetes', rows: [{ ...ROWS[0], Glucose: 100 }], baseline: { Glucose: 1e308 } });
  expect([codeOf(huge), huge.errors![0].extensions?.field, huge.errors![0].extensions?.row]).toEqual(['BAD_USER_INPUT', 'baseline.Glucose', undefined]);
  expect(huge.errors![0].message).toMatch(/^baseline\.Glucose is 1e\+308: preprocessed \(.*\) it lies beyond the float32 range/);
});

it('does not grow the tensor count across repeated explanations', async () => {
  await gqlOk(t, EXPLAIN, { model: 'diabetes', rows: [ROWS[0]] });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) await gqlOk(t, EXPLAIN, { model: 'diabetes', rows: ROWS.slice(i, i + 2) });
  expect(tf.memory().numTensors).toBe(before);
});
