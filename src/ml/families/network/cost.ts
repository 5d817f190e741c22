/** A bound on a network run's work, checked before it is queued (and again before it trains). */
import { badInput } from '../../../lib/errors';
import type { TrainingSpec } from '../../spec-types';
import type { DataShape } from '../model-family';

/**
 * Bound on weights · training rows · epochs: one forward and backward pass per weight, row and
 * epoch. WASM trains about 1e9 of these a second here (notes/tfjs.md: a 3×256 MLP, 50k rows × 64
 * inputs at 2.5k rows/s), so 1e12 is about a quarter of an hour.
 */
export const MAX_NETWORK_WORK = 1e12;

/** Weights of the dense layers (kernel + bias; batch normalisation adds 4 per unit, counted too). */
export function countWeights(spec: TrainingSpec, inputs: number): number {
  let width = inputs;
  let weights = 0;
  for (const layer of spec.layers) {
    if (layer.type === 'dense') {
      weights += (width + 1) * layer.units!;
      width = layer.units!;
    } else if (layer.type === 'batch_normalization') {
      weights += 4 * width;
    }
  }
  return weights;
}

/** @throws AppError BAD_USER_INPUT stating the limit when weights · rows · epochs passes {@link MAX_NETWORK_WORK}. */
export function checkNetworkCost(spec: TrainingSpec, shape: DataShape): void {
  const weights = countWeights(spec, shape.inputs ?? shape.featureColumns);
  const work = weights * shape.rows * spec.epochs;
  if (work > MAX_NETWORK_WORK) {
    throw badInput(
      `NEURAL_NETWORK with ${weights} weights on ${shape.rows} rows for ${spec.epochs} epochs is too large: weights · rows · epochs must stay under ${MAX_NETWORK_WORK.toExponential(0)}, got ${work.toExponential(1)}; use fewer epochs, smaller layers or fewer rows`,
      { limit: MAX_NETWORK_WORK, work },
    );
  }
}
