/**
 * What a version's page draws from its test split, stored with the test metrics at training time
 * (the test predictions themselves are not kept): binary classifiers' ROC curve (scikit-learn's
 * `roc_curve` with `drop_intermediate=False`, thinned to at most {@link MAX_ROC_POINTS}),
 * multiclass classifiers' one-vs-rest ROC curves, one per class (class k's probability against
 * "is k"), with each class's AUC and their macro mean (scikit-learn's
 * `roc_auc_score(multi_class='ovr', average='macro')`), and regressors' (actual, predicted) pairs
 * for a predicted-vs-actual and a residuals plot (an even sample of at most
 * {@link MAX_SAMPLE_POINTS} test rows, in test-split order).
 */
import { rocAuc } from './roc-auc';
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

/** One class's one-vs-rest ROC curve: P(class) as the score, "is the class" as the positive label. */
export interface ClassRocCurve {
  /** The class, as in the version's classes. */
  class: string;
  /** The area under the full curve (before thinning); scikit-learn's roc_auc_score of this class against the rest. */
  auc: number;
  points: RocPoint[];
}

/** The curves stored next to the test metrics (each absent when it does not apply). */
export interface TestCurves {
  rocCurve?: RocPoint[];
  /** Multiclass: one per class that has test rows of it and of others, in class order (at most {@link MAX_ROC_CLASSES} classes). */
  classRocCurves?: ClassRocCurve[];
  /** Multiclass: the mean of the classes' one-vs-rest AUCs (classes without rows of both kinds left out). */
  ovrMacroAuc?: number;
  testPredictions?: ActualPredicted[];
}

/** Most points kept on a ROC curve (its first and last always kept). */
export const MAX_ROC_POINTS = 101;
/**
 * Most classes whose one-vs-rest curves are stored (101 points each); with more, only
 * `ovrMacroAuc` is (a 1,000-class text classifier would otherwise store 100k points per version).
 */
export const MAX_ROC_CLASSES = 50;
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
 * One-vs-rest ROC curves of a multiclass classifier, and their macro-mean AUC.
 * @param probs class probabilities [rows, k] row-major.
 * @param y true class indexes [rows].
 * @param classes the k class names, in output order.
 * @returns the curves (omitted past {@link MAX_ROC_CLASSES} classes) and the mean AUC; empty when no
 *   class has rows of both kinds.
 */
export function oneVsRestCurves(probs: ArrayLike<number>, y: ArrayLike<number>, rows: number, classes: readonly string[]): Pick<TestCurves, 'classRocCurves' | 'ovrMacroAuc'> {
  const k = classes.length;
  const curves: ClassRocCurve[] = [];
  const aucs: number[] = [];
  for (let c = 0; c < k; c++) {
    const scores = Float64Array.from({ length: rows }, (_, i) => probs[i * k + c]);
    const isC = Uint8Array.from({ length: rows }, (_, i) => (y[i] === c ? 1 : 0));
    const auc = rocAuc(scores, isC);
    if (auc === undefined) continue; // no test row of the class, or only rows of it
    aucs.push(auc);
    if (k <= MAX_ROC_CLASSES) curves.push({ class: classes[c], auc, points: rocCurve(scores, isC, rows)! });
  }
  if (!aucs.length) return {};
  return { ...(curves.length ? { classRocCurves: curves } : {}), ovrMacroAuc: aucs.reduce((s, a) => s + a, 0) / aucs.length };
}

/**
 * The curves for a task's test outputs: binary → `rocCurve`, multiclass → `classRocCurves` and
 * `ovrMacroAuc` (when `classes` are given), regression → `testPredictions`; no test rows → none.
 * @param outputs model outputs [rows, units] row-major (binary: P(positive); multiclass: class
 *   probabilities; regression: values).
 * @param y true labels [rows]: 0/1 (binary), class indexes (multiclass) or values.
 * @param classes multiclass: the class names in output order.
 */
export function testCurves(task: Task, outputs: ArrayLike<number>, y: ArrayLike<number>, rows: number, classes?: readonly string[]): TestCurves {
  if (rows === 0) return {};
  if (task === 'binary') {
    const roc = rocCurve(outputs, y, rows);
    return roc ? { rocCurve: roc } : {};
  }
  if (task === 'regression') return { testPredictions: predictionSample(outputs, y, rows) };
  if (task === 'multiclass' && classes && classes.length > 1 && outputs.length === rows * classes.length) return oneVsRestCurves(outputs, y, rows, classes);
  return {};
}

/**
 * Why a version's (or an evaluation's) test curves are absent:
 * - `not_recorded`: stored before the platform kept curves (a binary ROC AUC or a regressor's
 *   metrics without their curve; a multiclass classifier without `ovrMacroAuc`, added with them);
 * - `one_class_in_test`: the test rows hold one class only, so no ROC rate can be computed;
 * - `too_many_classes`: past {@link MAX_ROC_CLASSES} classes only `ovrMacroAuc` is kept;
 * - `no_test_rows`: nothing was scored (an uploaded model, or no test split).
 */
export type CurvesUnavailable = 'not_recorded' | 'one_class_in_test' | 'too_many_classes' | 'no_test_rows';

/** The stored metrics {@link curvesUnavailable} reads. */
export interface StoredCurveMetrics extends TestCurves {
  task: string;
  testRows?: number;
  rocAuc?: number;
  /** [actual][predicted], in class order: its row sums are the test rows of each class. */
  confusionMatrix?: number[][];
}

/**
 * Why the curve of `metrics`' task (binary `rocCurve`, multiclass `classRocCurves`, regression
 * `testPredictions`) is absent, from what else was stored with it; undefined when it is there or
 * the task draws none.
 */
export function curvesUnavailable(metrics: StoredCurveMetrics): CurvesUnavailable | undefined {
  const { task } = metrics;
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression') return undefined;
  if (metrics.rocCurve || metrics.classRocCurves || metrics.testPredictions) return undefined;
  if (!metrics.testRows) return 'no_test_rows';
  if (task === 'regression') return 'not_recorded';
  if (task === 'binary') return metrics.rocAuc === undefined ? 'one_class_in_test' : 'not_recorded';
  const classes = metrics.confusionMatrix?.length ?? 0;
  if (metrics.ovrMacroAuc !== undefined) return classes > MAX_ROC_CLASSES ? 'too_many_classes' : 'not_recorded';
  const present = metrics.confusionMatrix?.filter((row) => row.some((n) => n > 0)).length ?? 0;
  return present === 1 ? 'one_class_in_test' : 'not_recorded';
}
