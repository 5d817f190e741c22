/**
 * Text classifiers on TensorFlow.js: one text column, tokenized by the TOKEN_SEQUENCE step (stored
 * with the version), embedded, pooled (average, or conv1d + max) and read by a dense head. Stored
 * like dense networks (model.json + weights) under framework 'tfjs-text'. Training uses the WASM
 * UnsortedSegmentSum kernel (src/ml/tfjs-kernels/) for the embedding's gradient.
 * The TF-IDF → dense route stays NEURAL_NETWORK with the TF_IDF step (the default for text columns).
 */
import { AppError, badInput } from '../../../lib/errors';
import { sequenceColumn } from '../../preprocess/token-sequence';
import type { FittedPipeline } from '../../preprocess/types';
import type { TrainingSpec } from '../../spec-types';
import { tf } from '../../tf';
import type { ModelFamily } from '../model-family';
import { fitLayersModel, loadStoredLayersModel } from '../network/artifact';
import { networkScorer } from '../network/scorer';
import { trainNetwork } from '../network/train';
import { buildTextNetwork } from './build';
import { checkTextData, textCost } from './cost';
import { networkRunTime } from '../../run-time';
import { normalizeTextSpec } from './spec';

/** The token-sequence column of a version's pipeline. @throws AppError BAD_USER_INPUT when it has none. */
function tokenizerOf(pipeline: FittedPipeline) {
  const found = sequenceColumn(pipeline);
  if (!found) throw badInput('A TEXT_CLASSIFIER needs exactly one feature column, encoded by a TOKEN_SEQUENCE step');
  return found;
}

/**
 * Conv1D trains through Conv2DBackpropFilter, missing on stock WASM (tfjs#8474) until a kernel for
 * it is registered (src/ml/tfjs-kernels/): refuse before building rather than fault mid-epoch.
 * @throws AppError NOT_SUPPORTED.
 */
function requireConvGradient(spec: TrainingSpec): void {
  const backend = tf.getBackend();
  if (spec.text?.architecture === 'conv1d' && !tf.getKernel('Conv2DBackpropFilter', backend)) {
    throw new AppError(
      'NOT_SUPPORTED',
      `TEXT_CLASSIFIER architecture CONV1D cannot train on the '${backend}' backend of this server (no Conv2DBackpropFilter kernel); use AVERAGE_POOLING`,
    );
  }
}

export const textFamily: ModelFamily<'text_classifier'> = {
  kind: 'text_classifier',
  framework: 'tfjs-text',
  inputFormats: ['tokens'],
  description: 'A text classifier: token ids → embedding → average pooling (or conv1d) → dense layers (TensorFlow.js); one text column',
  defaults: { standardize: false },
  scalesTarget: true,
  supports: { explain: true, batchPredict: true, importances: false },
  exampleSpec: (task, outputs) => ({
    model: 'text_classifier',
    text: { embeddingDim: 8 },
    layers: [{ type: 'dense', units: outputs, activation: task === 'binary' ? 'sigmoid' : task === 'multiclass' ? 'softmax' : 'linear' }],
    loss: task === 'binary' ? 'binary_crossentropy' : task === 'multiclass' ? 'sparse_categorical_crossentropy' : 'mean_squared_error',
    optimizer: { name: 'adam', learningRate: 0.05 },
    preprocessing: { steps: [{ op: 'token_sequence', maxTokens: 50, sequenceLength: 8 }] },
    epochs: 3,
    batchSize: 16,
  }),
  normalize: normalizeTextSpec,
  checkData: checkTextData,
  estimateRunTime: (spec, shape) => networkRunTime(textCost(spec, shape).work, spec, shape),

  async fit(data, spec, { onEpoch, signal }) {
    const { step } = tokenizerOf(data.pipeline);
    requireConvGradient(spec);
    const model = buildTextNetwork(spec, step.vocabulary.length + 2, step.sequenceLength, data.outputUnits);
    const scorer = networkScorer(model, data.pipeline, true);
    return fitLayersModel(model, scorer, () => trainNetwork(model, data, spec, onEpoch, signal));
  },

  async load(stored, pipeline) {
    tokenizerOf(pipeline);
    try {
      const model = await loadStoredLayersModel(stored);
      return networkScorer(model, pipeline, true);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw badInput(`The stored TEXT_CLASSIFIER artifact cannot be read: ${(err as Error).message}`);
    }
  },
};
