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
import { dateRangeRefusal, refusedDateLiterals } from '../modules/common/date.scalar';
import { idRefusal, refusedIdLiterals } from '../modules/common/id.scalar';

/** The first refusal inside `value` at `path` (of input type `type`, when known), or undefined. */
function refusal(value: ValueNode, type: GraphQLInputType | undefined, path: string): string | undefined {
  const t = type && isNonNullType(type) ? type.ofType : type;
  switch (value.kind) {
    case Kind.INT:
    case Kind.FLOAT: {
      const n = Number(value.value);
      return Number.isFinite(n) ? undefined : notFiniteMessage(path, n);
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
      for (let i = 0; i < value.values.length; i++) {
        const found = refusal(value.values[i], item, `${path}[${i}]`);
        if (found) return found;
      }
      return undefined;
    }
    case Kind.OBJECT: {
      const fields = t && isInputObjectType(t) ? t.getFields() : undefined;
      for (const f of value.fields) {
        const found = refusal(f.value, fields?.[f.name.value]?.type, `${path}.${f.name.value}`);
        if (found) return found;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const prefixed = (path: string, rest: string | undefined) => (rest ? `${path} ${rest}` : undefined);

/**
 * The validation rule: refuses the first non-finite number or unstorable date literal of each
 * argument and variable default with BAD_USER_INPUT (the formatter reads the AppError inside).
 */
export function literalValues(context: ValidationContext) {
  const report = (node: ArgumentNode | VariableDefinitionNode, message: string | undefined) => {
    if (message) context.reportError(new GraphQLError(message, { nodes: node, originalError: badInput(message) }));
  };
  return {
    [Kind.ARGUMENT]: (node: ArgumentNode) => report(node, refusal(node.value, context.getArgument()?.type, node.name.value)),
    [Kind.VARIABLE_DEFINITION]: (node: VariableDefinitionNode) =>
      node.defaultValue ? report(node, refusal(node.defaultValue, context.getInputType() ?? undefined, `$${node.variable.name.value}`)) : undefined,
  };
}
