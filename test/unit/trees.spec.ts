/** Trees: stored JSON scores as the library predicts; importances; the size guard. */
import { DecisionTreeClassifier, DecisionTreeRegression } from 'ml-cart';
import { parseCsv } from '../../src/ml/data/csv';
import { prepareData } from '../../src/ml/prepare';
import { rng } from '../../src/ml/random';
import { normalizeSpec } from '../../src/ml/spec';
import { scoreTrees } from '../../src/ml/trees/artifact';
import { treeImportances } from '../../src/ml/trees/importance';
import { trainTrees } from '../../src/ml/trees/train-trees';

function data(target: 'cls' | 'val', rows = 200) {
  const r = rng(5);
  const lines = ['a,b,noise,cls,val'];
  for (let i = 0; i < rows; i++) {
    const [a, b, n] = [r(), r(), r()];
    lines.push(`${a},${b},${n},${a + b > 1 ? (a > 0.7 ? 'hi' : 'mid') : 'lo'},${3 * a - b}`);
  }
  return parseCsv(lines.join('\n'));
}

it.each(['decision_tree', 'random_forest'] as const)('%s: scores like the library, importances favour the informative inputs', (model) => {
  const spec = normalizeSpec({ model, tree: { maxDepth: 5, nEstimators: 10 }, seed: 1 });
  const d = prepareData(data('cls'), { target: 'cls', features: ['a', 'b', 'noise'] }, spec);
  const trees = trainTrees(d, spec);
  expect(trees).toMatchObject({ kind: model, task: 'multiclass', classCount: 3, inputs: 3 });
  const probs = scoreTrees(trees, d.test.x, d.test.rows);
  expect(probs).toHaveLength(d.test.rows * 3);
  const imp = treeImportances(trees, d.train.x, d.train.y, d.train.rows);
  expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  expect(imp[2]).toBeLessThan(Math.min(imp[0], imp[1]));
  if (model === 'decision_tree') {
    // The same tree, trained by ml-cart directly, predicts the argmax of the stored leaf frequencies.
    const x = Array.from({ length: d.train.rows }, (_, i) => Array.from(d.train.x.subarray(i * 3, i * 3 + 3)));
    const lib = new DecisionTreeClassifier({ minNumSamples: 4, maxDepth: 5 });
    lib.train(x, Array.from(d.train.y));
    const xt = Array.from({ length: d.test.rows }, (_, i) => Array.from(d.test.x.subarray(i * 3, i * 3 + 3)));
    const argmax = (i: number) => [0, 1, 2].reduce((k, c) => (probs[i * 3 + c] > probs[i * 3 + k] ? c : k), 0);
    expect(lib.predict(xt)).toEqual(xt.map((_, i) => argmax(i)));
  }
});

it('regression trees predict leaf means, as ml-cart', () => {
  const spec = normalizeSpec({ model: 'decision_tree', task: 'regression', tree: { maxDepth: 4 } });
  const d = prepareData(data('val'), { target: 'val', features: ['a', 'b'] }, spec);
  const trees = trainTrees(d, spec);
  const x = (s: typeof d.train) => Array.from({ length: s.rows }, (_, i) => Array.from(s.x.subarray(i * 2, i * 2 + 2)));
  const lib = new DecisionTreeRegression({ minNumSamples: 4, maxDepth: 4 });
  lib.train(x(d.train), Array.from(d.train.y));
  const ours = scoreTrees(trees, d.test.x, d.test.rows);
  lib.predict(x(d.test)).forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 5));
});

it('refuses data too large for the tree library, naming the sizes', () => {
  const spec = normalizeSpec({ model: 'random_forest', tree: { nEstimators: 500 } });
  const d = prepareData(data('cls', 3000), { target: 'cls' }, spec);
  expect(() => trainTrees(d, spec)).toThrow(/RANDOM_FOREST on 2400 training rows × 4 inputs × 500 tree\(s\) is too large/);
});
