/**
 * Options of the histogram tree learner and their checks. Names follow scikit-learn
 * (`max_depth`, `max_leaf_nodes`, `min_samples_leaf`, `l2_regularization`, `max_bins`, …).
 *
 * Glossary: a *round* is one boosting iteration (one tree per output: 1, or K for multiclass);
 * for a random forest a round is one tree. *Inputs* are the model-input columns of x.
 */
import { badInput } from '../../../lib/errors';

export type HistTask = 'binary' | 'multiclass' | 'regression';
export type HistKind = 'decision_tree' | 'random_forest' | 'gradient_boosting';

/** Validation rows for early stopping: x row-major [rows, inputs], y [rows] (class index or value). */
export interface HistValidation {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

export interface HistEarlyStopping {
  validation: HistValidation;
  /** Stop when the validation loss has not improved by more than `tol` for this many rounds. */
  nIterNoChange: number;
  /** Minimum decrease of the validation loss that counts as an improvement (loss units). */
  tol: number;
}

export interface HistParams {
  kind: HistKind;
  task: HistTask;
  /** Classification: number of classes (>= 2); labels are class indices 0..classCount-1. */
  classCount?: number;
  /** Deepest level of a node (root = depth 0). (Default: unlimited) */
  maxDepth?: number;
  /** Leaf-wise (best-first) growth up to this many leaves. (Default: unlimited, depth-wise) */
  maxLeafNodes?: number;
  /** A split must leave at least this many rows (bootstrap copies counted) on each side. GBT 20, DT/RF 1. */
  minSamplesLeaf: number;
  /** A node with fewer rows is a leaf. (Default: 2) */
  minSamplesSplit: number;
  /** Trees (random forest) or boosting rounds (gradient boosting); 1 for a decision tree. */
  nEstimators: number;
  /** Gradient boosting: shrinkage of every leaf value. (Default: 0.1) */
  learningRate: number;
  /** Gradient boosting: L2 penalty λ on leaf values, in hessian units. (Default: 0) */
  l2Regularization: number;
  /** Gradient boosting: fraction of the rows drawn (without replacement) per round. (Default: 1) */
  subsample: number;
  /** Fraction of the inputs considered per split, at least one. (Default: 1; forests ~sqrt(n)/n) */
  maxFeatures: number;
  /** Bins for non-missing values per input, in [2, 255]; missing values get one more bin. (Default: 255) */
  maxBins: number;
  /** Gradient boosting only. */
  earlyStopping?: HistEarlyStopping;
  /** Seeds bootstrap, row subsampling and feature sampling. */
  seed: number;
}

/** Progress after each round (boosting round, forest tree, or the single decision tree). */
export interface RoundProgress {
  /** 1-based. */
  round: number;
  rounds: number;
  /** Mean training loss: log-loss (classification) or mean squared error (regression). */
  loss: number;
  /** Classification: training accuracy. */
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Since the fit started. */
  elapsedMs: number;
}

export interface FitOptions {
  /** Called after every round; returning 'stop' ends training after that round. */
  onRound?: (p: RoundProgress) => void | 'stop';
  /** Checked after every round: when aborted, the model trained so far is returned. */
  signal?: AbortSignal;
}

/** Scikit-learn HistGradientBoosting's min_hessian_to_split: a child needs this much hessian. */
export const MIN_HESSIAN = 1e-3;

/** Bins used for quantiles are computed from at most this many rows (scikit-learn: 2e5). */
export const BIN_SUBSAMPLE = 200_000;

type Field = keyof HistParams;

function check(field: Field | string, ok: boolean, expected: string, got: unknown): void {
  if (!ok) throw badInput(`spec.tree.${field} must be ${expected}, got ${typeof got === 'number' ? got : JSON.stringify(got)}`, { field: `spec.tree.${field}` });
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks params and data shapes before any work.
 * @throws AppError BAD_USER_INPUT naming the field (`spec.tree.maxBins must be an integer in [2, 255], got 300`).
 */
export function checkParams(x: Float32Array, y: Float32Array, rows: number, inputs: number, p: HistParams): void {
  check('kind', ['decision_tree', 'random_forest', 'gradient_boosting'].includes(p.kind), 'decision_tree, random_forest or gradient_boosting', p.kind);
  check('task', ['binary', 'multiclass', 'regression'].includes(p.task), 'binary, multiclass or regression', p.task);
  if (!isInt(rows) || rows < 1 || !isInt(inputs) || inputs < 1) throw badInput(`The training data needs at least 1 row and 1 input, got ${rows} rows × ${inputs} inputs`);
  if (x.length !== rows * inputs) throw badInput(`x has ${x.length} values; ${rows} rows × ${inputs} inputs need ${rows * inputs}`);
  if (y.length !== rows) throw badInput(`y has ${y.length} values; expected one per row (${rows})`);
  if (p.task !== 'regression') {
    const k = p.classCount;
    check('classCount', isInt(k) && k >= 2 && k <= 65_536 && (p.task === 'multiclass' || k === 2), p.task === 'binary' ? '2 for a binary task' : 'an integer in [2, 65536]', k);
    for (let i = 0; i < rows; i++) {
      if (!(y[i] >= 0 && y[i] < k! && Number.isInteger(y[i]))) throw badInput(`Label of training row ${i} is ${y[i]}; expected a class index in [0, ${k! - 1}]`);
    }
  } else {
    for (let i = 0; i < rows; i++) if (!Number.isFinite(y[i])) throw badInput(`Target of training row ${i} is ${y[i]}; regression needs finite values`);
  }
  if (p.maxDepth !== undefined) check('maxDepth', isInt(p.maxDepth) && p.maxDepth >= 1 && p.maxDepth <= 1000, 'an integer in [1, 1000] or unset', p.maxDepth);
  if (p.maxLeafNodes !== undefined) check('maxLeafNodes', isInt(p.maxLeafNodes) && p.maxLeafNodes >= 2 && p.maxLeafNodes <= 1 << 20, 'an integer >= 2 or unset', p.maxLeafNodes);
  check('minSamplesLeaf', isInt(p.minSamplesLeaf) && p.minSamplesLeaf >= 1, 'an integer >= 1', p.minSamplesLeaf);
  check('minSamplesSplit', isInt(p.minSamplesSplit) && p.minSamplesSplit >= 2, 'an integer >= 2', p.minSamplesSplit);
  check('nEstimators', isInt(p.nEstimators) && p.nEstimators >= 1 && p.nEstimators <= 100_000, 'an integer in [1, 100000]', p.nEstimators);
  if (p.kind === 'decision_tree') check('nEstimators', p.nEstimators === 1, '1 for a decision tree', p.nEstimators);
  check('learningRate', isNum(p.learningRate) && p.learningRate > 0 && p.learningRate <= 10, 'a number in (0, 10]', p.learningRate);
  check('l2Regularization', isNum(p.l2Regularization) && p.l2Regularization >= 0, 'a number >= 0', p.l2Regularization);
  check('subsample', isNum(p.subsample) && p.subsample > 0 && p.subsample <= 1, 'a number in (0, 1]', p.subsample);
  check('maxFeatures', isNum(p.maxFeatures) && p.maxFeatures > 0 && p.maxFeatures <= 1, 'a number in (0, 1]', p.maxFeatures);
  check('maxBins', isInt(p.maxBins) && p.maxBins >= 2 && p.maxBins <= 255, 'an integer in [2, 255]', p.maxBins);
  check('seed', isInt(p.seed), 'an integer', p.seed);
  const es = p.earlyStopping;
  if (es) {
    check('earlyStopping', p.kind === 'gradient_boosting', 'unset for DECISION_TREE and RANDOM_FOREST (gradient boosting only)', 'set');
    check('earlyStopping.nIterNoChange', isInt(es.nIterNoChange) && es.nIterNoChange >= 1, 'an integer >= 1', es.nIterNoChange);
    check('earlyStopping.tol', isNum(es.tol) && es.tol >= 0, 'a number >= 0', es.tol);
    const v = es.validation;
    if (!v || !isInt(v.rows) || v.rows < 1 || v.x.length !== v.rows * inputs || v.y.length !== v.rows) {
      throw badInput(`spec.tree.earlyStopping.validation must hold rows × ${inputs} inputs and one label per row, with at least 1 row`);
    }
  }
}
