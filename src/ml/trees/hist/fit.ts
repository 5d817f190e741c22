/**
 * Entry point of training: checks, bins the inputs once, then grows a decision tree, a random
 * forest or a boosted ensemble.
 */
import { binData } from './bin';
import { fitBoosting } from './boost';
import { fitForest } from './forest';
import type { HistModel } from './model';
import { checkParams, type FitOptions, type HistKind, type HistParams, type HistTask } from './params';

/**
 * Trains a histogram tree model.
 * @param x training inputs, row-major [rows, inputs]; NaN = missing (learned default direction).
 * @param y [rows]: class index 0..classCount-1 (classification) or value (regression).
 * @param opts onRound after every round (boosting round, forest tree, or the one decision tree);
 *   returning 'stop', or an aborted signal, ends training after that round with the model so far.
 * @throws AppError BAD_USER_INPUT for impossible params or shapes, naming the field (`spec.tree.maxBins`).
 */
export function fitHist(x: Float32Array, y: Float32Array, rows: number, inputs: number, params: HistParams, opts: FitOptions = {}): HistModel {
  checkParams(x, y, rows, inputs, params);
  const binned = binData(x, rows, inputs, params.maxBins, params.seed);
  return params.kind === 'gradient_boosting' ? fitBoosting(binned, x, y, params, opts) : fitForest(binned, y, params, opts);
}

/**
 * Recommended params per kind (measured with bench/trees.ts on Adult and California housing):
 * - gradient_boosting: learning rate 0.1, 31 leaves, 20 rows per leaf, λ 0, all inputs
 *   (scikit-learn HistGradientBoosting's defaults); 100 rounds for classification (Adult 0.872 /
 *   AUC 0.927; 200 gives no more), 200 for regression (California R² 0.840 against 0.830 at 100);
 * - random_forest: 100 trees, unlimited depth, 1 row per leaf; per split sqrt(inputs) inputs for
 *   classification (scikit-learn's default; Adult 0.855 / AUC 0.902), a third for regression
 *   (Breiman's rule; California R² 0.827 against 0.823 with sqrt);
 * - decision_tree: depth 10, 1 row per leaf, all inputs.
 */
export function histDefaults(kind: HistKind, task: HistTask, inputs: number, classCount?: number): HistParams {
  const common = {
    kind,
    task,
    ...(task !== 'regression' ? { classCount: classCount ?? 2 } : {}),
    minSamplesSplit: 2,
    learningRate: 0.1,
    l2Regularization: 0,
    subsample: 1,
    maxBins: 255,
    seed: 42,
  };
  if (kind === 'gradient_boosting') return { ...common, maxLeafNodes: 31, minSamplesLeaf: 20, nEstimators: task === 'regression' ? 200 : 100, maxFeatures: 1 };
  if (kind === 'random_forest') {
    const perSplit = task === 'regression' ? Math.max(1, Math.floor(inputs / 3)) : Math.max(1, Math.floor(Math.sqrt(inputs)));
    return { ...common, minSamplesLeaf: 1, nEstimators: 100, maxFeatures: perSplit / inputs };
  }
  return { ...common, maxDepth: 10, minSamplesLeaf: 1, nEstimators: 1, maxFeatures: 1 };
}
