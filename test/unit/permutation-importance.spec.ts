/**
 * Permutation importance (src/ml/permutation-importance.ts): the same values as scikit-learn 1.2.1's
 * permutation_importance given the same shuffles (test/fixtures/permutation-importance-sklearn.py),
 * its bounds, and a network trained on Pima getting it at the end of training with no tensor left.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../src/ml/data/csv';
import type { Scorer } from '../../src/ml/families/model-family';
import { permutationImportance } from '../../src/ml/permutation-importance';
import { trainFromTable } from '../../src/ml/pipeline';
import { normalizeSpec } from '../../src/ml/spec';
import { initBackend, tf } from '../../src/ml/tf';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/permutation-importance-sklearn.json'), 'utf8'));
const X = Float32Array.from((fixture.X as number[][]).flat());
const ROWS = fixture.X.length;
const INPUTS = 3;

/** The fixture's model, w·x + b: as P(class 1) = sigmoid (classification) or as the value (regression). */
const linear = (classify: boolean): Scorer => ({
  inputShape: [INPUTS],
  outputShape: [1],
  score: (x, rows) =>
    Float32Array.from({ length: rows }, (_, i) => {
      const z = fixture.W.reduce((s: number, w: number, j: number) => s + w * x[i * INPUTS + j], fixture.B);
      return classify ? 1 / (1 + Math.exp(-z)) : z;
    }),
  dispose: () => undefined,
});

it.each([
  ['binary accuracy', 'cls', 'binary', Float32Array.from(fixture.yCls as number[])],
  ['regression R²', 'reg', 'regression', Float32Array.from(fixture.yReg as number[])],
] as const)("gives scikit-learn's values for %s with its shuffles", (_name, key, task, y) => {
  const expected = fixture[key];
  const got = permutationImportance(linear(task === 'binary'), { x: X, y, rows: ROWS }, INPUTS, task, task === 'binary' ? ['0', '1'] : undefined, {
    seed: 0,
    limits: { repeats: 4 },
    order: (input, repeat) => Int32Array.from(expected.orders[input][repeat]),
  })!;
  expect(got).toMatchObject({ metric: task === 'binary' ? 'accuracy' : 'r2', rows: 24, repeats: 4 });
  expect(got.baseline).toBeCloseTo(expected.baseline, 5);
  got.mean.forEach((m, j) => expect(m).toBeCloseTo(expected.mean[j], 5));
  got.std.forEach((s, j) => expect(s).toBeCloseTo(expected.std[j], 5));
  // The unused input (weight 0) is worth exactly nothing.
  expect([got.mean[2], got.std[2]]).toEqual([0, 0]);
});

it('by hand: a shuffle within a class costs nothing, one across the classes costs all the accuracy', () => {
  // The model answers x > 1.5, right on every row (accuracy 1). Rows read as [1, 0, 3, 2] keep each
  // row's class (drop 0); read as [2, 3, 0, 1] every answer flips (accuracy 0, drop 1), every repeat alike (std 0).
  const x = Float32Array.from([0, 1, 2, 3]);
  const y = Float32Array.from([0, 0, 1, 1]);
  const step: Scorer = { inputShape: [1], outputShape: [1], score: (v, rows) => Float32Array.from({ length: rows }, (_, i) => (v[i] > 1.5 ? 1 : 0)), dispose: () => undefined };
  const run = (order: number[]) =>
    permutationImportance(step, { x, y, rows: 4 }, 1, 'binary', ['0', '1'], { seed: 1, limits: { repeats: 2, minRows: 1 }, order: () => Int32Array.from(order) })!;
  expect([run([1, 0, 3, 2]).mean[0], run([2, 3, 0, 1]).mean[0], run([2, 3, 0, 1]).std[0]]).toEqual([0, 1, 0]);
});

it('bounds the work: cuts rows to maxWork / (inputs · repeats · weights), computes nothing under minRows', () => {
  const y = Float32Array.from(fixture.yCls as number[]);
  const bounded = (weights: number, minRows = 10) =>
    permutationImportance(linear(true), { x: X, y, rows: ROWS }, INPUTS, 'binary', ['0', '1'], { seed: 3, weights, limits: { repeats: 2, maxWork: 6000, minRows } });
  expect(bounded(1)!.rows).toBe(24);
  expect(bounded(100)!.rows).toBe(10); // 6000 / (3 · 2 · 100)
  expect(bounded(200)).toBeUndefined(); // 5 rows < 10
  // The seeded shuffles are deterministic.
  expect(bounded(1)).toEqual(bounded(1));
});

it('computes permutation importance for a network at the end of training, Glucose first, with no tensor left behind', async () => {
  await initBackend();
  const pima = parseCsv(fs.readFileSync(path.join(__dirname, '../../data/pima-diabetes.csv'), 'utf8'));
  const spec = normalizeSpec({
    layers: [
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    loss: 'binary_crossentropy',
    optimizer: { name: 'adam', learningRate: 0.02 },
    epochs: 30,
    stratify: true,
  } as never);
  const before = tf.memory().numTensors;
  const trained = await trainFromTable(pima, { target: 'Outcome' }, spec, async () => undefined);
  expect(tf.memory().numTensors).toBe(before);
  expect(trained.featureImportanceMethod).toBe('permutation');
  expect(trained.permutation).toEqual({ metric: 'accuracy', baseline: trained.metrics.accuracy, rows: 154, repeats: 5 });
  const imp = trained.featureImportances!;
  console.log(`Pima network (test accuracy ${trained.metrics.accuracy!.toFixed(3)}): ${imp.map((f) => `${f.input} ${f.importance.toFixed(3)}±${f.std!.toFixed(3)}`).join(', ')}`);
  expect(imp.map((f) => f.input)).toEqual(trained.inputNames);
  expect(imp.reduce((a, b) => (b.importance > a.importance ? b : a)).input).toBe('Glucose');
  expect(imp.find((f) => f.input === 'Glucose')!.importance).toBeGreaterThan(0.05);
  // Each value is a whole number of test rows (of 154) changing their answer, averaged over 5 shuffles.
  for (const f of imp) expect(Math.abs(f.importance * 154 * 5 - Math.round(f.importance * 154 * 5))).toBeLessThan(1e-6);
});
