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
 * Recommended params per kind (measured on Adult and California housing, see bench/trees.ts):
 * - gradient_boosting: 100 rounds, learning rate 0.1, 31 leaves, 20 rows per leaf, λ 0, all inputs
 *   (scikit-learn HistGradientBoosting's defaults);
 * - random_forest: 100 trees, sqrt(inputs) inputs per split, unlimited depth, 1 row per leaf
 *   (scikit-learn RandomForest's defaults);
 * - decision_tree: depth 10, 1 row per leaf, all inputs.
 */
export function histDefaults(kind: HistKind, task: HistTask, inputs: number, classCount?: number): HistParams {
  const common = { kind, task, ...(task !== 'regression' ? { classCount: classCount ?? 2 } : {}), minSamplesSplit: 2, learningRate: 0.1, l2Regularization: 0, subsample: 1, maxBins: 255, seed: 42 };
  if (kind === 'gradient_boosting') return { ...common, maxLeafNodes: 31, minSamplesLeaf: 20, nEstimators: 100, maxFeatures: 1 };
  if (kind === 'random_forest') return { ...common, minSamplesLeaf: 1, nEstimators: 100, maxFeatures: Math.max(1, Math.floor(Math.sqrt(inputs))) / inputs };
  return { ...common, maxDepth: 10, minSamplesLeaf: 1, nEstimators: 1, maxFeatures: 1 };
}
