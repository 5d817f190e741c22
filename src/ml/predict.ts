/**
 * Model outputs -> predictions in the target's own terms (labels, probabilities, values).
 */
import { AppError } from '../lib/errors';
import type { TargetInfo } from './preprocess/types';

/**
 * A model whose output holds NaN or ±Infinity (diverged weights, or inputs far outside the training
 * range overflowing float32) cannot answer: the caller gets NON_FINITE_OUTPUT naming the first row,
 * never a silently wrong or null prediction.
 * @throws AppError NON_FINITE_OUTPUT.
 */
export function requireFiniteOutputs(outputs: ArrayLike<number>, rows: number): void {
  const units = rows > 0 ? outputs.length / rows : 1;
  for (let k = 0; k < outputs.length; k++) {
    if (!Number.isFinite(outputs[k])) {
      throw new AppError('NON_FINITE_OUTPUT', `The model's output for rows[${Math.floor(k / units)}] is ${outputs[k]}, not a finite number; no prediction is given`, {
        row: Math.floor(k / units),
      });
    }
  }
}

export interface Prediction {
  /** Classification: the predicted class label. */
  label?: string;
  /** Classification: probability of the predicted label. */
  probability?: number;
  /** Classification: probability of every class, in the order of the target's classes. */
  probabilities?: number[];
  /** Regression: the predicted value. */
  value?: number;
}

/**
 * Decodes model outputs (network or trees). Binary: output = P(classes[1]); the label is classes[1] when
 * P >= 0.5 (Keras' `predict` + threshold 0.5). Multiclass: argmax of the softmax.
 */
export function decodeOutputs(outputs: Float32Array, rows: number, target: TargetInfo): Prediction[] {
  requireFiniteOutputs(outputs, rows);
  const { task, classes } = target;
  const units = rows > 0 ? outputs.length / rows : 1;
  const out: Prediction[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    if (task === 'regression') {
      out[i] = { value: outputs[i] };
    } else if (task === 'binary') {
      const p1 = outputs[i];
      const positive = p1 >= 0.5;
      out[i] = { label: classes![positive ? 1 : 0], probability: positive ? p1 : 1 - p1, probabilities: [1 - p1, p1] };
    } else {
      const probs = Array.from(outputs.subarray(i * units, (i + 1) * units));
      let k = 0;
      for (let j = 1; j < units; j++) if (probs[j] > probs[k]) k = j;
      out[i] = { label: classes![k], probability: probs[k], probabilities: probs };
    }
  }
  return out;
}

/** Checked model outputs of scored rows ([rows, units] row-major): decoded on demand, as rows or as columns. */
export interface ScoredRows {
  outputs: Float32Array;
  rows: number;
  target: TargetInfo;
}

/** The predictions of many rows as one list per field (classification: label, probability, probabilities; regression: value). */
export interface PredictionColumns {
  label?: string[];
  probability?: number[];
  probabilities?: number[][];
  value?: number[];
}

/**
 * Decodes model outputs straight into columns, with no object per row: the same values, in the
 * same order, as {@link decodeOutputs} gives row by row.
 */
export function decodeColumns(outputs: Float32Array, rows: number, target: TargetInfo): PredictionColumns {
  requireFiniteOutputs(outputs, rows);
  const { task, classes } = target;
  if (task === 'regression') return { value: Array.from(outputs.subarray(0, rows)) };
  const units = rows > 0 ? outputs.length / rows : 1;
  const label = new Array<string>(rows);
  const probability = new Array<number>(rows);
  const probabilities = new Array<number[]>(rows);
  for (let i = 0; i < rows; i++) {
    if (task === 'binary') {
      const p1 = outputs[i];
      const positive = p1 >= 0.5;
      label[i] = classes![positive ? 1 : 0];
      probability[i] = positive ? p1 : 1 - p1;
      probabilities[i] = [1 - p1, p1];
    } else {
      const probs = Array.from(outputs.subarray(i * units, (i + 1) * units));
      let k = 0;
      for (let j = 1; j < units; j++) if (probs[j] > probs[k]) k = j;
      label[i] = classes![k];
      probability[i] = probs[k];
      probabilities[i] = probs;
    }
  }
  return { label, probability, probabilities };
}
