/**
 * Boosting losses on raw scores (Friedman 2001; scikit-learn HistGradientBoosting's losses):
 * - binary log-loss: p = sigmoid(F), g = p − y, h = p(1 − p);
 * - multiclass (softmax) log-loss: p = softmax(F), g_k = p_k − [y = k], h_k = p_k(1 − p_k);
 * - squared error: g = F − y, h = 1 (the loss reported is the mean squared error).
 *
 * Raw scores are class-major: output k of row i is raw[k * rows + i].
 */
import type { HistTask } from './params';

/** Probabilities are clipped to [EPS, 1 − EPS] inside log-losses (scikit-learn's log_loss). */
const EPS = 1e-15;

export interface LossStats {
  /** Mean loss over the rows. */
  loss: number;
  /** Classification: share of rows whose highest score is their class. */
  accuracy?: number;
}

/**
 * Raw score before any tree: binary the prior log-odds, multiclass log class priors, regression the mean.
 * @param y [rows] class index or value.
 */
export function baseline(task: HistTask, y: Float32Array, rows: number, classes: number): number[] {
  if (task === 'regression') {
    let s = 0;
    for (let i = 0; i < rows; i++) s += y[i];
    return [s / rows];
  }
  const counts = new Float64Array(classes);
  for (let i = 0; i < rows; i++) counts[y[i]]++;
  const prior = (c: number) => Math.min(1 - EPS, Math.max(EPS, counts[c] / rows));
  if (task === 'binary') return [Math.log(prior(1) / (1 - prior(1)))];
  return Array.from(counts, (_, c) => Math.log(prior(c)));
}

/**
 * Loss (and accuracy) of raw scores; when g and h are given, also writes the gradients and
 * hessians of every row and output (same class-major layout as raw).
 */
export function lossAndGradients(task: HistTask, raw: Float64Array, y: Float32Array, rows: number, outputs: number, g?: Float64Array, h?: Float64Array): LossStats {
  let loss = 0;
  let correct = 0;
  if (task === 'regression') {
    for (let i = 0; i < rows; i++) {
      const e = raw[i] - y[i];
      loss += e * e;
      if (g) {
        g[i] = e;
        h![i] = 1;
      }
    }
    return { loss: loss / rows };
  }
  if (task === 'binary') {
    for (let i = 0; i < rows; i++) {
      const f = raw[i];
      const p = 1 / (1 + Math.exp(-f));
      const pc = Math.min(1 - EPS, Math.max(EPS, p));
      loss -= y[i] === 1 ? Math.log(pc) : Math.log(1 - pc);
      if ((f > 0 ? 1 : 0) === y[i]) correct++;
      if (g) {
        g[i] = p - y[i];
        h![i] = p * (1 - p);
      }
    }
    return { loss: loss / rows, accuracy: correct / rows };
  }
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    let arg = 0;
    for (let k = 0; k < outputs; k++) {
      const f = raw[k * rows + i];
      if (f > max) [max, arg] = [f, k];
    }
    let sum = 0;
    for (let k = 0; k < outputs; k++) sum += Math.exp(raw[k * rows + i] - max);
    const label = y[i];
    const py = Math.exp(raw[label * rows + i] - max) / sum;
    loss -= Math.log(Math.min(1 - EPS, Math.max(EPS, py)));
    if (arg === label) correct++;
    if (g) {
      for (let k = 0; k < outputs; k++) {
        const p = Math.exp(raw[k * rows + i] - max) / sum;
        g[k * rows + i] = p - (k === label ? 1 : 0);
        h![k * rows + i] = p * (1 - p);
      }
    }
  }
  return { loss: loss / rows, accuracy: correct / rows };
}

/**
 * Raw scores (class-major [outputs, rows]) to the model's output layout, row-major:
 * binary [rows] P(class 1), multiclass [rows, K] probabilities, regression [rows] values.
 */
export function link(task: HistTask, raw: Float64Array, rows: number, outputs: number): Float32Array {
  const out = new Float32Array(rows * outputs);
  if (task === 'regression') for (let i = 0; i < rows; i++) out[i] = raw[i];
  else if (task === 'binary') for (let i = 0; i < rows; i++) out[i] = 1 / (1 + Math.exp(-raw[i]));
  else {
    for (let i = 0; i < rows; i++) {
      let max = -Infinity;
      for (let k = 0; k < outputs; k++) max = Math.max(max, raw[k * rows + i]);
      let sum = 0;
      for (let k = 0; k < outputs; k++) sum += Math.exp(raw[k * rows + i] - max);
      for (let k = 0; k < outputs; k++) out[i * outputs + k] = Math.exp(raw[k * rows + i] - max) / sum;
    }
  }
  return out;
}
