/** GraphQL type of model aliases. */
import { Field, Int, ObjectType } from 'type-graphql';

/** A named, movable pointer to one version of a model; predict can ask for the alias instead of a number. */
@ObjectType({ description: "A named pointer to one version of a model, e.g. 'production'." })
export class ModelAlias {
  @Field({ description: "The alias, e.g. 'production' or 'staging'." })
  name!: string;

  @Field(() => Int, { description: 'The version it points at.' })
  version!: number;

  @Field({ description: 'Id of that version (ModelVersion.id).' })
  modelVersionId!: string;

  @Field({ description: 'When the alias was last set or moved.' })
  updatedAt!: Date;
}
