/**
 * Builds and compiles a TF.js layers model from a {@link TrainingSpec}: dense (with L1, L2 or L1L2
 * kernel regularisation), dropout and batch normalisation layers. Weight initialisers are seeded
 * (spec.seed + layer index) so the same spec on the same data trains the same way.
 */
import { badInput } from '../../../lib/errors';
import { DEFAULT_LEARNING_RATE, LOSS_TASK, type LayerSpec, type Loss, type TrainingSpec } from '../../spec-types';
import { tf } from '../../tf';

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
 * @param inputDim number of model inputs; undefined when not known yet (encoded columns at request time).
 * @param outputUnits units the last layer must have (1, or the number of classes); undefined when unknown.
 * @param featureColumns feature columns the inputs come from, for the message when they differ.
 * @throws AppError BAD_USER_INPUT when the first layer's inputDim or the last layer's units do not
 *   match the data, or the output activation cannot produce the loss's targets.
 */
export function checkNetworkShape(spec: TrainingSpec, inputDim: number | undefined, outputUnits: number | undefined, featureColumns = inputDim): void {
  const loss = spec.loss!;
  const first = spec.layers[0];
  if (first.inputDim != null && inputDim !== undefined && first.inputDim !== inputDim) {
    const from = featureColumns === inputDim ? `${inputDim} feature columns are selected` : `the ${featureColumns} feature columns encode to ${inputDim} model inputs`;
    throw badInput(`spec.layers[0].inputDim is ${first.inputDim} but ${from}`);
  }
  const lastIndex = spec.layers.length - 1;
  const last = spec.layers[lastIndex];
  if (outputUnits !== undefined && last.units !== outputUnits) {
    throw badInput(`spec.layers[${lastIndex}].units is ${last.units} but the target needs ${outputUnits} output unit${outputUnits > 1 ? 's' : ''} for loss ${loss}`);
  }
  const activation = String(last.activation ?? 'linear').toUpperCase();
  if (loss === 'binary_crossentropy' && last.activation !== 'sigmoid') {
    throw badInput(`spec.layers[${lastIndex}].activation must be SIGMOID for loss binary_crossentropy, got ${activation}`);
  }
  if (loss.includes('categorical') && last.activation !== 'softmax') {
    throw badInput(`spec.layers[${lastIndex}].activation must be SOFTMAX for loss ${loss}, got ${activation}`);
  }
  if (LOSS_TASK[loss] === 'regression' && last.activation === 'softmax') {
    throw badInput(`spec.layers[${lastIndex}].activation SOFTMAX makes the outputs sum to 1; loss ${loss} needs one unbounded output (LINEAR)`);
  }
}

/**
 * Builds and compiles the network. The caller owns the model (and its optimizer) and disposes both.
 * @throws AppError BAD_USER_INPUT, see {@link checkNetworkShape}.
 */
export function buildNetwork(spec: TrainingSpec, inputDim: number, outputUnits: number, featureColumns?: number): tf.LayersModel {
  checkNetworkShape(spec, inputDim, outputUnits, featureColumns ?? inputDim);
  const model = tf.sequential();
  addDenseLayers(model, spec, [inputDim]);
  compileNetwork(model, spec);
  return model;
}

/**
 * Appends `spec.layers` (dense, dropout, batch normalisation) to `model`, initialisers seeded with
 * spec.seed + layer index. Also the dense head of other TF.js families (text classifiers).
 * @param inputShape the first layer's input shape when it is the model's first layer; undefined
 *   when layers already precede them.
 */
export function addDenseLayers(model: tf.Sequential, spec: TrainingSpec, inputShape?: number[], seedOffset = 0): void {
  spec.layers.forEach((layer, i) => {
    const shape = i === 0 ? inputShape : undefined;
    const seed = spec.seed + seedOffset + i;
    if (layer.type === 'dropout') {
      model.add(tf.layers.dropout({ rate: layer.rate!, inputShape: shape, seed }));
    } else if (layer.type === 'batch_normalization') {
      model.add(tf.layers.batchNormalization({ inputShape: shape, momentum: layer.momentum ?? 0.99, epsilon: layer.epsilon ?? 0.001 }));
    } else {
      model.add(
        tf.layers.dense({
          units: layer.units!,
          activation: layer.activation ?? 'linear',
          inputShape: shape,
          kernelInitializer: tf.initializers.glorotUniform({ seed }),
          kernelRegularizer: regularizer(layer),
        }),
      );
    }
  });
}

/** Compiles `model` with the spec's loss, optimizer and metrics (also used by the convolutional family). */
export function compileNetwork(model: tf.LayersModel, spec: TrainingSpec): tf.LayersModel {
  model.compile({
    loss: TF_LOSS[spec.loss!],
    optimizer: makeOptimizer(spec),
    // AUC is not a tfjs metric: trainNetwork computes it after each epoch (epoch-auc.ts).
    metrics: spec.metrics.flatMap((m) => (m === 'auc' ? [] : [TF_METRIC[m]])),
  });
  return model;
}

/** Keras' kernel_regularizer: L1, L2, or L1L2 when both factors are set. */
export function regularizer(layer: LayerSpec) {
  const l1 = layer.l1 ?? 0;
  const l2 = layer.l2 ?? 0;
  if (l1 > 0 && l2 > 0) return tf.regularizers.l1l2({ l1, l2 });
  if (l1 > 0) return tf.regularizers.l1({ l1 });
  if (l2 > 0) return tf.regularizers.l2({ l2 });
  return undefined;
}

function makeOptimizer(spec: TrainingSpec): tf.Optimizer {
  const { name, momentum } = spec.optimizer;
  const lr = spec.optimizer.learningRate ?? DEFAULT_LEARNING_RATE[name];
  if (name === 'adam') return tf.train.adam(lr);
  if (name === 'rmsprop') return tf.train.rmsprop(lr);
  return momentum ? tf.train.momentum(lr, momentum) : tf.train.sgd(lr);
}
