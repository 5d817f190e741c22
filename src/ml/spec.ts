/**
 * The training spec: which model (a Keras-like network, a decision tree or a random forest), how to
 * preprocess the data, how to split it and how to fit. The Keras reference program maps to it one
 * to one:
 *
 *   Dense(10, input_dim=8, activation='relu')  -> { type: 'dense', units: 10, inputDim: 8, activation: 'relu' }
 *   Dense(1, activation='sigmoid')             -> { type: 'dense', units: 1, activation: 'sigmoid' }
 *   compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
 *   fit(epochs=10, batch_size=32)
 */
import { badInput } from '../lib/errors';
import { checkStepFields } from './preprocess/plan';
import type { PreprocessingSpec } from './preprocess/types';

export type ModelKind = 'neural_network' | 'decision_tree' | 'random_forest';
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
export type Monitor = 'val_loss' | 'val_accuracy' | 'loss' | 'accuracy';

export interface LayerSpec {
  type: 'dense' | 'dropout' | 'batch_normalization';
  /** dense: number of units. */
  units?: number;
  activation?: Activation;
  /** First layer only: number of model inputs; checked against what the preprocessing yields. */
  inputDim?: number;
  /** dropout: fraction of inputs dropped while training, in [0, 1). */
  rate?: number;
  /** dense: L1 / L2 penalty factors on the kernel: L1, L2 or both (Keras `regularizers.l1_l2`). */
  l1?: number;
  l2?: number;
  /** batch_normalization: moving-average momentum (Default: 0.99) and epsilon (Default: 0.001), as Keras. */
  momentum?: number;
  epsilon?: number;
}

export interface OptimizerSpec {
  name: OptimizerName;
  /** (Default: 0.001 for adam and rmsprop, as Keras; 0.01 for sgd) */
  learningRate?: number;
  /** sgd only. (Default: 0) */
  momentum?: number;
}

/** Keras `EarlyStopping`: stop when `monitor` has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStoppingSpec {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  /** Put back the weights of the best epoch at the end. */
  restoreBestWeights: boolean;
}

/** Tree options, with scikit-learn's names (mapped to ml-cart / ml-random-forest in trees/). */
export interface TreeSpec {
  /** (Default: 10) */
  maxDepth: number;
  /** A node with fewer rows is a leaf. (Default: 5) */
  minSamplesSplit: number;
  /** random_forest: number of trees. (Default: 50) */
  nEstimators: number;
  /** random_forest: fraction of the model inputs each tree sees, drawn per tree. (Default: 0.7) */
  maxFeatures: number;
}

