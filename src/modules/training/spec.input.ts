/**
 * GraphQL inputs for a training spec. Enum values carry the Keras / scikit-learn names internally
 * (`BINARY_CROSSENTROPY` arrives as 'binary_crossentropy'), so src/ml/spec.ts sees those terms.
 */
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { MissingValuesInput } from '../datasets/dataset.type';

export enum ModelKind {
  NEURAL_NETWORK = 'neural_network',
  DECISION_TREE = 'decision_tree',
  RANDOM_FOREST = 'random_forest',
}
export enum TaskKind {
  BINARY = 'binary',
  MULTICLASS = 'multiclass',
  REGRESSION = 'regression',
}
export enum LayerType {
  DENSE = 'dense',
  DROPOUT = 'dropout',
  BATCH_NORMALIZATION = 'batch_normalization',
}
export enum Activation {
  RELU = 'relu',
  SIGMOID = 'sigmoid',
  TANH = 'tanh',
  SOFTMAX = 'softmax',
  LINEAR = 'linear',
}
export enum Loss {
  BINARY_CROSSENTROPY = 'binary_crossentropy',
  CATEGORICAL_CROSSENTROPY = 'categorical_crossentropy',
  SPARSE_CATEGORICAL_CROSSENTROPY = 'sparse_categorical_crossentropy',
  MEAN_SQUARED_ERROR = 'mean_squared_error',
  MEAN_ABSOLUTE_ERROR = 'mean_absolute_error',
  HUBER = 'huber',
}
export enum OptimizerName {
  ADAM = 'adam',
  SGD = 'sgd',
  RMSPROP = 'rmsprop',
}
export enum MetricName {
  ACCURACY = 'accuracy',
  MSE = 'mse',
  MAE = 'mae',
}

export enum Monitor {
  VAL_LOSS = 'val_loss',
  VAL_ACCURACY = 'val_accuracy',
  LOSS = 'loss',
  ACCURACY = 'accuracy',
}
export enum PreprocessOp {
  IMPUTE = 'impute',
  CLIP = 'clip',
  STANDARDIZE = 'standardize',
  MIN_MAX_SCALE = 'min_max_scale',
  ONE_HOT = 'one_hot',
  BUCKETIZE = 'bucketize',
  TOKEN_COUNTS = 'token_counts',
  TF_IDF = 'tf_idf',
}
export enum ImputeStrategy {
  MEAN = 'mean',
  MEDIAN = 'median',
  MOST_FREQUENT = 'most_frequent',
  CONSTANT = 'constant',
}
export enum ClipMethod {
  QUANTILE = 'quantile',
  Z_SCORE = 'z_score',
}

registerEnumType(ModelKind, { name: 'ModelKind' });
registerEnumType(TaskKind, { name: 'Task', description: 'What the target is: two classes, several classes, or a number.' });
registerEnumType(Monitor, { name: 'Monitor', description: 'Metric watched by early stopping (VAL_* need validationSplit > 0).' });
registerEnumType(PreprocessOp, { name: 'PreprocessOp' });
registerEnumType(ImputeStrategy, { name: 'ImputeStrategy' });
registerEnumType(ClipMethod, { name: 'ClipMethod' });
registerEnumType(LayerType, { name: 'LayerType' });
registerEnumType(Activation, { name: 'Activation' });
registerEnumType(Loss, { name: 'Loss', description: 'Keras loss names.' });
registerEnumType(OptimizerName, { name: 'OptimizerName' });
registerEnumType(MetricName, { name: 'MetricName' });

@InputType({ description: "One layer, as Keras' Dense(units, activation, input_dim, kernel_regularizer), Dropout(rate) or BatchNormalization(momentum, epsilon)." })
export class LayerInput {
  @Field(() => LayerType, { defaultValue: LayerType.DENSE })
  type!: LayerType;

  @Field(() => Int, { nullable: true, description: 'Dense: number of units.' })
  units?: number;

  @Field(() => Activation, { nullable: true, description: 'Dense: activation. (Default: LINEAR)' })
  activation?: Activation;

  @Field(() => Int, { nullable: true, description: 'First layer: number of model inputs (checked against what the preprocessing yields).' })
  inputDim?: number;

