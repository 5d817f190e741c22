/**
 * The `DateTimeISO` scalar (graphql-scalars' RFC 3339 date-time, as type-graphql maps `Date`),
 * bounded to the instants PostgreSQL's `timestamp` columns take as Prisma writes them: from
 * 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. RFC 3339 allows year 0000 (and an offset can
 * move 9999-12-31 into year 10000), which PostgreSQL refuses (SQLSTATE 22008): such a value is
 * BAD_USER_INPUT naming the value here, instead of an internal error at the query. Same name,
 * description and shapes as graphql-scalars' scalar, so the schema does not change.
 */
import { GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { FieldError, quote } from '../../lib/errors';

/** Earliest instant accepted, ms since 1970 (year 1: PostgreSQL has no year 0). */
export const MIN_DATE_MS = Date.parse('0001-01-01T00:00:00.000Z');
/** Latest instant accepted, ms since 1970 (four-digit years, as RFC 3339 writes them). */
export const MAX_DATE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Why `date` cannot be stored or compared, after the field's name; undefined when it can.
 * @param written the value as the caller wrote it, quoted in the message.
 */
export function dateRangeRefusal(date: Date, written: unknown): string | undefined {
  const ms = date.getTime();
  if (ms >= MIN_DATE_MS && ms <= MAX_DATE_MS) return undefined;
  return `${quote(written)} is outside the dates this server can store: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z`;
}

function inRange(date: Date, written: unknown): Date {
  const refusal = dateRangeRefusal(date, written);
  if (refusal) throw new FieldError(refusal, '', 'DateTimeISO value');
  return date;
}

/**
 * Literals the validation rule src/graphql/literal-values.ts has already refused, naming their
 * argument: graphql-js' own rule (ValuesOfCorrectType) then parses the same node and would report
 * the same refusal a second time, without the argument's name. The scalar lets those through; the
 * operation fails validation either way, so such a value is never executed.
 */
export const refusedDateLiterals = new WeakSet<ValueNode>();

/** `DateTimeISO`, refusing instants outside {@link MIN_DATE_MS}..{@link MAX_DATE_MS} with BAD_USER_INPUT. */
export const BoundedDateTimeISO = new GraphQLScalarType<Date, string>({
  name: 'DateTimeISO',
  description: GraphQLDateTimeISO.description,
  serialize: (v) => GraphQLDateTimeISO.serialize(v),
  parseValue: (v) => inRange(GraphQLDateTimeISO.parseValue(v), v),
  parseLiteral: (node: ValueNode, variables) => {
    const date = GraphQLDateTimeISO.parseLiteral(node, variables);
    return refusedDateLiterals.has(node) ? date : inRange(date, node.kind === Kind.STRING ? node.value : print(node));
  },
  extensions: GraphQLDateTimeISO.extensions,
});
