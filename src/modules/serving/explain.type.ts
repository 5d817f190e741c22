import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Prediction } from './prediction.type';

@ObjectType({ description: "One feature column's share of a prediction's distance from the baseline." })
export class FeatureAttribution {
  @Field({ description: 'Feature column.' })
  feature!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: "The column's value in the explained row (dates as days since 1970; null = missing)." })
  featureValue!: number | string | null;

  @Field(() => Float, { description: 'Its Shapley value, in the explained output\'s units (probability, or the target\'s units).' })
  attribution!: number;
}

@ObjectType({ description: 'The explanation of one row.' })
export class RowExplanation {
  @Field(() => Prediction)
  prediction!: Prediction;

  @Field(() => String, { nullable: true, description: 'Classification: the class whose probability is explained (binary: the positive class; multiclass: the predicted one).' })
  explainedClass?: string;

  @Field(() => Float, { description: 'The explained output for the row: that probability, or the regression value.' })
  value!: number;

  @Field(() => Float, { description: 'The same output for the baseline row.' })
  baseValue!: number;

  @Field(() => [FeatureAttribution], { description: 'One per feature column, largest |attribution| first; they sum to value - baseValue.' })
  attributions!: FeatureAttribution[];
}

@ObjectType({ description: 'Baseline Shapley explanations of rows, by one model version.' })
export class ExplanationResult {
  @Field()
  modelName!: string;

  @Field(() => Int)
  version!: number;

  @Field()
  modelVersionId!: string;

  @Field({ description: "'exact' (every coalition of feature columns, up to 10 columns) or 'sampled' (random feature orders and their reverses)." })
  method!: string;

  @Field(() => Int, { description: 'Model evaluations per explained row (they count against the prediction rate limit).' })
  evaluations!: number;

  @Field(() => GraphQLJSONObject, { description: 'The baseline row used: the given values, others each feature\'s typical training value (median or most frequent).' })
  baseline!: Record<string, unknown>;

  @Field(() => [RowExplanation], { description: 'One per input row, in input order.' })
  explanations!: RowExplanation[];
}
