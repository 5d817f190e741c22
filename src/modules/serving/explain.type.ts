/** GraphQL types of explain's answer: baseline Shapley values per row and feature column. */
import { BoundedJSON as GraphQLJSON, BoundedJSONObject as GraphQLJSONObject } from '../common/json.scalar';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Nullable } from '../common/fields';
import { Prediction } from './prediction.type';
import { ServedVersion } from './served-version.type';

/** How much one feature column moved one row's output away from the baseline's. */
@ObjectType({ description: "One feature column's share of a prediction's distance from the baseline." })
export class FeatureAttribution {
  @Field({ description: 'Feature column.' })
  feature!: string;

  @Nullable(GraphQLJSON, "The column's value in the explained row (dates as days since 1970; null = missing).")
  featureValue!: number | string | null;

  @Field(() => Float, { description: "Its Shapley value, in the explained output's units (probability, or the target's units)." })
  attribution!: number;
}

/** One token's leave-one-out attribution (text models). */
@ObjectType({ description: 'One token of an explained text and how much it moved the prediction (leave-one-out).' })
export class TokenAttribution {
  @Field({ description: 'The token, lower-cased as the tokenizer reads it; a token longer than 64 characters is cut there and ends with `…` (which no token contains).' })
  token!: string;

  @Field(() => Int, { description: "0-based position among the text's tokens." })
  position!: number;

  @Field({ description: "Whether the model's vocabulary holds it (else it is read as out-of-vocabulary)." })
  known!: boolean;

  @Field(() => Float, { description: 'Explained output of the whole text minus that of the text without this token: log-odds for classification, target units for regression.' })
  attribution!: number;
}

/** Token attributions of one text (text models). */
@ObjectType({ description: 'Per-token attributions of the text a text model read (leave-one-out over tokens).' })
export class TokenExplanation {
  @Field({ description: 'The text column.' })
  column!: string;

  @Field({ description: "'log-odds' (classification: ln p / (1 - p) of the explained class) or 'value' (regression)." })
  unit!: string;

  @Field(() => [TokenAttribution], { description: 'The tokens the model reads (the first sequenceLength), in text order.' })
  tokens!: TokenAttribution[];

  @Field(() => Int, { description: 'Tokens past the sequence length, which the model does not read.' })
  truncated!: number;
}

/** The explanation of one row: its prediction, the explained output and each column's attribution. */
@ObjectType({ description: 'The explanation of one row.' })
export class RowExplanation {
  @Field(() => Prediction, { description: 'The prediction for the row, as predict gives it.' })
  prediction!: Prediction;

  @Nullable(String, 'Classification: the class whose probability is explained (binary: the positive class; multiclass: the predicted one).')
  explainedClass?: string;

  @Field(() => Float, { description: 'The explained output for the row: that probability, or the regression value.' })
  value!: number;

  @Field(() => Float, { description: 'The same output for the baseline row.' })
  baseValue!: number;

  @Field(() => [FeatureAttribution], { description: 'One per feature column, largest |attribution| first; they sum to value - baseValue.' })
  attributions!: FeatureAttribution[];

  @Nullable(TokenExplanation, 'Text models (TEXT_CLASSIFIER): each token of the text and its leave-one-out attribution; null for other models.')
  tokens?: TokenExplanation | null;
}

/** What explain returns: the version that answered, the method and baseline used, one explanation per row. */
@ObjectType({ description: 'Baseline Shapley explanations of rows, by one model version.' })
export class ExplanationResult extends ServedVersion {
  @Field({ description: "'exact' (every coalition of feature columns, up to 10 columns) or 'sampled' (random feature orders and their reverses)." })
  method!: string;

  @Field(() => Int, { description: 'Model evaluations per explained row (they count against the prediction rate limit).' })
  evaluations!: number;

  @Field(() => GraphQLJSONObject, { description: "The baseline row used: the given values, others each feature's typical training value (median or most frequent)." })
  baseline!: Record<string, unknown>;

  @Field(() => [RowExplanation], { description: 'One per input row, in input order.' })
  explanations!: RowExplanation[];
}
