/**
 * Convolutional networks on TensorFlow.js for image classification (Keras' Sequential of Conv2D,
 * pooling, Flatten, GlobalAveragePooling2D, Dropout, BatchNormalization and Dense layers), trained
 * epoch by epoch by the dense family's loop (../network/train.ts) and stored in the same
 * model.json + weights format. On WASM the weight gradient of conv2d comes from
 * src/ml/tfjs-kernels/conv2d-backprop-filter.ts. A dense network on raw pixels is this family
 * too: FLATTEN then DENSE layers.
 */
import { badInput } from '../../../lib/errors';
import { augmentImages } from '../../images/augment';
import { rng } from '../../random';
import type { ModelFamily } from '../model-family';
import { fitLayersModel, loadStoredLayersModel } from '../network/artifact';
import { trainNetwork } from '../network/train';
import { outputUnits } from '../scorer';
import { occlusionMap } from '../../images/occlusion';
import { buildCnn } from './build';
import { checkCnnCost, cnnCost } from './cost';
import { networkRunTime } from '../../run-time';
import { cnnScorer } from './scorer';
import { normalizeCnnSpec } from './spec';

export const cnnFamily: ModelFamily<'convolutional_network'> = {
  kind: 'convolutional_network',
  framework: 'tfjs-layers-image',
  inputFormats: ['image'],
  description: 'A Keras-like convolutional network for image classification: conv2d, pooling, flatten, dropout, batch normalisation and dense layers (TensorFlow.js)',
  defaults: { standardize: false },
  scalesTarget: false,
  supports: { explain: true, batchPredict: true, importances: false },
  exampleSpec: (_task, outputs) => ({
    model: 'convolutional_network',
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' },
      { type: 'max_pooling2d', poolSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: outputs, activation: 'softmax' },
    ],
    loss: 'sparse_categorical_crossentropy',
    optimizer: { name: 'adam', learningRate: 0.01 },
    epochs: 3,
    batchSize: 16,
  }),
  normalize: normalizeCnnSpec,
  checkData(spec, shape, limits) {
    const inputShape = shape.inputShape ?? [1, 1, shape.inputs ?? shape.featureColumns];
    const last = spec.layers.length - 1;
    if (shape.outputs !== undefined && spec.layers[last]!.units !== shape.outputs)
      throw badInput(`spec.layers[${last}].units is ${spec.layers[last]!.units} but the dataset has ${shape.outputs} classes`);
    checkCnnCost(spec, { ...shape, inputShape }, limits);
  },
  estimateRunTime: (spec, shape) => networkRunTime(cnnCost(spec, { ...shape, inputShape: shape.inputShape ?? [1, 1, shape.inputs ?? shape.featureColumns] }).work, spec, shape),

  async fit(data, spec, { onEpoch, signal }) {
    const model = buildCnn(spec, data.inputShape);
    const scorer = cnnScorer(model, data.inputShape, data.outputUnits, true);
    const random = rng(spec.seed ^ 0x2545f491);
    const augmentation = spec.augmentation;
    return fitLayersModel(model, scorer, () => trainNetwork(model, data, spec, onEpoch, signal, augmentation ? (x) => augmentImages(x, augmentation, random) : undefined));
  },

  async load(stored, pipeline) {
    const model = await loadStoredLayersModel(stored);
    const inputShape = model.inputs[0]!.shape.slice(1) as number[];
    const scorer = cnnScorer(model, inputShape, outputUnits(pipeline.target), true);
    // Served: explainImage answers where the version scores (a scoring thread or inline; src/ml/serving/).
    const explainImage = (x: Float32Array, grid: number, fill: number[], classIndex?: number) => occlusionMap(scorer, x, inputShape, grid, fill, classIndex);
    return { ...scorer, score: scorer.score, dispose: scorer.dispose, methods: { explainImage } };
  },
};
