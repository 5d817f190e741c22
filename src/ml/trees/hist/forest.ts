/**
 * Decision trees and random forests on binned inputs, with scikit-learn's semantics
 * (DecisionTreeClassifier / RandomForestClassifier and the regressors): Gini impurity and leaf
 * class frequencies for classification, squared error and leaf means for regression. A forest
 * bootstraps rows per tree (n draws with replacement; a row drawn twice counts twice) and draws
 * `maxFeatures` of the inputs at every split (Breiman 2001); its output is the average of its
 * trees' (predict_proba). Thresholds come from the bins, so a split can only fall on a bin edge.
 */
import { rng } from '../../random';
import type { BinnedData } from './bin';
import { Grower } from './grow';
import { featuresPerSplit, leafOfBinned } from './grow-types';
import { normalizeImportances, type HistModel } from './model';
import type { FitOptions, HistParams } from './params';
import type { HistTree } from './tree';

const EPS = 1e-15;

/** Fits a decision tree (kind 'decision_tree') or a random forest on binned training rows. */
export function fitForest(d: BinnedData, y: Float32Array, p: HistParams, opts: FitOptions = {}): HistModel {
  const started = performance.now();
  const { rows, inputs } = d;
  const classify = p.task !== 'regression';
  const k = classify ? p.classCount! : 1;
  const random = rng(p.seed);
  const grower = new Grower(
    d,
    {
      mode: classify ? 'class' : 'grad',
      classes: k,
      maxDepth: p.maxDepth ?? Infinity,
      maxLeafNodes: p.maxLeafNodes ?? Infinity,
      minSamplesLeaf: p.minSamplesLeaf,
      minSamplesSplit: p.minSamplesSplit,
      // Regression: g = −y, h = 1, so −G/H is the leaf mean and the gain the decrease of squared error.
      minHessian: 0,
      lambda: 0,
      leafScale: 1,
      featuresPerSplit: featuresPerSplit(p.maxFeatures, inputs),
    },
    random,
    rows,
  );
  const labels = classify ? Uint16Array.from(y) : undefined;
  // Bootstrap multiplicity per row, as sample weights (scikit-learn's forests do the same).
  const w = new Float64Array(rows).fill(1);
  const g = classify ? undefined : new Float64Array(rows);
  const h = classify ? undefined : new Float64Array(rows);
  const bootstrap = p.kind === 'random_forest';
  const idx = new Int32Array(rows);
  // Sum of the trees' outputs per training row [rows, k], for the progress loss.
  const sum = new Float64Array(rows * k);
  const trees: HistTree[] = [];
  const total = bootstrap ? p.nEstimators : 1;
  for (let t = 0; t < total; t++) {
    if (bootstrap) {
      w.fill(0);
      for (let i = 0; i < rows; i++) w[Math.floor(random() * rows)]++;
    }
    let n = 0;
    for (let r = 0; r < rows; r++) if (w[r] > 0) idx[n++] = r;
    if (g && h) {
      // Regression: g = −y·w and h = w make −G/H the weighted leaf mean.
      for (let r = 0; r < rows; r++) {
        g[r] = -y[r] * w[r];
        h[r] = w[r];
      }
    }
    const grown = grower.grow({ idx, g, h, y: labels, w, unique: true }, n);
    trees.push(grown.tree);
    const value = grown.tree.value;
    for (let r = 0; r < rows; r++) {
      const leaf = leafOfBinned(grown.tree, grown.nodeBin, d, r);
      for (let c = 0; c < k; c++) sum[r * k + c] += value[leaf * k + c];
    }
    const stats = forestLoss(sum, y, rows, k, trees.length, classify);
    const answer = opts.onRound?.({ round: t + 1, rounds: total, ...stats, elapsedMs: performance.now() - started });
    if (answer === 'stop' || opts.signal?.aborted) break;
  }
  return {
    kind: p.kind,
    task: p.task,
    ...(classify ? { classCount: k } : {}),
    inputs,
    baseScore: [],
    trees,
    rounds: trees.length,
    gainImportances: normalizeImportances(grower.importances),
  };
}

/** Training log-loss and accuracy (classification) or mean squared error of the forest so far. */
function forestLoss(sum: Float64Array, y: Float32Array, rows: number, k: number, trees: number, classify: boolean): { loss: number; accuracy?: number } {
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    if (!classify) {
      const e = sum[r] / trees - y[r];
      loss += e * e;
      continue;
    }
    let arg = 0;
    for (let c = 1; c < k; c++) if (sum[r * k + c] > sum[r * k + arg]) arg = c;
    if (arg === y[r]) correct++;
    loss -= Math.log(Math.min(1 - EPS, Math.max(EPS, sum[r * k + y[r]] / trees)));
  }
  return classify ? { loss: loss / rows, accuracy: correct / rows } : { loss: loss / rows };
}
