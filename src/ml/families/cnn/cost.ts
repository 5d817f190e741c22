/**
 * Bounds on a convolutional run, against the same {@link CostLimits} as dense networks (the
 * tenant's training quotas): weights, activations per batch, estimated memory, and work — here
 * multiply-adds per example (convolutions dominate, not weights) · training rows · epochs.
 */
import { AppError } from '../../../lib/errors';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../../cost-limits';
import type { TrainingSpec } from '../../spec-types';
import type { DataShape } from '../model-family';
import { estimateNetworkMemory } from '../network/cost';
import { walkLayers } from './shape';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** What a convolutional run would cost. @throws AppError BAD_USER_INPUT from the shape walk. */
export function cnnCost(spec: TrainingSpec, shape: DataShape & { inputShape: readonly number[] }) {
  const layers = walkLayers(spec.layers, shape.inputShape);
  const inputs = size(shape.inputShape);
  const weights = layers.reduce((s, l) => s + l.weights, 0);
  const activations = spec.batchSize * (inputs + layers.reduce((s, l) => s + size(l.shape), 0));
  const perExample = layers.reduce((s, l) => s + l.work, 0);
  return {
    weights,
    activations,
    memoryBytes: estimateNetworkMemory(weights, activations, shape.rows, inputs, shape.outputs ?? 1),
    work: perExample * shape.rows * spec.epochs,
  };
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/**
 * @throws AppError QUOTA_EXCEEDED stating the limit and the value (details: quota, limit, value)
 *   when a limit is passed; BAD_USER_INPUT when the layers do not fit the image shape.
 */
export function checkCnnCost(spec: TrainingSpec, shape: DataShape & { inputShape: readonly number[] }, limits: CostLimits = DEFAULT_COST_LIMITS): void {
  const cost = cnnCost(spec, shape);
  const what = `CONVOLUTIONAL_NETWORK with ${cost.weights} weights`;
  const refuse = (quota: keyof CostLimits, value: number, message: string) => new AppError('QUOTA_EXCEEDED', message, { quota, limit: limits[quota], value });
  if (cost.weights > limits.maxParameters)
    throw refuse('maxParameters', cost.weights, `${what} is too large: the limit is ${limits.maxParameters} weights (parameters) per network; use fewer filters or units`);
  if (cost.activations > limits.maxActivations)
    throw refuse(
      'maxActivations',
      cost.activations,
      `${what} has ${cost.activations} activations per batch (spec.batchSize ${spec.batchSize} × every layer's output size); the limit is ${limits.maxActivations}: use a smaller spec.batchSize, fewer filters or more pooling`,
    );
  if (cost.memoryBytes > limits.maxMemoryBytes)
    throw refuse(
      'maxMemoryBytes',
      cost.memoryBytes,
      `${what} on ${shape.rows} images needs an estimated ${mib(cost.memoryBytes)} (${cost.memoryBytes} bytes); the limit is ${mib(limits.maxMemoryBytes)} (${limits.maxMemoryBytes} bytes): use fewer filters, a smaller batch or fewer images`,
    );
  if (cost.work > limits.maxWork)
    throw refuse(
      'maxWork',
      cost.work,
      `${what} on ${shape.rows} images for ${spec.epochs} epochs is too large: multiply-adds per image · images · epochs must stay under ${limits.maxWork.toExponential(0)}, got ${cost.work.toExponential(1)}; use fewer epochs, fewer filters or fewer images`,
    );
}
