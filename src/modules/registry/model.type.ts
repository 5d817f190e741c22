import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Test metrics of one class.' })
export class ClassMetrics {
  @Field() label!: string;
  @Field(() => Float) precision!: number;
  @Field(() => Float) recall!: number;
  @Field(() => Float) f1!: number;
  @Field(() => Int, { description: 'Test rows of this class.' }) support!: number;
}

@ObjectType({ description: 'Rows in each split.' })
export class SplitRows {
  @Field(() => Int) train!: number;
  @Field(() => Int) validation!: number;
  @Field(() => Int) test!: number;
}

@ObjectType({ description: 'Held-out test metrics of a version (classification or regression ones).' })
export class VersionMetrics {
  @Field({ description: 'binary, multiclass or regression' })
  task!: string;

  @Field(() => Int, { description: 'Rows in the test split.' })
  testRows!: number;

  @Field(() => Float, { nullable: true }) accuracy?: number;
  @Field(() => Float, { nullable: true, description: 'Binary: of the positive class; multiclass: macro.' }) precision?: number;
  @Field(() => Float, { nullable: true }) recall?: number;
  @Field(() => Float, { nullable: true }) f1?: number;
  @Field(() => Float, { nullable: true, description: 'Binary only.' }) rocAuc?: number;
  @Field(() => Float, { nullable: true }) logLoss?: number;
  @Field(() => [[Int]], { nullable: true, description: 'confusionMatrix[actual][predicted], in class order.' })
  confusionMatrix?: number[][];
  @Field(() => Float, { nullable: true, description: 'Mean over classes (macro average).' }) macroPrecision?: number;
  @Field(() => Float, { nullable: true }) macroRecall?: number;
  @Field(() => Float, { nullable: true }) macroF1?: number;
  @Field(() => [ClassMetrics], { nullable: true, description: 'Classification: per class, in class order.' }) perClass?: ClassMetrics[];
  @Field(() => Float, { nullable: true }) mse?: number;
  @Field(() => Float, { nullable: true }) rmse?: number;
  @Field(() => Float, { nullable: true }) mae?: number;
  @Field(() => Float, { nullable: true }) r2?: number;
  @Field(() => SplitRows, { nullable: true }) rows?: SplitRows;
  @Field(() => Int, { nullable: true, description: 'Early stopping: the epoch whose weights the version keeps (or the best seen).' }) bestEpoch?: number;
  @Field({ nullable: true, description: 'Early stopping: whether it ended training before spec.epochs.' }) stoppedEarly?: boolean;
}

@ObjectType({ description: 'Mean decrease in impurity of one model input (trees), summing to 1 over the inputs.' })
export class FeatureImportance {
  @Field({ description: "Model input, e.g. 'Glucose' or 'workclass=Private'." }) input!: string;
  @Field({ description: 'The feature column it comes from.' }) column!: string;
  @Field(() => Float) importance!: number;
}

@ObjectType({ description: 'A feature column the version takes, with what its pipeline learned on the training split.' })
export class FeatureInfo {
  @Field()
  name!: string;

  @Field({ description: 'numeric, categorical, boolean, text or datetime' })
  type!: string;

  @Field(() => Float, { nullable: true, description: 'Numeric: the training mean used to standardise (or to impute) it.' })
  mean?: number;

  @Field(() => Float, { nullable: true, description: 'Numeric: the training standard deviation used to standardise it.' })
  std?: number;

  @Field(() => String, { nullable: true, description: 'The value a missing input is replaced with, if imputed.' })
  imputeValue?: string;

  @Field(() => [String], { nullable: true, description: 'One-hot: the known categories (others encode as all zeros).' })
  categories?: string[];

  @Field(() => [String], { description: 'Cell values read as missing.' })
  missingCodes!: string[];

  @Field(() => [String], { description: "Pipeline steps applied, in order, e.g. ['impute', 'standardize']." })
  steps!: string[];

  @Field(() => [String], { description: 'Model inputs it yields.' })
  inputs!: string[];
}

@ObjectType()
export class TargetInfo {
  @Field()
  name!: string;

  @Field()
  task!: string;

  @Field(() => [String], { nullable: true, description: 'Classification: labels in output order.' })
  classes?: string[];

  @Field(() => String, { nullable: true, description: 'Suffix stripped from labels before training.' })
  labelSuffix?: string;
}

@ObjectType({ description: 'An immutable trained model in the registry.' })
export class ModelVersion {
  @Field(() => ID)
  id!: string;

  @Field()
  modelName!: string;

  @Field(() => Int, { description: '1, 2, 3 … per model.' })
  version!: number;

  @Field()
  task!: string;

  @Field({ description: "Artifact format: 'tfjs-layers', 'decision-tree' or 'random-forest'." })
  framework!: string;

  @Field(() => ID, { nullable: true })
  trainingRunId!: string | null;

  @Field(() => [FeatureInfo], { description: 'Feature columns, in order. predict takes rows keyed by these names (other CSV columns are ignored).' })
  features!: FeatureInfo[];

  @Field(() => [String], { description: 'Model inputs after preprocessing, in order (one-hot and text columns yield several).' })
  inputs!: string[];

  @Field(() => GraphQLJSONObject, { description: 'The fitted preprocessing pipeline, as stored (applied again at predict time).' })
  preprocessing!: Record<string, unknown>;

  @Field(() => [FeatureImportance], { nullable: true, description: 'Decision trees and random forests: importance of each model input.' })
  featureImportances?: FeatureImportance[];

  @Field(() => TargetInfo)
  target!: TargetInfo;

  @Field({ description: 'Whether any numeric feature is standardised.' })
  standardize!: boolean;

  @Field(() => VersionMetrics)
  metrics!: VersionMetrics;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: 'A named model: a series of versions.' })
export class Model {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  createdAt!: Date;

  @Field(() => [ModelVersion], { description: 'Newest first.' })
  versions!: ModelVersion[];

  @Field(() => ModelVersion, { nullable: true })
  latestVersion!: ModelVersion | null;
}
