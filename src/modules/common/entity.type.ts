/**
 * Fields every stored record shows: its id and when it was created.
 * The classes here are abstract field sets: type-graphql 2 emits a type only when a field or
 * root field returns it, so they never appear in the schema themselves; subclasses inherit their fields.
 */
import { Field, ID, ObjectType } from 'type-graphql';

/** A stored record of a tenant: `id` and `createdAt`. Extended by the object types, never exposed itself. */
@ObjectType()
export abstract class Entity {
  @Field(() => ID, { description: 'Unique id.' })
  id!: string;

  @Field({ description: 'When it was created.' })
  createdAt!: Date;
}

/** A record the caller names (tenant, dataset, model, API key). */
@ObjectType()
export abstract class NamedEntity extends Entity {
  @Field({ description: 'The name given when it was created.' })
  name!: string;
}
