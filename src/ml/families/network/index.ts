/**
 * Dense neural networks on TensorFlow.js (Keras' Sequential of dense, dropout and batch
 * normalisation layers), trained epoch by epoch, stored as model.json + weights ('tfjs-layers').
 */
import { badInput } from '../../../lib/errors';
import type { ModelFamily } from '../model-family';
import { loadArtifact, saveArtifact } from './artifact';
import { buildNetwork, checkNetworkShape } from './build';
import { checkNetworkCost } from './cost';
import { networkScorer } from './scorer';
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

  async fit(data, spec, { onEpoch, signal }) {
    const model = buildNetwork(spec, data.inputNames.length, data.outputUnits, data.pipeline.columns.length);
    const scorer = networkScorer(model, data.pipeline, true);
    try {
      const outcome = await trainNetwork(model, data, spec, onEpoch, signal);
      return {
        artifact: await saveArtifact(model),
        scorer,
        epochs: outcome.epochs,
        ...(outcome.bestEpoch !== undefined ? { bestEpoch: outcome.bestEpoch, stoppedEarly: outcome.stoppedEarly } : {}),
      };
    } catch (err) {
      scorer.dispose();
      throw err;
    }
  },

  async load(stored, pipeline) {
    const topology = stored.topology as Record<string, unknown> | null;
    if (!topology || typeof topology !== 'object' || !topology.modelTopology) throw badInput(`A '${stored.framework}' artifact needs a model.json topology`);
    const model = await loadArtifact({ topology, weights: Buffer.from(stored.weights.buffer, stored.weights.byteOffset, stored.weights.byteLength) });
    return networkScorer(model, pipeline, true);
  },
};
