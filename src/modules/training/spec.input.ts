/**
 * GraphQL inputs for a training spec. Enum values carry the Keras names internally
 * (`BINARY_CROSSENTROPY` arrives as 'binary_crossentropy'), so src/ml/spec.ts sees Keras terms.
 */
import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';

export enum LayerType {
  DENSE = 'dense',
  DROPOUT = 'dropout',
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

registerEnumType(LayerType, { name: 'LayerType' });
registerEnumType(Activation, { name: 'Activation' });
registerEnumType(Loss, { name: 'Loss', description: 'Keras loss names.' });
registerEnumType(OptimizerName, { name: 'OptimizerName' });
registerEnumType(MetricName, { name: 'MetricName' });

@InputType({ description: "One layer, as Keras' Dense(units, activation, input_dim) or Dropout(rate)." })
export class LayerInput {
  @Field(() => LayerType, { defaultValue: LayerType.DENSE })
  type!: LayerType;

  @Field(() => Int, { nullable: true, description: 'Dense: number of units.' })
  units?: number;

  @Field(() => Activation, { nullable: true, description: 'Dense: activation. (Default: LINEAR)' })
  activation?: Activation;

  @Field(() => Int, { nullable: true, description: 'First layer: number of features (checked against featureColumns).' })
  inputDim?: number;

  @Field(() => Float, { nullable: true, description: 'Dropout: fraction of inputs dropped while training.' })
  rate?: number;

  @Field(() => Float, { nullable: true, description: 'Dense: L1 kernel regularisation factor.' })
  l1?: number;

  @Field(() => Float, { nullable: true, description: 'Dense: L2 kernel regularisation factor.' })
  l2?: number;
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

@InputType({ description: 'A Keras-like model: layers, compile() and fit() arguments, plus split and seed.' })
export class ModelSpecInput {
  @Field(() => [LayerInput])
  layers!: LayerInput[];

  @Field(() => Loss)
  loss!: Loss;

  @Field(() => OptimizerInput, { nullable: true, description: 'Default: ADAM.' })
  optimizer?: OptimizerInput;

  @Field(() => [MetricName], { nullable: true, description: 'Default: [ACCURACY].' })
  metrics?: MetricName[];

  @Field(() => Int, { defaultValue: 10 })
  epochs!: number;

  @Field(() => Int, { defaultValue: 32 })
  batchSize!: number;

  @Field(() => Float, { defaultValue: 0, description: 'Fraction of training rows used for validation (from their end, as Keras).' })
  validationSplit!: number;

  @Field(() => Float, { defaultValue: 0.2, description: 'Fraction of all rows held out for the test metrics.' })
  testFraction!: number;

  @Field(() => Int, { defaultValue: 42, description: 'Seeds the split, shuffling and weight initialisation.' })
  seed!: number;

  @Field({ defaultValue: true, description: "Standardise features with the training split's mean and std." })
  standardize!: boolean;
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