  @Field(() => Float, { nullable: true, description: 'Dropout: fraction of inputs dropped while training.' })
  rate?: number;

  @Field(() => Float, { nullable: true, description: 'Dense: L1 kernel regularisation factor.' })
  l1?: number;

  @Field(() => Float, { nullable: true, description: 'Dense: L2 kernel regularisation factor (with l1: L1L2).' })
  l2?: number;

  @Field(() => Float, { nullable: true, description: 'Batch normalisation: moving-average momentum. (Default: 0.99)' })
  momentum?: number;

  @Field(() => Float, { nullable: true, description: 'Batch normalisation: epsilon. (Default: 0.001)' })
  epsilon?: number;
}

@InputType({ description: 'Decision tree / random forest options (scikit-learn names).' })
export class TreeInput {
  @Field(() => Int, { nullable: true, description: 'Maximum depth. (Default: 10)' })
  maxDepth?: number;

  @Field(() => Int, { nullable: true, description: 'A node with fewer rows is not split. (Default: 5)' })
  minSamplesSplit?: number;

  @Field(() => Int, { nullable: true, description: 'Random forest: number of trees. (Default: 50)' })
  nEstimators?: number;

  @Field(() => Float, { nullable: true, description: 'Random forest: fraction of the model inputs each tree sees. (Default: 0.7)' })
  maxFeatures?: number;
}

@InputType({ description: "Keras' EarlyStopping callback." })
export class EarlyStoppingInput {
  @Field(() => Monitor, { defaultValue: Monitor.VAL_LOSS })
  monitor!: Monitor;

  @Field(() => Int, { defaultValue: 5, description: 'Epochs without improvement before stopping.' })
  patience!: number;

  @Field(() => Float, { defaultValue: 0, description: 'Smallest change that counts as an improvement.' })
  minDelta!: number;

  @Field({ defaultValue: true, description: 'Keep the weights of the best epoch.' })
  restoreBestWeights!: boolean;
}

@InputType({ description: "A class's weight in the loss, as Keras' class_weight." })
export class ClassWeightInput {
  @Field({ description: 'A class label of the target.' })
  label!: string;

  @Field(() => Float)
  weight!: number;
}

@InputType({ description: 'One preprocessing step; fields other than op and columns apply to some ops only.' })
export class PreprocessStepInput {
  @Field(() => PreprocessOp)
  op!: PreprocessOp;

  @Field(() => [String], { nullable: true, description: 'Feature columns; default: every column of the types the op takes by default.' })
  columns?: string[];

  @Field(() => ImputeStrategy, { nullable: true, description: 'IMPUTE. (Default: MEAN)' })
  strategy?: ImputeStrategy;

  @Field(() => String, { nullable: true, description: "IMPUTE CONSTANT: the value. (Default: 0, or 'missing')" })
  fillValue?: string;

  @Field(() => ClipMethod, { nullable: true, description: 'CLIP. (Default: QUANTILE)' })
  method?: ClipMethod;

  @Field(() => Float, { nullable: true, description: 'CLIP QUANTILE: lower quantile. (Default: 0.01)' })
  lower?: number;

  @Field(() => Float, { nullable: true, description: 'CLIP QUANTILE: upper quantile. (Default: 0.99)' })
  upper?: number;

  @Field(() => Float, { nullable: true, description: 'CLIP Z_SCORE: bounds at mean ± threshold · std. (Default: 3)' })
  threshold?: number;

  @Field(() => Int, { nullable: true, description: 'BUCKETIZE: number of quantile buckets. (Default: 5)' })
  bins?: number;

  @Field(() => [Float], { nullable: true, description: 'BUCKETIZE: explicit ascending boundaries instead of bins.' })
  boundaries?: number[];

  @Field(() => Int, { nullable: true, description: 'ONE_HOT: most frequent categories kept; others encode as all zeros. (Default: 50)' })
  maxCategories?: number;

  @Field(() => Int, { nullable: true, description: 'TOKEN_COUNTS, TF_IDF: vocabulary size. (Default: 100)' })
  maxTokens?: number;
}

@InputType({ description: 'Preprocessing, fitted on the training split and stored with the version.' })
export class PreprocessingInput {
  @Field(() => [PreprocessStepInput], {
    nullable: true,
    description: 'Steps in order. Default: impute (mean / most frequent), one-hot categoricals, TF-IDF text, standardise numerics (if standardize).',
  })
  steps?: PreprocessStepInput[];

