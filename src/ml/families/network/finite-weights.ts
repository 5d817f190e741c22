/**
 * The divergence check on a network's weights after each epoch. The loss check alone misses a run
 * whose float32 gradients overflowed to Infinity: Adam then turns the weights NaN while the epoch's
 * loss, summed in float64 (./js-train.ts), stays finite (6.75e76 in the review's repro), and the
 * version would have predicted relu(NaN) = 0 for every row.
 */
import { badInput } from '../../../lib/errors';
import type { TrainingSpec } from '../../spec-types';
import { tf } from '../../tf';

/**
 * Whether every value of every weight tensor is finite, computed on the backend (one `isFinite`
 * and one `all` per tensor, one read): cheap next to an epoch.
 * @param weights any shapes, e.g. `model.getWeights()`.
 */
export function weightsFinite(weights: tf.Tensor[]): boolean {
  if (weights.length === 0) return true;
  const all = tf.tidy(() => tf.all(tf.stack(weights.map((w) => tf.all(tf.isFinite(w))))));
  try {
    return all.dataSync()[0] === 1;
  } finally {
    all.dispose();
  }
}

/**
 * Fails the run when one of `model`'s weights (trainable or not) is NaN or ±Infinity after `epoch`
 * (1-based).
 * @throws AppError BAD_USER_INPUT (the non-finite loss's code), naming the epoch and the learning rate.
 */
export function requireFiniteWeights(model: tf.LayersModel, spec: TrainingSpec, epoch: number): void {
  if (weightsFinite(model.getWeights())) return;
  const rate = spec.optimizer.learningRate === undefined ? '' : ` (${spec.optimizer.learningRate})`;
  throw badInput(`Training diverged at epoch ${epoch}: the weights became non-finite (NaN or Infinity); lower spec.optimizer.learningRate${rate} or scale the target`, { epoch });
}
