/**
 * Bounds on a network run's size, checked before it is queued (and again before it trains): weights,
 * activations per batch, estimated memory and work, against {@link CostLimits} (per-tenant quotas).
 */
import { AppError } from '../../../lib/errors';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../../cost-limits';
import type { TrainingSpec } from '../../spec-types';
import type { DataShape } from '../model-family';

/** Bytes per float32 value. */
const F32 = 4;

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

/** Activations of one batch: batchSize × (inputs + the width after every layer; dropout and batch normalisation keep the width). */
export function countActivations(spec: TrainingSpec, inputs: number): number {
  let width = inputs;
  let sum = inputs;
  for (const layer of spec.layers) {
    if (layer.type === 'dense') width = layer.units!;
    sum += width;
  }
  return spec.batchSize * sum;
}

/**
 * Peak memory of a run, bytes, all float32: weights × 4 copies (weights, gradients, Adam's two
 * moments; SGD needs fewer, so this bounds every optimizer) + activations × 3 (output,
 * pre-activation, gradient) + the data tensors, rows × (inputs + outputs).
 */
export function estimateNetworkMemory(weights: number, activations: number, rows: number, inputs: number, outputs: number): number {
  return F32 * (4 * weights + 3 * activations + rows * (inputs + outputs));
}

/** What a network run would cost, for the check and for messages. */
export function networkCost(spec: TrainingSpec, shape: DataShape) {
  const inputs = shape.inputs ?? shape.featureColumns;
  const weights = countWeights(spec, inputs);
  const activations = countActivations(spec, inputs);
  return { weights, activations, memoryBytes: estimateNetworkMemory(weights, activations, shape.rows, inputs, shape.outputs ?? 1), work: weights * shape.rows * spec.epochs };
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/**
 * @param limits the tenant's limits. (Default: {@link DEFAULT_COST_LIMITS})
 * @throws AppError QUOTA_EXCEEDED stating the limit and the value (details: `limit`, `value`,
 *   `quota`) when the weights, activations per batch, estimated memory or weights · rows · epochs
 *   pass the limit. QUOTA_EXCEEDED rather than BAD_USER_INPUT: the spec is valid, and another
 *   tenant (or this one, with a raised quota) may run it; no retryAfterSeconds, waiting won't help.
 */
export function checkNetworkCost(spec: TrainingSpec, shape: DataShape, limits: CostLimits = DEFAULT_COST_LIMITS): void {
  checkCost('NEURAL_NETWORK', networkCost(spec, shape), spec, shape, limits);
}

/** A TF.js model's size and work, as {@link networkCost} gives them. */
export interface NetworkCost {
  weights: number;
  activations: number;
  memoryBytes: number;
  work: number;
}

/**
 * Refuses a TF.js model whose cost passes `limits` (see checkNetworkCost): shared by the families
 * built on TF.js layers, each computing its own cost.
 * @param kind the family's name in messages, e.g. 'TEXT_CLASSIFIER'.
 * @throws AppError QUOTA_EXCEEDED, see checkNetworkCost.
 */
export function checkCost(kind: string, cost: NetworkCost, spec: TrainingSpec, shape: DataShape, limits: CostLimits = DEFAULT_COST_LIMITS): void {
  const what = `${kind} with ${cost.weights} weights`;
  const refuse = (quota: keyof CostLimits, value: number, message: string) => new AppError('QUOTA_EXCEEDED', message, { quota, limit: limits[quota], value });
  if (cost.weights > limits.maxParameters) {
    throw refuse(
      'maxParameters',
      cost.weights,
      `${what} is too large: the limit is ${limits.maxParameters} weights (parameters) per network; use fewer or smaller layers (spec.layers[].units)`,
    );
  }
  if (cost.activations > limits.maxActivations) {
    throw refuse(
      'maxActivations',
      cost.activations,
      `${what} has ${cost.activations} activations per batch (spec.batchSize ${spec.batchSize} × the widths of the inputs and layers); the limit is ${limits.maxActivations}: use a smaller spec.batchSize or narrower layers`,
    );
  }
  if (cost.memoryBytes > limits.maxMemoryBytes) {
    throw refuse(
      'maxMemoryBytes',
      cost.memoryBytes,
      `${what} on ${shape.rows} rows needs an estimated ${mib(cost.memoryBytes)} (${cost.memoryBytes} bytes: weights, gradients, optimizer state, activations and data); the limit is ${mib(limits.maxMemoryBytes)} (${limits.maxMemoryBytes} bytes): use smaller layers, a smaller batch or fewer rows`,
    );
  }
  if (cost.work > limits.maxWork) {
    throw refuse(
      'maxWork',
      cost.work,
      `${what} on ${shape.rows} rows for ${spec.epochs} epochs is too large: weights · rows · epochs must stay under ${limits.maxWork.toExponential(0)}, got ${cost.work.toExponential(1)}; use fewer epochs, smaller layers or fewer rows`,
    );
  }
}
