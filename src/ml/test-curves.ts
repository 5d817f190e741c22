/**
 * What a version's page draws from its test split, stored with the test metrics at training time
 * (the test predictions themselves are not kept): binary classifiers' ROC curve (scikit-learn's
 * `roc_curve` with `drop_intermediate=False`, thinned to at most {@link MAX_ROC_POINTS}), and
 * regressors' (actual, predicted) pairs for a predicted-vs-actual and a residuals plot (an even
 * sample of at most {@link MAX_SAMPLE_POINTS} test rows, in test-split order).
 */
import type { Task } from './spec-types';

/** One point of the ROC curve: rows with P(positive) ≥ threshold are called positive. */
export interface RocPoint {
  /** False positive rate, in [0, 1]. */
  fpr: number;
  /** True positive rate (recall), in [0, 1]. */
  tpr: number;
  /** The lowest score called positive; the first point, (0, 0), calls no row positive (threshold 1 there). */
  threshold: number;
}

/** One test row of a regressor: its true value and the predicted one, in the target's units. */
export interface ActualPredicted {
  actual: number;
  predicted: number;
}

/** The curves stored next to the test metrics (each absent when it does not apply). */
export interface TestCurves {
  rocCurve?: RocPoint[];
  testPredictions?: ActualPredicted[];
}

/** Most points kept on a ROC curve (its first and last always kept). */
export const MAX_ROC_POINTS = 101;
/** Most (actual, predicted) pairs kept for a regressor. */
export const MAX_SAMPLE_POINTS = 200;

/** `count` indexes spread evenly over [0, n), the first and the last included (all of them when n ≤ count). */
function spread(n: number, count: number): number[] {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: count }, (_, k) => Math.round((k * (n - 1)) / (count - 1)));
}

/**
 * The ROC curve of P(positive) `scores` against 0/1 labels `actual`: one point per distinct score
 * (descending), from (0, 0) to (1, 1), thinned evenly to at most `maxPoints` (≥ 2). Undefined when
 * the labels hold one class only (no rate can be computed).
 */
export function rocCurve(scores: ArrayLike<number>, actual: ArrayLike<number>, rows: number, maxPoints = MAX_ROC_POINTS): RocPoint[] | undefined {
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < rows; i++) if (actual[i] === 1) pos++;
  const neg = rows - pos;
  if (pos === 0 || neg === 0) return undefined;
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: 1 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < rows; i++) {
    if (actual[order[i]] === 1) tp++;
    else fp++;
    const score = scores[order[i]];
    // One point per distinct score: ties are called positive together.
    if (i + 1 < rows && scores[order[i + 1]] === score) continue;
    points.push({ fpr: fp / neg, tpr: tp / pos, threshold: score });
  }
  return spread(points.length, Math.max(2, maxPoints)).map((i) => points[i]);
}

/** At most `maxPoints` (actual, predicted) pairs of a regressor's test rows, spread evenly. */
export function predictionSample(outputs: ArrayLike<number>, y: ArrayLike<number>, rows: number, maxPoints = MAX_SAMPLE_POINTS): ActualPredicted[] {
  return spread(rows, maxPoints).map((i) => ({ actual: y[i], predicted: outputs[i] }));
}

/**
 * The curves for a task's test outputs: binary → `rocCurve`, regression → `testPredictions`,
 * others (multiclass, no test rows) → none.
 * @param outputs model outputs [rows, units] row-major (binary: P(positive); regression: values).
 * @param y true labels [rows]: 0/1 (binary) or values.
 */
export function testCurves(task: Task, outputs: ArrayLike<number>, y: ArrayLike<number>, rows: number): TestCurves {
  if (rows === 0) return {};
  if (task === 'binary') {
    const roc = rocCurve(outputs, y, rows);
    return roc ? { rocCurve: roc } : {};
  }
  if (task === 'regression') return { testPredictions: predictionSample(outputs, y, rows) };
  return {};
}
