import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The prediction for one row.' })
export class Prediction {
  @Field(() => String, { nullable: true, description: 'Classification: the predicted label.' })
  label?: string;

  @Field(() => Float, { nullable: true, description: 'Classification: probability of the predicted label.' })
  probability?: number;

  @Field(() => [Float], { nullable: true, description: "Classification: probability of each class, in the target's class order." })
  probabilities?: number[];

  @Field(() => Float, { nullable: true, description: 'Regression: the predicted value.' })
  value?: number;
}

@ObjectType()
export class PredictionResult {
  @Field()
  modelName!: string;

  @Field(() => Int, { description: 'The version that answered.' })
  version!: number;

  @Field()
  modelVersionId!: string;

  @Field(() => [Prediction], { description: 'One per input row, in input order.' })
  predictions!: Prediction[];
}
