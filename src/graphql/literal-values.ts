/**
 * Literal values refused during validation with the argument they sit in named, on both
 * transports (issue 10): a number literal that is not finite in double precision (`1e400`, a
 * 400-digit integer: graphql-js' Float would take it as Infinity), anywhere in an argument (Int,
 * Float, JSON) or a variable's default, a `DateTimeISO` outside what PostgreSQL stores (see
 * src/modules/common/date.scalar.ts), and an `ID` holding a NUL character (id.scalar.ts). Variables' values are checked by the scalars, the formatter
 * naming the variable (src/graphql/format-error.ts).
 *
 * An argument is walked when it is entered, before graphql-js' own rule reaches its leaves, so this
 * rule's error (naming the path, e.g. `input.spec.optimizer.learningRate`) comes first.
 */
import {
  GraphQLError,
  Kind,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type ArgumentNode,
  type GraphQLInputType,
  type ValidationContext,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { badInput, notFiniteMessage } from '../lib/errors';
import { MAX_JSON_DEPTH, tooDeep } from '../modules/common/json.scalar';
import { dateRangeRefusal, refusedDateLiterals } from '../modules/common/date.scalar';
import { idRefusal, refusedIdLiterals } from '../modules/common/id.scalar';

/** A refused literal: the message, and the path it names (`extensions.field`). */
interface Refusal {
  message: string;
  field: string;
}

const LITERAL_KINDS: Partial<Record<Kind, string>> = {
  [Kind.LIST]: 'an array',
  [Kind.STRING]: 'a string',
  [Kind.INT]: 'a number',
  [Kind.FLOAT]: 'a number',
  [Kind.BOOLEAN]: 'a boolean',
  [Kind.ENUM]: 'an enum value',
};

/**
 * The first refusal inside a literal of the `JSON` or `JSONObject` scalar: not an object (JSONObject),
 * nested deeper than the scalars take (MAX_JSON_DEPTH, counted as src/modules/common/json.scalar.ts
 * counts a variable's value), or a non-finite number.
 */
function jsonRefusal(value: ValueNode, path: string, objectOnly: boolean, depth = 0): Refusal | undefined {
  const kind = LITERAL_KINDS[value.kind];
  if (objectOnly && kind) return { message: `${path} expects an object, got ${kind}`, field: path };
  if ((value.kind === Kind.LIST || value.kind === Kind.OBJECT) && depth >= MAX_JSON_DEPTH) return { message: `${path} ${tooDeep}`, field: path };
  if (value.kind === Kind.LIST) return first(value.values, (v, i) => jsonRefusal(v, `${path}[${i}]`, false, depth + 1));
  if (value.kind === Kind.OBJECT) return first(value.fields, (f) => jsonRefusal(f.value, `${path}.${f.name.value}`, false, depth + 1));
  return refusal(value, undefined, path);
}

/** The first defined result of `f` over `items`. */
function first<T>(items: readonly T[], f: (item: T, i: number) => Refusal | undefined): Refusal | undefined {
  for (let i = 0; i < items.length; i++) {
    const found = f(items[i], i);
    if (found) return found;
  }
  return undefined;
}

/** The first refusal inside `value` at `path` (of input type `type`, when known), or undefined. */
function refusal(value: ValueNode, type: GraphQLInputType | undefined, path: string): Refusal | undefined {
  const t = type && isNonNullType(type) ? type.ofType : type;
  if (t && isScalarType(t) && (t.name === 'JSON' || t.name === 'JSONObject')) return jsonRefusal(value, path, t.name === 'JSONObject');
  switch (value.kind) {
    case Kind.INT:
    case Kind.FLOAT: {
      const n = Number(value.value);
      return Number.isFinite(n) ? undefined : { message: notFiniteMessage(path, n), field: path };
    }
    case Kind.STRING: {
      if (t && isScalarType(t) && t.name === 'ID') {
        const found = prefixed(path, idRefusal(value.value));
        if (found) refusedIdLiterals.add(value); // reported here, naming the path: not again by the scalar
        return found;
      }
      if (!t || !isScalarType(t) || t.name !== 'DateTimeISO') return undefined;
      const date = new Date(value.value);
      // An unparsable string is the scalar's to refuse (graphql-js' own rule).
      const found = Number.isNaN(date.getTime()) ? undefined : prefixed(path, dateRangeRefusal(date, value.value));
      if (found) refusedDateLiterals.add(value); // reported here, naming the path: not again by the scalar
      return found;
    }
    case Kind.LIST: {
      const item = t && isListType(t) ? t.ofType : undefined;
      return first(value.values, (v, i) => refusal(v, item, `${path}[${i}]`));
    }
    case Kind.OBJECT: {
      const fields = t && isInputObjectType(t) ? t.getFields() : undefined;
      return first(value.fields, (f) => refusal(f.value, fields?.[f.name.value]?.type, `${path}.${f.name.value}`));
    }
    default:
      return undefined;
  }
}

const prefixed = (path: string, rest: string | undefined): Refusal | undefined => (rest ? { message: `${path} ${rest}`, field: path } : undefined);

/**
 * The validation rule: refuses the first non-finite number, unstorable date, NUL-holding ID, or JSON
 * scalar literal that is too deep or (JSONObject) no object, of each argument and variable default,
 * with BAD_USER_INPUT naming the path in the message and `extensions.field` (the formatter reads
 * the AppError inside).
 */
export function literalValues(context: ValidationContext) {
  const report = (node: ArgumentNode | VariableDefinitionNode, found: Refusal | undefined) => {
    if (found) context.reportError(new GraphQLError(found.message, { nodes: node, originalError: badInput(found.message, { field: found.field }) }));
  };
  return {
    [Kind.ARGUMENT]: (node: ArgumentNode) => report(node, refusal(node.value, context.getArgument()?.type, node.name.value)),
    [Kind.VARIABLE_DEFINITION]: (node: VariableDefinitionNode) =>
      node.defaultValue ? report(node, refusal(node.defaultValue, context.getInputType() ?? undefined, `$${node.variable.name.value}`)) : undefined,
  };
}
