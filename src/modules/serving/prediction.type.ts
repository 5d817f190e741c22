/** GraphQL types of predict's answer. */
import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Nullable } from '../common/fields';
import type { ScoredRows } from '../../ml/predict';
import { ServedVersion } from './served-version.type';

/** The prediction for one row: label and probabilities (classification) or value (regression). */
@ObjectType({ description: 'The prediction for one row.' })
export class Prediction {
  @Nullable(String, 'Classification: the predicted label.')
  label?: string;

  @Nullable(Float, 'Classification: probability of the predicted label.')
  probability?: number;

  @Nullable([Float], "Classification: probability of each class, in the target's class order.")
  probabilities?: number[];

  @Nullable(Float, 'Regression: the predicted value.')
  value?: number;
}

/** What predict returns: which version answered, and one prediction per input row. */
@ObjectType()
export class PredictionResult extends ServedVersion {
  @Field(() => [Prediction], { description: 'One per input row, in input order.' })
  predictions!: Prediction[];

  /** Not in the schema: the scored outputs `columns` decodes directly (see prediction-result.ts). */
  scored?: ScoredRows;
}

/** A column of `PredictionResult.columns` (the keys of its JSON value). */
export enum PredictionColumn {
  LABEL = 'label',
  PROBABILITY = 'probability',
  PROBABILITIES = 'probabilities',
  VALUE = 'value',
}
registerEnumType(PredictionColumn, {
  name: 'PredictionColumn',
  description: "A column of predict's `columns` answer: label, probability, probabilities (classification) or value (regression).",
});
