import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An organisation: owns datasets, training runs and models.' })
export class Tenant {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class CreatedTenant {
  @Field(() => Tenant)
  tenant!: Tenant;

  @Field({ description: 'The first API key, with every scope. Shown once: only its hash is stored.' })
  apiKey!: string;
}
