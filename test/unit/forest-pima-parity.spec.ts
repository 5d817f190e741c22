/**
 * The random forest on Pima against scikit-learn 1.2.1's RandomForestClassifier on the same rows
 * (issue 13's review: a default forest scored 0.662 test accuracy, below a single tree). The learner
 * is not at fault: on the default split (seed 42, unstratified 80/20) the test rows' majority class
 * is already 0.669 (not the whole file's 0.651), and scikit-learn's own forests land on the same
 * numbers there. References, measured with scikit-learn 1.2.1 (Debian's python3-sklearn) on the
 * split's 614 training and 154 test rows, mean of random_state 0..9:
 * - RandomForestClassifier(n_estimators=50, max_depth=10, min_samples_split=5, max_features=0.7)
 *   (this service's defaults): accuracy 0.7006 (sd 0.0175; random_state 0: 0.6623), ROC AUC 0.7606;
 * - RandomForestClassifier() (scikit-learn's defaults): accuracy 0.6942 (sd 0.0098), ROC AUC 0.7607.
 * Over 20 other seeded splits (seeds 1..20) the two agree too: this learner 0.7571 accuracy with the
 * service's defaults, scikit-learn 0.7571 with the same settings and 0.7584 with its own defaults.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../src/ml/data/csv';
import { evaluate } from '../../src/ml/evaluate';
import { prepareData } from '../../src/ml/prepare';
import { normalizeSpec } from '../../src/ml/spec';
import { fitHist, scoreHist } from '../../src/ml/trees/hist';
import { TREE_DEFAULTS } from '../../src/ml/trees/tree-spec';

const pima = parseCsv(fs.readFileSync(path.join(__dirname, '../../data/pima-diabetes.csv'), 'utf8'));

it("scores a default forest on Pima's default split as scikit-learn's forests score there", () => {
  const spec = normalizeSpec({ model: 'random_forest' } as never);
  expect([spec.seed, spec.stratify, spec.tree]).toEqual([42, false, TREE_DEFAULTS.random_forest]);
  const data = prepareData(pima, { target: 'Outcome' }, spec);
  const positives = data.test.y.reduce((s, v) => s + v, 0);
  expect([data.train.rows, data.test.rows, positives]).toEqual([614, 154, 51]); // majority 103 / 154 = 0.669
  const t = spec.tree!;
  const runs = Array.from({ length: 10 }, (_, seed) => {
    const model = fitHist(data.train.x, data.train.y, data.train.rows, data.inputNames.length, {
      kind: 'random_forest',
      task: 'binary',
      classCount: 2,
      maxDepth: t.maxDepth,
      minSamplesLeaf: t.minSamplesLeaf,
      minSamplesSplit: t.minSamplesSplit,
      nEstimators: t.nEstimators,
      maxFeatures: t.maxFeatures,
      maxBins: t.maxBins,
      learningRate: 0.1,
      l2Regularization: 0,
      subsample: 1,
      seed,
    });
    return evaluate('binary', scoreHist(model, data.test.x, data.test.rows), data.test.y, data.test.rows, ['0', '1']);
  });
  const mean = (k: 'accuracy' | 'rocAuc') => runs.reduce((s, m) => s + m[k]!, 0) / runs.length;
  console.log(`Pima default split, forest seeds 0..9: accuracy ${mean('accuracy').toFixed(4)}, ROC AUC ${mean('rocAuc').toFixed(4)}`);
  // Within two of scikit-learn's standard deviations (0.0175) of its mean with the same settings.
  expect(Math.abs(mean('accuracy') - 0.7006)).toBeLessThan(0.035);
  expect(Math.abs(mean('rocAuc') - 0.7606)).toBeLessThan(0.02);
});
