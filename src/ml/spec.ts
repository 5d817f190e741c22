/**
 * The training spec: a Keras-like description of a network and how to fit it.
 * The Keras reference program maps to it one to one:
 *
 *   Dense(10, input_dim=8, activation='relu')  -> { type: 'dense', units: 10, inputDim: 8, activation: 'relu' }
 *   Dense(1, activation='sigmoid')             -> { type: 'dense', units: 1, activation: 'sigmoid' }
 *   compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
 *   fit(epochs=10, batch_size=32)
 */
import { badInput } from '../lib/errors';

export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear';
export type Loss =
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'mean_squared_error'
  | 'mean_absolute_error'
  | 'huber';
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';
export type MetricName = 'accuracy' | 'mse' | 'mae';
export type Task = 'binary' | 'multiclass' | 'regression';

export interface LayerSpec {
  type: 'dense' | 'dropout';
  /** dense: number of units. */
  units?: number;
  activation?: Activation;
  /** First layer only: number of features; checked against the selected feature columns. */
  inputDim?: number;
  /** dropout: fraction of inputs dropped while training, in [0, 1). */
  rate?: number;
  /** dense: L1 / L2 penalty factors on the kernel (Keras `regularizers.l1_l2`). */
  l1?: number;
  l2?: number;
}

export interface OptimizerSpec {
  name: OptimizerName;
  /** (Default: 0.001 for adam and rmsprop, as Keras; 0.01 for sgd) */
  learningRate?: number;
  /** sgd only. (Default: 0) */
  momentum?: number;
}

export interface TrainingSpec {
  layers: LayerSpec[];
  loss: Loss;
  optimizer: OptimizerSpec;
  metrics: MetricName[];
  /** (Default: 10) */
  epochs: number;
  /** (Default: 32) */
  batchSize: number;
  /** Fraction of the training rows used for validation, from their end. (Default: 0) */
  validationSplit: number;
  /** Fraction of all rows held out for the test metrics. (Default: 0.2) */
  testFraction: number;
  /** Seeds the split, the shuffling and the weight initialisers. (Default: 42) */
  seed: number;
  /** Standardise numeric features with the training split's mean and std. (Default: true) */
  standardize: boolean;
}

export const LOSS_TASK: Record<Loss, Task> = {
  binary_crossentropy: 'binary',
  categorical_crossentropy: 'multiclass',
  sparse_categorical_crossentropy: 'multiclass',
  mean_squared_error: 'regression',
  mean_absolute_error: 'regression',
  huber: 'regression',
};

export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { adam: 0.001, rmsprop: 0.001, sgd: 0.01 };

/** Limits that keep one run from taking a worker for hours. */
export const LIMITS = { maxEpochs: 1000, maxBatchSize: 65_536, maxLayers: 50, maxUnits: 4096 };

/**
 * Fills defaults and checks everything that does not depend on the data.
 * @throws AppError BAD_USER_INPUT naming the field (e.g. `spec.layers[1].units`) and its value.
 */
export function normalizeSpec(input: Partial<TrainingSpec> & { layers: LayerSpec[] }): TrainingSpec {
  const spec: TrainingSpec = {
    layers: input.layers,
    loss: input.loss ?? 'binary_crossentropy',
    optimizer: input.optimizer ?? { name: 'adam' },
    metrics: input.metrics ?? ['accuracy'],
    epochs: input.epochs ?? 10,
    batchSize: input.batchSize ?? 32,
    validationSplit: input.validationSplit ?? 0,
    testFraction: input.testFraction ?? 0.2,
    seed: input.seed ?? 42,
    standardize: input.standardize ?? true,
  };
  const range = (field: string, v: number, lo: number, hi: number, integer = true) => {
    if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
      throw badInput(`spec.${field} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${v}`);
    }
  };
  range('epochs', spec.epochs, 1, LIMITS.maxEpochs);
  range('batchSize', spec.batchSize, 1, LIMITS.maxBatchSize);
  range('validationSplit', spec.validationSplit, 0, 0.9, false);
  range('testFraction', spec.testFraction, 0, 0.9, false);
  range('seed', spec.seed, 0, 2 ** 31 - 1);
  if (spec.optimizer.learningRate !== undefined) range('optimizer.learningRate', spec.optimizer.learningRate, 1e-9, 10, false);
  if (spec.optimizer.momentum !== undefined) range('optimizer.momentum', spec.optimizer.momentum, 0, 1, false);
  if (spec.layers.length === 0) throw badInput('spec.layers must have at least one layer');
  if (spec.layers.length > LIMITS.maxLayers) throw badInput(`spec.layers has ${spec.layers.length} layers; at most ${LIMITS.maxLayers}`);
  spec.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    if (layer.type === 'dense') {
      if (layer.units === undefined) throw badInput(`spec.${at}.units is required for a dense layer`);
      range(`${at}.units`, layer.units, 1, LIMITS.maxUnits);
      if (layer.l1 !== undefined) range(`${at}.l1`, layer.l1, 0, 10, false);
      if (layer.l2 !== undefined) range(`${at}.l2`, layer.l2, 0, 10, false);
    } else if (layer.type === 'dropout') {
      if (layer.rate === undefined) throw badInput(`spec.${at}.rate is required for a dropout layer`);
      range(`${at}.rate`, layer.rate, 0, 0.99, false);
    }
    if (layer.inputDim !== undefined && i > 0) throw badInput(`spec.${at}.inputDim is only allowed on the first layer`);
  });
  const last = spec.layers[spec.layers.length - 1];
  if (last.type !== 'dense') throw badInput(`spec.layers[${spec.layers.length - 1}] must be a dense output layer, got '${last.type}'`);
  return spec;
}
