/**
 * Field decorators for the shapes that recur across the GraphQL object and input types, so a type
 * reads as its fields and their meaning rather than as option objects.
 */
import { Field } from 'type-graphql';

/** What `@Field(() => …)` takes: a scalar, an enum, an object or input class, or a list of them (`[String]`). */
export type GraphQLTypeRef = ReturnType<NonNullable<Parameters<typeof Field>[0]>>;

/**
 * A field that may be null (outputs) or left out (inputs):
 * `@Field(() => type, { nullable: true, description })`.
 * @param type the GraphQL type, e.g. `Float`, `[String]`, `Date` or an enum.
 * @param description shown in the schema (Apollo Sandbox, introspection).
 */
export function Nullable(type: GraphQLTypeRef, description?: string): PropertyDecorator {
  return Field(() => type, { nullable: true, description });
}
