/**
 * The text classifier's part of the training spec: the network fields (dense head `layers`, loss,
 * optimizer, early stopping, class weights; see ../network/spec.ts) plus `spec.text` (embedding
 * size, average pooling or conv1d), and the tokenizer as a TOKEN_SEQUENCE preprocessing step,
 * added when the spec declares no steps.
 */
import { badInput } from '../../../lib/errors';
import { range } from '../../spec-checks';
import type { SpecInput, TextSpec, TrainingSpec } from '../../spec-types';
import { normalizeNetworkSpec } from '../network/spec';

/** Defaults of spec.text. */
export const TEXT_DEFAULTS: TextSpec = { embeddingDim: 16, architecture: 'average_pooling' };
/** conv1d defaults. */
export const CONV_DEFAULTS = { filters: 64, kernelSize: 3 };

/** Bounds of spec.text fields. */
const TEXT_LIMITS = { embeddingDim: 512, filters: 1024, kernelSize: 16 };

/**
 * @throws AppError BAD_USER_INPUT naming the field: anything normalizeNetworkSpec refuses, an
 *   inputDim on the head (its input is the pooled embedding), spec.text values out of range or
 *   conv1d fields with average pooling, declared steps without a TOKEN_SEQUENCE step.
 */
export function normalizeTextSpec(input: SpecInput, spec: TrainingSpec): void {
  normalizeNetworkSpec(input, spec);
  if (spec.layers[0]?.inputDim != null) {
    throw badInput('spec.layers[0].inputDim is not taken by TEXT_CLASSIFIER: the dense layers read the pooled embedding (spec.text.embeddingDim or filters wide)');
  }
  const given = input.text ?? {};
  const text: TextSpec = { embeddingDim: given.embeddingDim ?? TEXT_DEFAULTS.embeddingDim, architecture: given.architecture ?? TEXT_DEFAULTS.architecture };
  range('text.embeddingDim', text.embeddingDim, 1, TEXT_LIMITS.embeddingDim);
  if (text.architecture === 'conv1d') {
    text.filters = given.filters ?? CONV_DEFAULTS.filters;
    text.kernelSize = given.kernelSize ?? CONV_DEFAULTS.kernelSize;
    range('text.filters', text.filters, 1, TEXT_LIMITS.filters);
    range('text.kernelSize', text.kernelSize, 1, TEXT_LIMITS.kernelSize);
  } else {
    for (const f of ['filters', 'kernelSize'] as const) if (given[f] != null) throw badInput(`spec.text.${f} is for architecture CONV1D, got ${text.architecture.toUpperCase()}`);
  }
  spec.text = text;
  const steps = spec.preprocessing.steps;
  if (!steps?.length) spec.preprocessing.steps = [{ op: 'token_sequence' }];
  else if (!steps.some((s) => s.op === 'token_sequence')) {
    throw badInput('spec.preprocessing.steps has no TOKEN_SEQUENCE step: a TEXT_CLASSIFIER reads its text column as token ids (leave steps out for the default tokenizer)');
  }
}

/** Width of what the dense head reads: the pooled embedding, or the conv1d filters. */
export const pooledWidth = (text: TextSpec) => (text.architecture === 'conv1d' ? text.filters! : text.embeddingDim);
