/**
 * A text classifier's size and work, bounded by the same tenant limits as dense networks
 * (../network/cost.ts): the embedding table counts as parameters (vocabulary × embeddingDim).
 */
import { badInput } from '../../../lib/errors';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../../cost-limits';
import { SEQUENCE_DEFAULTS } from '../../preprocess/token-sequence';
import type { TrainingSpec } from '../../spec-types';
import type { DataShape } from '../model-family';
import { checkCost, countActivations, countWeights, estimateNetworkMemory, type NetworkCost } from '../network/cost';
import { CONV_DEFAULTS, pooledWidth, TEXT_DEFAULTS } from './spec';

/** The tokenizer's vocabulary cap (+ padding and OOV ids) and sequence length, from the spec's TOKEN_SEQUENCE step. */
export function tokenizerSize(spec: TrainingSpec): { vocabulary: number; sequenceLength: number } {
  const step = spec.preprocessing.steps?.find((s) => s.op === 'token_sequence');
  return { vocabulary: (step?.maxTokens ?? SEQUENCE_DEFAULTS.maxTokens) + 2, sequenceLength: step?.sequenceLength ?? SEQUENCE_DEFAULTS.sequenceLength };
}

/**
 * Weights: embedding (vocabulary × dim), conv1d (kernelSize × dim × filters + filters), the head.
 * Activations per batch: ids, embeddings, conv outputs, then the head's. Work: per example, each
 * token's embedding (× the conv window and filters) and the head, plus one dense embedding-gradient
 * update (vocabulary × dim) per batch.
 * @param vocabulary ids the embedding holds (Default: from the spec's step, an upper bound).
 */
export function textCost(spec: TrainingSpec, shape: DataShape, vocabulary = tokenizerSize(spec).vocabulary): NetworkCost {
  const text = spec.text ?? TEXT_DEFAULTS;
  const seq = shape.inputs ?? tokenizerSize(spec).sequenceLength;
  const dim = text.embeddingDim;
  const conv = text.architecture === 'conv1d';
  const filters = text.filters ?? CONV_DEFAULTS.filters;
  const k = Math.min(text.kernelSize ?? CONV_DEFAULTS.kernelSize, seq);
  const convWeights = conv ? k * dim * filters + filters : 0;
  const head = countWeights(spec, pooledWidth(text));
  const weights = vocabulary * dim + convWeights + head;
  const activations = countActivations(spec, pooledWidth(text)) + spec.batchSize * seq * (1 + dim + (conv ? filters : 0));
  const perExample = seq * dim * (conv ? k * filters : 1) + head;
  const batches = Math.ceil(shape.rows / spec.batchSize);
  const work = spec.epochs * (shape.rows * perExample + batches * vocabulary * dim);
  return { weights, activations, memoryBytes: estimateNetworkMemory(weights, activations, shape.rows, seq, shape.outputs ?? 1), work };
}

/**
 * @throws AppError BAD_USER_INPUT unless there is exactly one feature column (the text);
 *   QUOTA_EXCEEDED past `limits` (see checkNetworkCost).
 */
export function checkTextData(spec: TrainingSpec, shape: DataShape, limits: CostLimits = DEFAULT_COST_LIMITS): void {
  if (shape.featureColumns !== 1) {
    throw badInput(`A TEXT_CLASSIFIER reads one text column; ${shape.featureColumns} feature columns are selected: set featureColumns to the text column`);
  }
  checkCost('TEXT_CLASSIFIER', textCost(spec, shape), spec, shape, limits);
}
