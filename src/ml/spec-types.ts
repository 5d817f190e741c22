/**
 * The training spec's types, importing only types that import nothing back, so every ml module can use them without a cycle
 * (normalisation is in spec.ts and each family's spec.ts). The training spec says which model
 * family to train (a Keras-like network, a decision tree, a random forest, gradient-boosted trees),
 * how to preprocess the data, how to split it and how to fit. The Keras reference program maps to it one
 * to one:
 *
 *   Dense(10, input_dim=8, activation='relu')  -> { type: 'dense', units: 10, inputDim: 8, activation: 'relu' }
 *   Dense(1, activation='sigmoid')             -> { type: 'dense', units: 1, activation: 'sigmoid' }
 *   compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
 *   fit(epochs=10, batch_size=32)
 */
import type { PreprocessingSpec } from './preprocess/types';
import type { Task } from './task';

export type { Task };

/**
 * The name of a registered model family ('neural_network', 'decision_tree', …): the registry
 * (src/ml/families/registry.ts) is the one list of them; normalizeSpec refuses any other name.
 * Code that needs the literal union imports `ModelKind` from the registry.
 */
export type ModelKind = string;
export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear';
export type Loss = 'binary_crossentropy' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'mean_squared_error' | 'mean_absolute_error' | 'huber';
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';
/** Per-epoch metrics; `auc` (binary only) is computed by src/ml/families/network/epoch-auc.ts, the others by tfjs. */
export type MetricName = 'accuracy' | 'mse' | 'mae' | 'auc';
export type Monitor = 'val_loss' | 'val_accuracy' | 'loss' | 'accuracy';

/** Layer types: dense networks use the first three; convolutional networks all of them. */
export type LayerType = 'dense' | 'dropout' | 'batch_normalization' | 'conv2d' | 'max_pooling2d' | 'average_pooling2d' | 'flatten' | 'global_average_pooling2d';

export interface LayerSpec {
  type: LayerType;
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
  /** conv2d: output channels. */
  filters?: number;
  /** conv2d: square kernel side; pooling: see poolSize. (Default: 3) */
  kernelSize?: number;
  /** conv2d and pooling: step in both directions. (Default: 1 for conv2d, poolSize for pooling) */
  strides?: number;
  /** conv2d and pooling: 'valid' (no padding) or 'same' (output size = ceil(input / strides)). (Default: 'valid') */
  padding?: 'valid' | 'same';
  /** max_pooling2d, average_pooling2d: square window side. (Default: 2) */
  poolSize?: number;
}

/** Random shifts and small rotations of the training images, drawn per image and epoch (seeded). */
export interface AugmentationSpec {
  /** Largest shift, as a fraction of the height and width (Keras RandomTranslation's factor). (Default: 0) */
  shift: number;
  /** Largest rotation, degrees, either way. (Default: 0) */
  rotationDegrees: number;
}

export interface OptimizerSpec {
  name: OptimizerName;
  /** (Default: 0.001 for adam and rmsprop, as Keras; 0.01 for sgd) */
  learningRate?: number;
  /** sgd only. (Default: 0) */
  momentum?: number;
}

/** Keras `EarlyStopping` (networks; gradient boosting watches val_loss per round, as scikit-learn's n_iter_no_change): stop when `monitor` has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStoppingSpec {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  /** Put back the weights of the best epoch at the end. */
  restoreBestWeights: boolean;
}

/**
 * Tree options, with scikit-learn's names (DecisionTreeClassifier, RandomForestClassifier,
 * HistGradientBoostingClassifier). Every kind trains on the histogram learner in src/ml/trees/hist.
 * Defaults per kind are in each family's spec.ts.
 */
