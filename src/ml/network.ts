/**
 * Builds and compiles a TF.js layers model from a {@link TrainingSpec}. Weight initialisers are
 * seeded (spec.seed + layer index) so the same spec on the same data trains the same way.
 */
import { badInput } from '../lib/errors';
import { DEFAULT_LEARNING_RATE, type Loss, type TrainingSpec } from './spec';
import { tf } from './tf';

/** tfjs-layers' names for the Keras losses. Huber has no string name in tfjs: a function is used. */
const TF_LOSS: Record<Loss, string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)> = {
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  huber: (yTrue, yPred) => tf.losses.huberLoss(yTrue, yPred),
};

const TF_METRIC = { accuracy: 'accuracy', mse: 'mse', mae: 'mae' } as const;

/**
 * Checks the spec's shape against the data, before anything is built or queued.
 * @param inputDim number of features.
 * @param outputUnits units the last layer must have (1, or the number of classes).
 * @throws AppError BAD_USER_INPUT when the first layer's inputDim or the last layer's units do not
 *   match the data, or the output activation cannot produce the loss's targets.
 */
export function checkNetworkShape(spec: TrainingSpec, inputDim: number, outputUnits: number): void {
  const first = spec.layers[0];
  if (first.inputDim !== undefined && first.inputDim !== inputDim) {
    throw badInput(`spec.layers[0].inputDim is ${first.inputDim} but ${inputDim} feature columns are selected`);
  }
  const lastIndex = spec.layers.length - 1;
  const last = spec.layers[lastIndex];
  if (last.units !== outputUnits) {
    throw badInput(`spec.layers[${lastIndex}].units is ${last.units} but the target needs ${outputUnits} output unit${outputUnits > 1 ? 's' : ''} for loss ${spec.loss}`);
  }
  const activation = String(last.activation ?? 'linear').toUpperCase();
  if (spec.loss === 'binary_crossentropy' && last.activation !== 'sigmoid') {
    throw badInput(`spec.layers[${lastIndex}].activation must be SIGMOID for loss binary_crossentropy, got ${activation}`);
  }
  if (spec.loss.includes('categorical') && last.activation !== 'softmax') {
    throw badInput(`spec.layers[${lastIndex}].activation must be SOFTMAX for loss ${spec.loss}, got ${activation}`);
  }
}

/**
 * Builds and compiles the network. The caller owns the model (and its optimizer) and disposes both.
 * @throws AppError BAD_USER_INPUT, see {@link checkNetworkShape}.
 */
export function buildNetwork(spec: TrainingSpec, inputDim: number, outputUnits: number): tf.LayersModel {
  checkNetworkShape(spec, inputDim, outputUnits);
  const model = tf.sequential();
  spec.layers.forEach((layer, i) => {
    const inputShape = i === 0 ? [inputDim] : undefined;
    if (layer.type === 'dropout') {
      model.add(tf.layers.dropout({ rate: layer.rate!, inputShape, seed: spec.seed + i }));
      return;
    }
    const regularize = (layer.l1 ?? 0) > 0 || (layer.l2 ?? 0) > 0;
    model.add(
      tf.layers.dense({
        units: layer.units!,
        activation: layer.activation ?? 'linear',
        inputShape,
        kernelInitializer: tf.initializers.glorotUniform({ seed: spec.seed + i }),
        kernelRegularizer: regularize ? tf.regularizers.l1l2({ l1: layer.l1 ?? 0, l2: layer.l2 ?? 0 }) : undefined,
      }),
    );
  });
  model.compile({
    loss: TF_LOSS[spec.loss],
    optimizer: makeOptimizer(spec),
    metrics: spec.metrics.map((m) => TF_METRIC[m]),
  });
  return model;
}

function makeOptimizer(spec: TrainingSpec): tf.Optimizer {
  const { name, momentum } = spec.optimizer;
  const lr = spec.optimizer.learningRate ?? DEFAULT_LEARNING_RATE[name];
  if (name === 'adam') return tf.train.adam(lr);
  if (name === 'rmsprop') return tf.train.rmsprop(lr);
  return momentum ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr);
}