  @Field(() => [MissingValuesInput], { nullable: true, description: 'Missing-value codes, added to those declared at upload.' })
  missingValues?: MissingValuesInput[];

  @Field({ defaultValue: true, description: 'Drop training rows whose target is missing (otherwise they are an error).' })
  dropMissingTarget!: boolean;

  @Field(() => String, { nullable: true, description: "Stripped from the end of target labels, e.g. '.' for UCI Adult's test file." })
  labelSuffix?: string;

  @Field({
    nullable: true,
    description: "Regression networks: train on the target standardised with the training split's mean and std (epoch losses in those units); outputs are mapped back.",
  })
  standardizeTarget?: boolean;
}

@InputType()
export class OptimizerInput {
  @Field(() => OptimizerName)
  name!: OptimizerName;

  @Field(() => Float, { nullable: true, description: 'Default: 0.001 (ADAM, RMSPROP), 0.01 (SGD), as Keras.' })
  learningRate?: number;

  @Field(() => Float, { nullable: true, description: 'SGD only.' })
  momentum?: number;
}

@InputType({ description: 'A model (Keras-like network, decision tree or random forest), its preprocessing, split and fit arguments.' })
export class ModelSpecInput {
  @Field(() => ModelKind, { defaultValue: ModelKind.NEURAL_NETWORK })
  model!: ModelKind;

  @Field(() => TaskKind, { nullable: true, description: 'Networks: implied by the loss (checked if given). Trees: inferred from the target when left out.' })
  task?: TaskKind;

  @Field(() => [LayerInput], { defaultValue: [], description: 'Networks only.' })
  layers!: LayerInput[];

  @Field(() => Loss, { nullable: true, description: 'Networks only (required there).' })
  loss?: Loss;

  @Field(() => TreeInput, { nullable: true, description: 'DECISION_TREE and RANDOM_FOREST options.' })
  tree?: TreeInput;

  @Field(() => EarlyStoppingInput, { nullable: true })
  earlyStopping?: EarlyStoppingInput;

  @Field(() => [ClassWeightInput], { nullable: true, description: 'Networks, classification: per-class loss weights (others 1).' })
  classWeights?: ClassWeightInput[];

  @Field({ nullable: true, description: "Networks, classification: weights n / (classes · count), as scikit-learn's 'balanced'." })
  balanceClasses?: boolean;

  @Field(() => PreprocessingInput, { nullable: true })
  preprocessing?: PreprocessingInput;

  @Field({ defaultValue: false, description: 'Classification: keep class proportions in every split.' })
  stratify!: boolean;

  @Field(() => OptimizerInput, { nullable: true, description: 'Default: ADAM.' })
  optimizer?: OptimizerInput;

  @Field(() => [MetricName], { nullable: true, description: 'Default: [ACCURACY].' })
  metrics?: MetricName[];

  @Field(() => Int, { defaultValue: 10, description: 'Networks. (Trees train in one pass.)' })
  epochs!: number;

  @Field(() => Int, { defaultValue: 32 })
  batchSize!: number;

  @Field(() => Float, { defaultValue: 0, description: 'Fraction of training rows used for validation (from their end, as Keras).' })
  validationSplit!: number;

  @Field(() => Float, { defaultValue: 0.2, description: 'Fraction of all rows held out for the test metrics.' })
  testFraction!: number;

  @Field(() => Int, { defaultValue: 42, description: 'Seeds the split, shuffling and weight initialisation.' })
  seed!: number;

  @Field({ nullable: true, description: "Default pipeline: standardise numeric features with the training split's mean and std. (Default: true for networks, false for trees)" })
  standardize?: boolean;
}

@InputType()
export class StartTrainingRunInput {
  @Field(() => ID)
  datasetId!: string;

  @Field({ description: 'The label column.' })
  targetColumn!: string;

  @Field(() => [String], { nullable: true, description: 'Default: every column except the target.' })
  featureColumns?: string[];

  @Field({ description: 'Registry model the new version is added to (created on first use).' })
  modelName!: string;

  @Field(() => ModelSpecInput)
  spec!: ModelSpecInput;
}
