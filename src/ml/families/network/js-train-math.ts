/**
 * The element-wise parts of a dense network's training step in plain JavaScript (./js-train.ts):
 * activations rounded to float32 as TF.js keeps them, their gradients as tfjs-core's, and argMax
 * as tf.argMax (the first on ties).
 */

/** The activations a Dense layer trained here may have. */
export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear';

/** Index of the largest of `o` values from `base` (the first on ties, as tf.argMax). */
export function argMax(v: ArrayLike<number>, base: number, o: number): number {
  let best = 0;
  for (let j = 1; j < o; j++) if (v[base + j]! > v[base + best]!) best = j;
  return best;
}

/** `out[at … at+units)` = activation(`sum`), rounded to float32. */
export function activate(activation: Activation, sum: Float64Array, out: Float32Array, at: number, units: number): void {
  switch (activation) {
    case 'relu':
      for (let u = 0; u < units; u++) out[at + u] = sum[u]! > 0 ? sum[u]! : 0;
      return;
    case 'sigmoid':
      for (let u = 0; u < units; u++) out[at + u] = 1 / (1 + Math.exp(-sum[u]!));
      return;
    case 'tanh':
      for (let u = 0; u < units; u++) out[at + u] = Math.tanh(sum[u]!);
      return;
    case 'softmax': {
      let max = -Infinity;
      for (let u = 0; u < units; u++) max = Math.max(max, sum[u]!);
      let total = 0;
      for (let u = 0; u < units; u++) total += Math.exp(sum[u]! - max);
      for (let u = 0; u < units; u++) out[at + u] = Math.exp(sum[u]! - max) / total;
      return;
    }
    default:
      for (let u = 0; u < units; u++) out[at + u] = sum[u]!;
  }
}

/** `grad` (of the outputs `y`, `[n, units]`) becomes the gradient of the pre-activations (tfjs-core's gradients). */
export function derive(activation: Activation, y: Float32Array, grad: Float64Array, n: number, units: number): void {
  const size = n * units;
  switch (activation) {
    case 'relu':
      for (let i = 0; i < size; i++) if (!(y[i]! > 0)) grad[i] = 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < size; i++) grad[i] = grad[i]! * y[i]! * (1 - y[i]!);
      return;
    case 'tanh':
      for (let i = 0; i < size; i++) grad[i] = grad[i]! * (1 - y[i]! * y[i]!);
      return;
    case 'softmax':
      for (let r = 0; r < n; r++) {
        let dot = 0;
        for (let u = r * units; u < (r + 1) * units; u++) dot += grad[u]! * y[u]!;
        for (let u = r * units; u < (r + 1) * units; u++) grad[u] = y[u]! * (grad[u]! - dot);
      }
      return;
    default:
  }
}
