/** Fields of every serving answer (predict, explain): which model version answered. */
import { Field, Int, ObjectType } from 'type-graphql';

/** The model version that served a request. Abstract field set (never emitted itself). */
@ObjectType()
export abstract class ServedVersion {
  @Field({ description: 'The model asked for.' })
  modelName!: string;

  @Field(() => Int, { description: 'The version that answered.' })
  version!: number;

  @Field({ description: 'Id of the version that answered (ModelVersion.id).' })
  modelVersionId!: string;
}
