/**
 * The `ID` scalar refuses a NUL character (U+0000), which no id of this API holds and PostgreSQL
 * cannot compare (SQLSTATE 22021): such an id is BAD_USER_INPUT naming the argument or variable,
 * before any resolver or statement runs, on every transport (issue 10). graphql-js' `GraphQLID` is
 * the one instance every schema built by type-graphql references (`() => ID`), and schema mappers
 * skip built-in scalars, so its parse functions are wrapped in place, once, at schema build.
 * Serialising is unchanged.
 */
import { GraphQLID, Kind, type ValueNode } from 'graphql';
import { FieldError, quote } from '../../lib/errors';

/** Why `id` cannot be an id, after the field's name; undefined when it can. */
export function idRefusal(id: unknown): string | undefined {
  if (typeof id !== 'string' || !id.includes('\u0000')) return undefined;
  return `${quote(id.replaceAll('\u0000', '\\u0000'))} holds a NUL character (\\u0000), which no id holds`;
}

/**
 * Literals the validation rule src/graphql/literal-values.ts has already refused, naming their
 * argument; graphql-js' own rule then lets them through here instead of reporting them twice.
 */
export const refusedIdLiterals = new WeakSet<ValueNode>();

let hardened = false;

/** Wraps `GraphQLID`'s parseValue and parseLiteral with {@link idRefusal} (idempotent). */
export function hardenIdScalar(): void {
  if (hardened) return;
  hardened = true;
  const parseValue = GraphQLID.parseValue.bind(GraphQLID);
  const parseLiteral = GraphQLID.parseLiteral.bind(GraphQLID);
  const checked = (id: string) => {
    const refusal = idRefusal(id);
    if (refusal) throw new FieldError(refusal, '', 'ID value');
    return id;
  };
  GraphQLID.parseValue = (value: unknown) => checked(parseValue(value));
  GraphQLID.parseLiteral = (node: ValueNode, variables?: Record<string, unknown> | null) => {
    const id = parseLiteral(node, variables);
    return node.kind === Kind.STRING && refusedIdLiterals.has(node) ? id : checked(id);
  };
}