export interface TrainingSpec {
  /** (Default: 'neural_network') */
  model: ModelKind;
  /** Binary, multiclass or regression. Networks: implied by the loss. Trees: inferred from the target when absent. */
  task?: Task;
  layers: LayerSpec[];
  /** Networks only (required there). */
  loss?: Loss;
  optimizer: OptimizerSpec;
  metrics: MetricName[];
  /** (Default: 10; trees: 1) */
  epochs: number;
  /** (Default: 32) */
  batchSize: number;
  /** Fraction of the training rows used for validation, from their end. (Default: 0) */
  validationSplit: number;
  /** Fraction of all rows held out for the test metrics. (Default: 0.2) */
  testFraction: number;
  /** Seeds the split, the shuffling, the weight initialisers and the forest. (Default: 42) */
  seed: number;
  /** Default pipeline only: standardise numeric features. (Default: true for networks, false for trees) */
  standardize: boolean;
  /** Split each class in the same proportions (classification only). (Default: false) */
  stratify: boolean;
  tree?: TreeSpec;
  earlyStopping?: EarlyStoppingSpec;
  /** Per-class loss weights (networks, classification), as Keras `class_weight`. */
  classWeights?: { label: string; weight: number }[];
  /** Weight classes by n / (classes · count), as scikit-learn's `class_weight='balanced'`. */
  balanceClasses?: boolean;
  preprocessing: PreprocessingSpec;
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
export const LIMITS = { maxEpochs: 1000, maxBatchSize: 65_536, maxLayers: 50, maxUnits: 4096, maxTrees: 500, maxDepth: 30 };

const plain = <T>(v: T): T => (v == null ? v : JSON.parse(JSON.stringify(v)));
const isTree = (m: ModelKind) => m !== 'neural_network';

type SpecInput = Partial<Omit<TrainingSpec, 'tree' | 'earlyStopping'>> & {
  layers?: LayerSpec[];
  tree?: Partial<TreeSpec> | null;
  earlyStopping?: Partial<EarlyStoppingSpec> | null;
};

/**
 * Fills defaults and checks everything that does not depend on the data. Returns a plain object
 * (no GraphQL input class instances), safe to store as JSON.
 * @throws AppError BAD_USER_INPUT naming the field (e.g. `spec.layers[1].units`) and its value.
 */
export function normalizeSpec(input: SpecInput): TrainingSpec {
  const model = input.model ?? 'neural_network';
  const tree = isTree(model);
  const spec: TrainingSpec = {
    model,
    ...(input.task ? { task: input.task } : {}),
    layers: plain(input.layers ?? []),
    ...(tree ? {} : { loss: input.loss ?? undefined }),
    optimizer: plain(input.optimizer ?? { name: 'adam' }),
    // Keras has no default metric; accuracy is the one that means something for classification.
    metrics: input.metrics ?? (input.loss && LOSS_TASK[input.loss] === 'regression' ? ['mse'] : ['accuracy']),
    epochs: tree ? 1 : (input.epochs ?? 10),
    batchSize: input.batchSize ?? 32,
    validationSplit: input.validationSplit ?? 0,
    testFraction: input.testFraction ?? 0.2,
    seed: input.seed ?? 42,
    standardize: input.standardize ?? !tree,
    stratify: input.stratify ?? false,
    preprocessing: plain(input.preprocessing ?? {}),
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
  checkStepFields(spec.preprocessing.steps ?? []);
  if (input.classWeights?.length || input.balanceClasses) {
    if (tree) throw badInput(`spec.classWeights and spec.balanceClasses are for neural networks; ${model.toUpperCase()} does not take them`);
    if (input.classWeights?.length && input.balanceClasses) throw badInput('spec.classWeights and spec.balanceClasses exclude each other; give one');
    input.classWeights?.forEach((w, i) => range(`classWeights[${i}].weight`, w.weight, 1e-6, 1e6, false));
    if (input.classWeights?.length) spec.classWeights = plain(input.classWeights);
    if (input.balanceClasses) spec.balanceClasses = true;
  }
  if (tree) {
    if (spec.layers.length > 0) throw badInput(`spec.layers must be empty for ${model.toUpperCase()}; tree options go in spec.tree`);
    if (input.earlyStopping) throw badInput(`spec.earlyStopping is for neural networks; ${model.toUpperCase()} trains in one pass`);
    spec.tree = normalizeTree(input.tree ?? {}, range);
    return spec;
  }
  if (input.tree) throw badInput('spec.tree is for DECISION_TREE and RANDOM_FOREST; set spec.model');
  if (!spec.loss) throw badInput('spec.loss is required for a neural network');
  if (spec.task && spec.task !== LOSS_TASK[spec.loss]) {
    throw badInput(`spec.task is ${spec.task.toUpperCase()} but loss ${spec.loss} is for ${LOSS_TASK[spec.loss].toUpperCase()} targets`);
  }
  if (spec.optimizer.learningRate != null) range('optimizer.learningRate', spec.optimizer.learningRate, 1e-9, 10, false);
  if (spec.optimizer.momentum != null) range('optimizer.momentum', spec.optimizer.momentum, 0, 1, false);
  if (input.earlyStopping) spec.earlyStopping = normalizeEarlyStopping(input.earlyStopping, spec, range);
  checkLayers(spec, range);
  return spec;
}

type Range = (field: string, v: number, lo: number, hi: number, integer?: boolean) => void;

function normalizeTree(t: Partial<TreeSpec>, range: Range): TreeSpec {
  const out: TreeSpec = { maxDepth: t.maxDepth ?? 10, minSamplesSplit: t.minSamplesSplit ?? 5, nEstimators: t.nEstimators ?? 50, maxFeatures: t.maxFeatures ?? 0.7 };
  range('tree.maxDepth', out.maxDepth, 1, LIMITS.maxDepth);
  range('tree.minSamplesSplit', out.minSamplesSplit, 2, 100_000);
  range('tree.nEstimators', out.nEstimators, 1, LIMITS.maxTrees);
  range('tree.maxFeatures', out.maxFeatures, 0.01, 1, false);
  return out;
}

function normalizeEarlyStopping(e: Partial<EarlyStoppingSpec>, spec: TrainingSpec, range: Range): EarlyStoppingSpec {
  const out: EarlyStoppingSpec = { monitor: e.monitor ?? 'val_loss', patience: e.patience ?? 5, minDelta: e.minDelta ?? 0, restoreBestWeights: e.restoreBestWeights ?? true };
  range('earlyStopping.patience', out.patience, 0, LIMITS.maxEpochs);
  range('earlyStopping.minDelta', out.minDelta, 0, 1e6, false);
  if (out.monitor.startsWith('val_') && spec.validationSplit === 0) {
    throw badInput(`spec.earlyStopping.monitor ${out.monitor.toUpperCase()} needs validation rows: set spec.validationSplit above 0`);
  }
  if (out.monitor.endsWith('accuracy') && !spec.metrics.includes('accuracy')) {
    throw badInput(`spec.earlyStopping.monitor ${out.monitor.toUpperCase()} needs ACCURACY in spec.metrics`);
  }
  return out;
}

function checkLayers(spec: TrainingSpec, range: Range): void {
  if (spec.layers.length === 0) throw badInput('spec.layers must have at least one layer');
  if (spec.layers.length > LIMITS.maxLayers) throw badInput(`spec.layers has ${spec.layers.length} layers; at most ${LIMITS.maxLayers}`);
  spec.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    if (layer.type === 'dense') {
      if (layer.units == null) throw badInput(`spec.${at}.units is required for a dense layer`);
      range(`${at}.units`, layer.units, 1, LIMITS.maxUnits);
      if (layer.l1 != null) range(`${at}.l1`, layer.l1, 0, 10, false);
      if (layer.l2 != null) range(`${at}.l2`, layer.l2, 0, 10, false);
    } else if (layer.type === 'dropout') {
      if (layer.rate == null) throw badInput(`spec.${at}.rate is required for a dropout layer`);
      range(`${at}.rate`, layer.rate, 0, 0.99, false);
    } else if (layer.type === 'batch_normalization') {
      if (layer.momentum != null) range(`${at}.momentum`, layer.momentum, 0, 1, false);
      if (layer.epsilon != null) range(`${at}.epsilon`, layer.epsilon, 1e-9, 1, false);
    }
    // A field of another layer type is refused, not ignored.
    const owners = [
      ['dense', 'dense', ['units', 'activation', 'l1', 'l2']],
      ['dropout', 'dropout', ['rate']],
      ['batch_normalization', 'batch normalization', ['momentum', 'epsilon']],
    ] as const;
    for (const [type, name, fields] of owners) {
      if (layer.type === type) continue;
      for (const f of fields) {
        if (layer[f] != null) throw badInput(`spec.${at}.${f} is for ${name} layers; layer ${i} is ${layer.type.toUpperCase()}`);
      }
    }
    if (layer.inputDim != null && i > 0) throw badInput(`spec.${at}.inputDim is only allowed on the first layer`);
  });
  const last = spec.layers[spec.layers.length - 1];
  if (last.type !== 'dense') throw badInput(`spec.layers[${spec.layers.length - 1}] must be a dense output layer, got '${last.type}'`);
}
