/** GraphQL types of predictImage and explainImage. */
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { ServedVersion } from './served-version.type';

/** Pixels sent as numbers instead of PNG/JPEG files. */
@InputType({ description: 'Images as a tensor: shape [count, height, width, channels] and row-major values 0-255.' })
export class ImageTensorInput {
  @Field(() => [Int])
  shape!: number[];

  @Field(() => [Float])
  values!: number[];
}

/** One class and its probability. */
@ObjectType()
export class ClassProbability {
  @Field()
  label!: string;

  @Field(() => Float)
  probability!: number;
}

/** The prediction for one image. */
@ObjectType({ description: 'The prediction for one image.' })
export class ImagePrediction {
  @Field({ description: 'The most probable class.' })
  label!: string;

  @Field(() => Float, { description: 'Its probability.' })
  probability!: number;

  @Field(() => [ClassProbability], { description: 'The topK most probable classes, most probable first.' })
  top!: ClassProbability[];

  @Field(() => [Float], { description: "Probability of each class, in the model's class order (classes)." })
  probabilities!: number[];
}

/** What predictImage returns. */
@ObjectType()
export class ImagePredictionResult extends ServedVersion {
  @Field(() => [String], { description: 'Class labels in output order.' })
  classes!: string[];

  @Field(() => [ImagePrediction], { description: 'One per input image, in input order.' })
  predictions!: ImagePrediction[];
}

/** An occlusion saliency map. */
@ObjectType({ description: "Occlusion saliency (Zeiler & Fergus 2014): per grid cell, how much covering it lowers the class's probability." })
export class ImageExplanation extends ServedVersion {
  @Field({ description: 'The class explained.' })
  label!: string;

  @Field(() => Float, { description: 'Its probability for the unoccluded image.' })
  probability!: number;

  @Field(() => [[Float]], { description: '[rows][cols]: P(class) − P(class with the cell covered); positive = evidence for the class.' })
  attributions!: number[][];

  @Field(() => Int, { description: 'Cell height, pixels.' })
  cellHeight!: number;

  @Field(() => Int, { description: 'Cell width, pixels.' })
  cellWidth!: number;
}
