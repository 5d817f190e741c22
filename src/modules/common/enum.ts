/**
 * GraphQL enums whose values are the lower-case forms of their names, as the Keras and
 * scikit-learn terms src/ml speaks: `BINARY_CROSSENTROPY` arrives as 'binary_crossentropy'.
 */
import { registerEnumType } from 'type-graphql';

/** The union of an enum object's values, e.g. `'adam' | 'sgd' | 'rmsprop'`. */
export type EnumValue<E> = E[keyof E];

/** How {@link lowerCaseEnum} registers the enum: its description and per-value descriptions. */
export interface LowerCaseEnumConfig<K extends string> {
  description?: string;
  valuesConfig?: Partial<Record<K, { description?: string; deprecationReason?: string }>>;
}

/**
 * Defines and registers a GraphQL enum named `name` whose members map `NAME` to `'name'`.
 * Use with `export type X = EnumValue<typeof X>` for the matching TypeScript type.
 * @example const OptimizerName = lowerCaseEnum('OptimizerName', ['ADAM', 'SGD']); // { ADAM: 'adam', SGD: 'sgd' }
 */
export function lowerCaseEnum<const K extends string>(name: string, keys: readonly K[], config: LowerCaseEnumConfig<K> = {}): { readonly [P in K]: Lowercase<P> } {
  const values = Object.fromEntries(keys.map((key) => [key, key.toLowerCase()])) as { [P in K]: Lowercase<P> };
  registerEnumType(values, { name, ...config });
  return Object.freeze(values);
}
