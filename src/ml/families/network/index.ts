/**
 * Dense neural networks on TensorFlow.js (Keras' Sequential of dense, dropout and batch
 * normalisation layers), trained epoch by epoch, stored as model.json + weights ('tfjs-layers').
 */
import type { ModelFamily } from '../model-family';
import { fitLayersModel, loadStoredLayersModel } from './artifact';
import { buildNetwork, checkNetworkShape } from './build';
import { checkNetworkCost, networkCost } from './cost';
import { networkRunTime } from '../../run-time';
import { networkInlineScorer, networkScorer } from './scorer';
import { denseWeightCount } from './js-scorer';
import { normalizeNetworkSpec } from './spec';
import { trainNetwork } from './train';

export const networkFamily: ModelFamily<'neural_network'> = {
  kind: 'neural_network',
  framework: 'tfjs-layers',
  inputFormats: ['tabular'],
  description: 'A Keras-like sequential network of dense, dropout and batch normalisation layers (TensorFlow.js)',
  defaults: { standardize: true },
  scalesTarget: true,
  supports: { explain: true, batchPredict: true, importances: false },
  exampleSpec: (task, outputs) => ({
    model: 'neural_network',
    layers: [
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: outputs, activation: task === 'binary' ? 'sigmoid' : task === 'multiclass' ? 'softmax' : 'linear' },
    ],
    loss: task === 'binary' ? 'binary_crossentropy' : task === 'multiclass' ? 'sparse_categorical_crossentropy' : 'mean_squared_error',
    optimizer: { name: 'adam', learningRate: 0.01 },
    epochs: 3,
    batchSize: 16,
  }),
  normalize: normalizeNetworkSpec,
  checkData(spec, shape, limits) {
    checkNetworkShape(spec, shape.inputs, shape.outputs, shape.featureColumns);
    checkNetworkCost(spec, shape, limits);
  },
  estimateRunTime: (spec, shape) => networkRunTime(networkCost(spec, shape).work, spec, shape),

  async fit(data, spec, { onEpoch, signal }) {
    const model = buildNetwork(spec, data.inputNames.length, data.outputUnits, data.pipeline.columns.length);
    const scorer = networkScorer(model, data.pipeline, true);
    return fitLayersModel(model, scorer, () => trainNetwork(model, data, spec, onEpoch, signal));
  },

  async load(stored, pipeline) {
    const model = await loadStoredLayersModel(stored);
    return networkScorer(model, pipeline, true);
  },

  loadInline: networkInlineScorer,
  costPerRow: denseWeightCount,
};
