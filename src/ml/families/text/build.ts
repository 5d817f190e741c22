/**
 * Builds and compiles a text classifier: token ids `[batch, seqLen]` → Embedding(vocab, dim) →
 * GlobalAveragePooling1D, or Conv1D(filters, kernelSize, relu) → GlobalMaxPooling1D → the dense
 * head `spec.layers` (Keras' text-classification examples, e.g. "Text classification from scratch").
 * Padding (id 0) has its own learned embedding and counts in the average: a length signal, as in
 * Keras without `mask_zero`. Initialisers are seeded from spec.seed.
 */
import type { TrainingSpec } from '../../spec-types';
import { tf } from '../../tf';
import { addDenseLayers, checkNetworkShape, compileNetwork } from '../network/build';
import { CONV_DEFAULTS, TEXT_DEFAULTS } from './spec';

/**
 * @param vocabularySize ids the embedding holds: the fitted vocabulary + 2 (padding, OOV).
 * @param sequenceLength tokens per example.
 * @param outputUnits 1, or the number of classes.
 * @throws AppError BAD_USER_INPUT when the head's output layer does not fit the target (see checkNetworkShape).
 */
export function buildTextNetwork(spec: TrainingSpec, vocabularySize: number, sequenceLength: number, outputUnits: number): tf.Sequential {
  checkNetworkShape(spec, undefined, outputUnits);
  const text = spec.text ?? TEXT_DEFAULTS;
  const model = tf.sequential();
  model.add(
    tf.layers.embedding({
      inputDim: vocabularySize,
      outputDim: text.embeddingDim,
      inputShape: [sequenceLength],
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: spec.seed }), // Keras' default
    }),
  );
  if (text.architecture === 'conv1d') {
    const kernelSize = Math.min(text.kernelSize ?? CONV_DEFAULTS.kernelSize, sequenceLength);
    model.add(
      tf.layers.conv1d({
        filters: text.filters ?? CONV_DEFAULTS.filters,
        kernelSize,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + 1 }),
      }),
    );
    model.add(tf.layers.globalMaxPooling1d());
  } else {
    model.add(tf.layers.globalAveragePooling1d());
  }
  addDenseLayers(model, spec, undefined, 2);
  compileNetwork(model, spec);
  return model;
}
