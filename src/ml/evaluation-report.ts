/**
 * Metrics of a model version on any labelled dataset (evaluateModelVersion): the same metrics as
 * the version's stored test metrics ({@link evaluate}, src/ml/evaluate.ts), plus, for classifiers:
 *
 * - `prAuc`: average precision, scikit-learn's `average_precision_score` (Σ (Rₙ − Rₙ₋₁) Pₙ over
 *   the distinct score thresholds, descending); multiclass: its one-vs-rest macro mean.
 * - `brier`: binary: mean (p − y)², p = P(positive class) (`brier_score_loss`, in [0, 1]; 0.25 is
 *   always answering 0.5); multiclass: mean Σₖ (pₖ − yₖ)² over the classes (Brier 1950, in [0, 2]).
 * - `ovrMacroAuc`: multiclass only: the mean over classes of the ROC AUC of class k against the
 *   rest (`roc_auc_score(multi_class='ovr', average='macro')`); classes with no or only positive
 *   rows are left out.
 * - `calibration`: a reliability table of 10 equal-width bins of the predicted probability
 *   ([0, 0.1), …, [0.9, 1]): binary: P(positive) against the observed positive rate; multiclass:
 *   the top class's probability against how often it is right. Empty bins are kept (count 0).
 * - `rocCurve` (binary) and `testPredictions` (regression), as the training pipeline stores with a
 *   version's test metrics (src/ml/test-curves.ts), here over the rows evaluated.
 * - `atThreshold` (binary): a row is predicted positive when P(positive) ≥ threshold; precision,
 *   recall, F1 of the positive class, accuracy and the confusion matrix there.
 */
import { evaluate, type EvaluationMetrics } from './evaluate';
import { testCurves } from './test-curves';
import type { Task } from './spec-types';

/** One bin of the reliability table. */
export interface CalibrationBin {
  /** The bin's probability range [lower, upper) (the last bin includes 1). */
  lower: number;
  upper: number;
  /** Mean predicted probability of the rows in the bin (null when empty). */
  meanPredicted: number | null;
  /** Share of those rows that are positive (binary) or predicted right (multiclass); null when empty. */
  observedRate: number | null;
  count: number;
}

/** Binary metrics when a row is positive from `threshold` on. */
export interface ThresholdMetrics {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  /** confusionMatrix[actual][predicted], negative class first. */
  confusionMatrix: number[][];
}

/** What an evaluation stores: the test-metric shape plus the classifier extras. */
export interface EvaluationReport extends EvaluationMetrics {
  prAuc?: number;
  brier?: number;
  ovrMacroAuc?: number;
  calibration?: CalibrationBin[];
  atThreshold?: ThresholdMetrics;
}

/** Bins of the reliability table. */
const BINS = 10;

/**
 * @param outputs model outputs [rows, units] row-major, as {@link evaluate} takes them.
 * @param y true labels [rows]: class index, or value.
 * @param threshold binary: the probability from which a row is positive. (Default: 0.5)
 * @throws AppError NON_FINITE_OUTPUT (see evaluate).
 */
export function evaluationReport(task: Task, outputs: Float32Array, y: Float32Array, rows: number, classes: string[], threshold = 0.5): EvaluationReport {
  // The ROC curve (binary), one-vs-rest curves and their macro AUC (multiclass) or (actual, predicted) pairs (regression), as a version's test metrics have.
  const base = { ...evaluate(task, outputs, y, rows, classes), ...testCurves(task, outputs, y, rows, classes) };
  if (task === 'regression' || rows === 0) return base;
  if (task === 'binary') {
    const p = Array.from(outputs.subarray(0, rows));
    const actual = Array.from(y.subarray(0, rows));
    let brier = 0;
    for (let i = 0; i < rows; i++) brier += (p[i] - actual[i]) ** 2;
    return {
      ...base,
      ...defined('prAuc', averagePrecision(p, actual)),
      brier: brier / rows,
      calibration: reliability(p, actual),
      atThreshold: atThreshold(p, actual, threshold),
    };
  }
  const k = classes.length;
  const probs = (i: number) => outputs.subarray(i * k, (i + 1) * k);
  let brier = 0;
  const top: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < rows; i++) {
    const pi = probs(i);
    let best = 0;
    for (let c = 0; c < k; c++) {
      brier += (pi[c] - (y[i] === c ? 1 : 0)) ** 2;
      if (pi[c] > pi[best]) best = c;
    }
    top.push(pi[best]);
    right.push(best === y[i] ? 1 : 0);
  }
  const aps: number[] = [];
  for (let c = 0; c < k; c++) {
    const scores = Array.from({ length: rows }, (_, i) => outputs[i * k + c]);
    const isC = Array.from({ length: rows }, (_, i) => (y[i] === c ? 1 : 0));
    const ap = averagePrecision(scores, isC);
    if (ap !== undefined) aps.push(ap);
  }
  // ovrMacroAuc comes with the one-vs-rest curves (base, src/ml/test-curves.ts).
  return {
    ...base,
    ...defined('prAuc', aps.length ? mean(aps) : undefined),
    brier: brier / rows,
    calibration: reliability(top, right),
  };
}

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const defined = <K extends string>(key: K, v: number | undefined) => (v === undefined ? {} : ({ [key]: v } as Record<K, number>));

/** scikit-learn's average_precision_score; undefined without a positive row. */
export function averagePrecision(scores: ArrayLike<number>, actual: ArrayLike<number>): number | undefined {
  const n = actual.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += actual[i] === 1 ? 1 : 0;
  if (positives === 0) return undefined;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let tp = 0;
  let fp = 0;
  let lastRecall = 0;
  let ap = 0;
  for (let i = 0; i < n;) {
    let j = i;
    // Tied scores are one threshold.
    while (j < n && scores[order[j]] === scores[order[i]]) {
      if (actual[order[j]] === 1) tp++;
      else fp++;
      j++;
    }
    const recall = tp / positives;
    ap += (recall - lastRecall) * (tp / (tp + fp));
    lastRecall = recall;
    i = j;
  }
  return ap;
}

/** The 10-bin reliability table of probabilities `p` against outcomes `hit` (0 or 1). */
export function reliability(p: ArrayLike<number>, hit: ArrayLike<number>): CalibrationBin[] {
  const sumP = new Array<number>(BINS).fill(0);
  const sumHit = new Array<number>(BINS).fill(0);
  const count = new Array<number>(BINS).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(BINS - 1, Math.max(0, Math.floor(p[i] * BINS)));
    sumP[b] += p[i];
    sumHit[b] += hit[i];
    count[b]++;
  }
  return count.map((c, b) => ({ lower: b / BINS, upper: (b + 1) / BINS, meanPredicted: c ? sumP[b] / c : null, observedRate: c ? sumHit[b] / c : null, count: c }));
}

/** Binary metrics with rows positive from `threshold` on. */
export function atThreshold(p: ArrayLike<number>, actual: ArrayLike<number>, threshold: number): ThresholdMetrics {
  const cm = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < p.length; i++) cm[actual[i] === 1 ? 1 : 0][p[i] >= threshold ? 1 : 0]++;
  const tp = cm[1][1];
  const precision = tp + cm[0][1] ? tp / (tp + cm[0][1]) : 0;
  const recall = tp + cm[1][0] ? tp / (tp + cm[1][0]) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, precision, recall, f1, accuracy: p.length ? (cm[0][0] + tp) / p.length : 0, confusionMatrix: cm };
}