export interface TreeSpec {
  /** Deepest level a node may sit at (root = 0). Absent: no limit (gradient boosting's default). */
  maxDepth?: number;
  /** A node with fewer rows is a leaf. (Default: 5 for trees and forests, 2 for boosting) */
  minSamplesSplit: number;
  /** Fewest training rows a leaf may hold. (Default: 1; gradient boosting 20) */
  minSamplesLeaf: number;
  /** Random forest: trees; gradient boosting: boosting rounds. (Default: 50 forest, 100 boosting) */
  nEstimators: number;
  /** Fraction of the model inputs considered at each split, drawn per split. (Default: 0.7 forest, 1 otherwise) */
  maxFeatures: number;
  /** Leaves per tree, grown best-first. Absent: no limit. (Default: 31 for gradient boosting) */
  maxLeafNodes?: number;
  /** Gradient boosting: shrinkage of each tree's leaf values. (Default: 0.1) */
  learningRate?: number;
  /** Gradient boosting: L2 penalty λ on leaf values, value = −G / (H + λ). (Default: 0) */
  l2Regularization?: number;
  /** Gradient boosting: fraction of the training rows each round sees, drawn per round. (Default: 1) */
  subsample?: number;
  /** Buckets per input (plus one for missing values), from quantiles of the training rows. (Default: 255) */
  maxBins: number;
}

/**
 * TEXT_CLASSIFIER options: what sits between the token ids and the dense head `spec.layers`
 * (Keras: `Embedding(vocab, embeddingDim)` → `GlobalAveragePooling1D()`, or → `Conv1D(filters,
 * kernelSize, 'relu')` → `GlobalMaxPooling1D()`). The tokenizer is the TOKEN_SEQUENCE step.
 */
export interface TextSpec {
  /** Floats per token embedding. (Default: 16) */
  embeddingDim: number;
  /** (Default: 'average_pooling') */
  architecture: 'average_pooling' | 'conv1d';
  /** conv1d: filters. (Default: 64) */
  filters?: number;
  /** conv1d: window, tokens. (Default: 3) */
  kernelSize?: number;
}

/**
 * MATRIX_FACTORIZATION options (src/ml/families/matrix-factorization/spec.ts): which columns hold
 * the user and the item (the target column holds the rating), and the SGD settings with Surprise's
 * `SVD` names in camelCase (`n_factors` → `factors`, `lr_all` → `learningRate`, `reg_all` →
 * `regularization`).
 */
export interface MatrixFactorizationSpec {
  userColumn: string;
  itemColumn: string;
  /** K, latent factors per user and item. (Default: 50) */
  factors: number;
  /** SGD step size γ. (Default: 0.01) */
  learningRate: number;
  /** L2 penalty λ on biases and factors. (Default: 0.08) */
  regularization: number;
  /** Ranking score = predicted rating + popularityWeight · ln(1 + item's training ratings). Absent: chosen on the validation split. */
  popularityWeight?: number;
  /** Item metadata: another dataset of the tenant, one row per item, joined by id when serving (titles). */
  itemMetadata?: { datasetId: string; idColumn: string; titleColumn?: string };
  /** User metadata: another dataset of the tenant, one row per user, joined by id when serving. */
  userMetadata?: { datasetId: string; idColumn: string };
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
  /** (Default: 10; trees and forests: 1; gradient boosting: tree.nEstimators, one per round) */
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
  /** TEXT_CLASSIFIER only. */
  text?: TextSpec;
  earlyStopping?: EarlyStoppingSpec;
  /** MATRIX_FACTORIZATION only. */
  matrixFactorization?: MatrixFactorizationSpec;
  /** Per-class loss weights (networks, classification), as Keras `class_weight`. */
  classWeights?: { label: string; weight: number }[];
  /** Weight classes by n / (classes · count), as scikit-learn's `class_weight='balanced'`. */
  balanceClasses?: boolean;
  preprocessing: PreprocessingSpec;
  /** Keep the dataset's row order: the test rows are its last testFraction (a fixed published split). (Default: false) */
  orderedSplit?: boolean;
  /** Image models: 'scale' (pixels / 255) or 'standardize' (per-channel mean and std of the training split). (Default: 'scale') */
  imageNormalization?: 'scale' | 'standardize';
  /** Image models: training-time augmentation. (Default: none) */
  augmentation?: AugmentationSpec;
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

/** A spec as it arrives (GraphQL input or plain object): any field may be absent. */
export type SpecInput = Partial<Omit<TrainingSpec, 'tree' | 'earlyStopping' | 'text' | 'matrixFactorization' | 'augmentation'>> & {
  matrixFactorization?: Partial<MatrixFactorizationSpec> | null;
  augmentation?: Partial<AugmentationSpec> | null;
  layers?: LayerSpec[];
  tree?: Partial<TreeSpec> | null;
  text?: Partial<TextSpec> | null;
  earlyStopping?: Partial<EarlyStoppingSpec> | null;
};
