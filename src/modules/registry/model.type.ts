import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

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
  @Field(() => Float, { nullable: true }) mse?: number;
  @Field(() => Float, { nullable: true }) rmse?: number;
  @Field(() => Float, { nullable: true }) mae?: number;
  @Field(() => Float, { nullable: true }) r2?: number;
}

@ObjectType({ description: 'A feature the version takes, with the statistics fitted on its training split.' })
export class FeatureInfo {
  @Field()
  name!: string;

  @Field(() => Float, { description: 'Training mean; also the value used for a missing input.' })
  mean!: number;

  @Field(() => Float, { description: 'Training standard deviation used to scale the feature.' })
  std!: number;
}

@ObjectType()
export class TargetInfo {
  @Field()
  name!: string;

  @Field()
  task!: string;

  @Field(() => [String], { nullable: true, description: 'Classification: labels in output order.' })
  classes?: string[];
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

  @Field({ description: "Artifact format: 'tfjs-layers'." })
  framework!: string;

  @Field(() => ID, { nullable: true })
  trainingRunId!: string | null;

  @Field(() => [FeatureInfo], { description: 'Inputs, in order. predict takes rows keyed by these names.' })
  features!: FeatureInfo[];

  @Field(() => TargetInfo)
  target!: TargetInfo;

  @Field({ description: 'Whether features are standardised before the network.' })
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
