import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "A named pointer to one version of a model, e.g. 'production'." })
export class ModelAlias {
  @Field()
  name!: string;

  @Field(() => Int)
  version!: number;

  @Field()
  modelVersionId!: string;

  @Field()
  updatedAt!: Date;
}
