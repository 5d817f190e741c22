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
