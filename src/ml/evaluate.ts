/**
 * Held-out metrics for a model version, computed on the test split only.
 * Formulas follow scikit-learn's definitions (sklearn.metrics): accuracy_score,
 * precision/recall/f1 (binary: positive = classes[1]; multiclass: macro average), roc_auc_score
 * (rank statistic, ties averaged), log_loss (probabilities clipped to [1e-7, 1 - 1e-7], as Keras'
 * epsilon), mean_squared_error, mean_absolute_error, r2_score.
 */
import { requireFiniteOutputs } from './predict';
import type { RankingMetrics } from './ranking';
import type { Task } from './spec-types';
import { rocAuc } from './roc-auc';
import type { TestCurves } from './test-curves';

export { rocAuc };

/** Test metrics; the training pipeline adds the {@link TestCurves} (src/ml/test-curves.ts), evaluate() does not. */
export interface EvaluationMetrics extends TestCurves {
  task: Task;
  /** Rows in the test split. */
  testRows: number;
  accuracy?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  rocAuc?: number;
  logLoss?: number;
  /** confusionMatrix[actual][predicted], in the order of the target's classes. */
  confusionMatrix?: number[][];
  /** Unweighted means over the classes (scikit-learn's average='macro'), binary included. */
  macroPrecision?: number;
  macroRecall?: number;
  macroF1?: number;
  /** Per class, in the order of the target's classes. */
  perClass?: ClassMetrics[];
  mse?: number;
  rmse?: number;
  mae?: number;
  r2?: number;
  /** Recommenders: top-10 ranking metrics next to the popularity baseline's (src/ml/ranking.ts). */
  ranking?: RankingMetrics;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Test rows of this class. */
  support: number;
}

const EPS = 1e-7;
const clip = (p: number) => Math.min(1 - EPS, Math.max(EPS, p));

/**
 * @param outputs model outputs [rows, units] row-major: P(classes[1]) (binary, 1 unit), class
 *   probabilities (multiclass) or values (regression).
 * @param y true labels [rows]: class index, or value.
 * @param classes class labels in output order (classification).
 */
export function evaluate(task: Task, outputs: Float32Array, y: Float32Array, rows: number, classes: string[] = ['0', '1']): EvaluationMetrics {
  if (rows === 0) return { task, testRows: 0 };
  // A diverged model (NaN/Infinity outputs) fails its run with NON_FINITE_OUTPUT, not NaN metrics.
  requireFiniteOutputs(outputs, rows);
  return finiteOnly(metricsOf(task, outputs, y, rows, classes));
}

/**
 * Drops a top-level metric that is not finite (none should be once outputs are finite; a stored NaN
 * would break every later read of the version), so the field reads as null.
 */
function finiteOnly(m: EvaluationMetrics): EvaluationMetrics {
  const out = { ...m } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (typeof v === 'number' && !Number.isFinite(v)) delete out[k];
  return out as unknown as EvaluationMetrics;
}

function metricsOf(task: Task, outputs: Float32Array, y: Float32Array, rows: number, classes: string[]): EvaluationMetrics {
  if (task === 'regression') return regression(outputs, y, rows);
  const classCount = classes.length;
  const units = outputs.length / rows;
  const actual = new Int32Array(rows);
  const predicted = new Int32Array(rows);
  const probTrue = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    actual[i] = y[i];
    if (task === 'binary') {
      const p1 = outputs[i];
      predicted[i] = p1 >= 0.5 ? 1 : 0;
      probTrue[i] = actual[i] === 1 ? p1 : 1 - p1;
    } else {
      const probs = outputs.subarray(i * units, (i + 1) * units);
      predicted[i] = argmax(probs);
      probTrue[i] = probs[actual[i]];
    }
  }
  const k = task === 'binary' ? 2 : classCount;
  const confusionMatrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < rows; i++) confusionMatrix[actual[i]][predicted[i]]++;
  let correct = 0;
  let logLoss = 0;
  for (let i = 0; i < rows; i++) {
    if (actual[i] === predicted[i]) correct++;
    logLoss -= Math.log(clip(probTrue[i]));
  }
  const perClass = confusionMatrix.map((row, c) => ({ label: classes[c], ...prf(confusionMatrix, c), support: row.reduce((s, v) => s + v, 0) }));
  const macro = {
    precision: mean(perClass.map((m) => m.precision)),
    recall: mean(perClass.map((m) => m.recall)),
    f1: mean(perClass.map((m) => m.f1)),
  };
  const { label: _label, support: _support, ...positive } = perClass[1];
  const summary = task === 'binary' ? positive : macro;
  return {
    task,
    testRows: rows,
    accuracy: correct / rows,
    ...summary,
    ...(task === 'binary' ? { rocAuc: rocAuc(outputs, actual) } : {}),
    logLoss: logLoss / rows,
    confusionMatrix,
    macroPrecision: macro.precision,
    macroRecall: macro.recall,
    macroF1: macro.f1,
    perClass,
  };
}

function prf(cm: number[][], c: number) {
  const tp = cm[c][c];
  const predictedC = cm.reduce((s, row) => s + row[c], 0);
  const actualC = cm[c].reduce((s, v) => s + v, 0);
  const precision = predictedC ? tp / predictedC : 0;
  const recall = actualC ? tp / actualC : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function regression(outputs: Float32Array, y: Float32Array, rows: number): EvaluationMetrics {
  let se = 0;
  let ae = 0;
  let yMean = 0;
  for (let i = 0; i < rows; i++) yMean += y[i] / rows;
  let ss = 0;
  for (let i = 0; i < rows; i++) {
    const e = outputs[i] - y[i];
    se += e * e;
    ae += Math.abs(e);
    ss += (y[i] - yMean) ** 2;
  }
  const mse = se / rows;
  return { task: 'regression', testRows: rows, mse, rmse: Math.sqrt(mse), mae: ae / rows, r2: ss > 0 ? 1 - se / ss : 0 };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function argmax(xs: ArrayLike<number>): number {
  let k = 0;
  for (let j = 1; j < xs.length; j++) if (xs[j] > xs[k]) k = j;
  return k;
}
