/** GraphQL types of tenants. */
import { Field, ObjectType } from 'type-graphql';
import { NamedEntity } from '../common/entity.type';

/** An organisation: every dataset, run, model and key belongs to exactly one tenant. */
@ObjectType({ description: 'An organisation: owns datasets, training runs and models.' })
export class Tenant extends NamedEntity {}

/** What createTenant returns: the tenant and, this once, its first API key. */
@ObjectType()
export class CreatedTenant {
  @Field(() => Tenant)
  tenant!: Tenant;

  @Field({ description: 'The first API key, with every scope. Shown once: only its hash is stored.' })
  apiKey!: string;
}
