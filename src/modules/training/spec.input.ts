/**
 * The input of startTrainingRun: which dataset columns to learn from and the model spec (kind,
 * options of that kind, preprocessing, split and fit arguments). src/ml/spec.ts fills the defaults
 * and checks it; the options of each family sit in network.input.ts, tree.input.ts and
 * preprocessing.input.ts, the enums in spec-enums.ts.
 */
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { Nullable } from '../common/fields';
import { AugmentationInput, ClassWeightInput, LayerInput, OptimizerInput } from './network.input';
import { PreprocessingInput } from './preprocessing.input';
import { RUN_PRIORITY_MAX } from './run-priority';
import { ImageNormalization, Loss, MetricName, ModelKind, Monitor, TaskKind } from './spec-enums';
import { TextModelInput } from './text.input';
import { TreeInput } from './tree.input';
import { MatrixFactorizationInput } from './matrix-factorization.input';

/** When to stop fitting early: after `patience` epochs (or boosting rounds) without improvement. */
@InputType({
  description: "Early stopping, as Keras' EarlyStopping callback: NEURAL_NETWORK (per epoch) and GRADIENT_BOOSTING (per boosting round, on VAL_LOSS).",
})
export class EarlyStoppingInput {
  @Field(() => Monitor, { defaultValue: Monitor.VAL_LOSS })
  monitor!: Monitor;

  @Field(() => Int, { defaultValue: 5, description: 'Epochs (GRADIENT_BOOSTING: boosting rounds) without improvement before stopping.' })
  patience!: number;

  @Field(() => Float, { defaultValue: 0, description: 'Smallest change that counts as an improvement.' })
  minDelta!: number;

  @Field({ defaultValue: true, description: 'Keep the weights of the best epoch.' })
  restoreBestWeights!: boolean;
}

/** A model spec: the kind, its options, preprocessing, split and fit arguments. */
@InputType({
  description: 'A model (Keras-like network, decision tree, random forest or gradient-boosted trees), its preprocessing, split and fit arguments.',
})
export class ModelSpecInput {
  @Field(() => ModelKind, { defaultValue: ModelKind.NEURAL_NETWORK })
  model!: ModelKind;

  @Nullable(TaskKind, 'Networks: implied by the loss (checked if given). Trees: inferred from the target when left out.')
  task?: TaskKind;

  @Field(() => [LayerInput], {
    defaultValue: [],
    description: 'Networks only. A NEURAL_NETWORK with neither layers nor loss gets a small one for the target task: Dense(8, relu), then the output layer and loss of the task.',
  })
  layers!: LayerInput[];

  @Nullable(Loss, 'Networks only (required with layers; left out with the layers, the target task picks it).')
  loss?: Loss;

  @Nullable(TreeInput, 'DECISION_TREE, RANDOM_FOREST and GRADIENT_BOOSTING options.')
  tree?: TreeInput;

  @Nullable(TextModelInput, 'TEXT_CLASSIFIER options (embedding size, pooling or conv1d).')
  text?: TextModelInput;

  @Nullable(MatrixFactorizationInput, 'MATRIX_FACTORIZATION options (required there).')
  matrixFactorization?: MatrixFactorizationInput;

  @Nullable(EarlyStoppingInput, 'NEURAL_NETWORK, GRADIENT_BOOSTING and MATRIX_FACTORIZATION: stop when the monitored metric stops improving.')
  earlyStopping?: EarlyStoppingInput;

  @Nullable([ClassWeightInput], 'Networks, classification: per-class loss weights (others 1).')
  classWeights?: ClassWeightInput[];

  @Nullable(Boolean, "Networks, classification: weights n / (classes · count), as scikit-learn's 'balanced'.")
  balanceClasses?: boolean;

  @Nullable(PreprocessingInput)
  preprocessing?: PreprocessingInput;

  @Field({ defaultValue: false, description: 'Classification: keep class proportions in every split.' })
  stratify!: boolean;

  @Nullable(OptimizerInput, 'Networks only. Default: ADAM.')
  optimizer?: OptimizerInput;

  @Nullable([MetricName], 'Default: [ACCURACY].')
  metrics?: MetricName[];

  @Nullable(Int, 'Networks only. Default: 10. (Trees train in one pass; GRADIENT_BOOSTING rounds are tree.nEstimators.)')
  epochs?: number;

  @Nullable(Int, 'Networks only. Default: 32.')
  batchSize?: number;

  @Field(() => Float, { defaultValue: 0, description: 'Fraction of training rows used for validation (from their end, as Keras).' })
  validationSplit!: number;

  @Field(() => Float, { defaultValue: 0.2, description: 'Fraction of all rows held out for the test metrics.' })
  testFraction!: number;

  @Field(() => Int, { defaultValue: 42, description: 'Seeds the split, shuffling and weight initialisation.' })
  seed!: number;

  @Nullable(Boolean, "Keep the dataset's order: the test rows are its last testFraction (a fixed published split, e.g. MNIST). (Default: false)")
  orderedSplit?: boolean;

  @Nullable(ImageNormalization, 'CONVOLUTIONAL_NETWORK: how pixels are scaled. (Default: SCALE)')
  imageNormalization?: ImageNormalization;

  @Nullable(AugmentationInput, 'CONVOLUTIONAL_NETWORK: random shifts and rotations of the training images.')
  augmentation?: AugmentationInput;

  @Nullable(Boolean, "Default pipeline: standardise numeric features with the training split's mean and std. (Default: true for networks, false for trees)")
  standardize?: boolean;
}

/** What startTrainingRun takes: the dataset, its target and feature columns, the model to add a version to, and the spec. */
@InputType()
export class StartTrainingRunInput {
  @Field(() => ID)
  datasetId!: string;

  @Field({ description: 'The label column.' })
  targetColumn!: string;

  @Nullable([String], 'Default: every column except the target.')
  featureColumns?: string[];

  @Field({ description: 'Registry model the new version is added to (created on first use).' })
  modelName!: string;

  @Field(() => ModelSpecInput)
  spec!: ModelSpecInput;

  @Nullable(
    Int,
    `Order among this tenant's own queued runs: higher is trained first (other tenants' runs are not affected; across tenants the fair share decides). ${-RUN_PRIORITY_MAX} to ${RUN_PRIORITY_MAX}. (Default: 0)`,
  )
  priority?: number | null;
}
