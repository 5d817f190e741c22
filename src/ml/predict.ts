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

/** The fields {@link decodeColumns} can give, by task. */
export const COLUMN_FIELDS = { classification: ['label', 'probability', 'probabilities'], regression: ['value'] } as const;

/**
 * Decodes model outputs straight into columns, with no object per row: the same values, in the
 * same order, as {@link decodeOutputs} gives row by row.
 * @param fields the columns to build (Default: every column of the task); others are not built.
 */
export function decodeColumns(outputs: Float32Array, rows: number, target: TargetInfo, fields?: ReadonlySet<keyof PredictionColumns>): PredictionColumns {
  requireFiniteOutputs(outputs, rows);
  const { task, classes } = target;
  const want = (f: keyof PredictionColumns) => !fields || fields.has(f);
  if (task === 'regression') return want('value') ? { value: Array.from(outputs.subarray(0, rows)) } : {};
  const units = rows > 0 ? outputs.length / rows : 1;
  const label = want('label') ? new Array<string>(rows) : undefined;
  const probability = want('probability') ? new Array<number>(rows) : undefined;
  const probabilities = want('probabilities') ? new Array<number[]>(rows) : undefined;
  for (let i = 0; i < rows; i++) {
    if (task === 'binary') {
      const p1 = outputs[i];
      const positive = p1 >= 0.5;
      if (label) label[i] = classes![positive ? 1 : 0];
      if (probability) probability[i] = positive ? p1 : 1 - p1;
      if (probabilities) probabilities[i] = [1 - p1, p1];
    } else {
      const probs = Array.from(outputs.subarray(i * units, (i + 1) * units));
      let k = 0;
      for (let j = 1; j < units; j++) if (probs[j] > probs[k]) k = j;
      if (label) label[i] = classes![k];
      if (probability) probability[i] = probs[k];
      if (probabilities) probabilities[i] = probs;
    }
  }
  return { ...(label ? { label } : {}), ...(probability ? { probability } : {}), ...(probabilities ? { probabilities } : {}) };
}
