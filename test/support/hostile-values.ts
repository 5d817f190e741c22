/**
 * fast-check arbitraries of hostile values for any GraphQL input type, read from the schema: numbers
 * at the edges, deep and huge JSON, long strings, unicode and NUL, wrong types and nulls, mixed
 * with well-typed values so that deeper checks are reached too.
 */
import fc from 'fast-check';
import { isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType } from 'graphql';

const deep = (depth: number) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

/** Numbers a JSON body can carry that sit at an edge: limits of Int, of doubles, of float32. */
const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 31 - 1,
  2 ** 53 + 1,
  -(2 ** 53) - 1,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  3.5e38,
  1e-45,
  0.5,
  1e21,
];

const number = fc.oneof(fc.constantFrom(...EDGE_NUMBERS), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

const string = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\uD800',
    '😀'.repeat(50),
    'x'.repeat(100_000),
    '../../etc/passwd',
    "'; DROP TABLE tenant; --",
    '=1+1',
    'NaN',
    'Infinity',
    '1e400',
    '{}',
    'null',
  ),
);

/** Values of the wrong type for any slot. */
const wrongType = fc.oneof(fc.constant(null), fc.boolean(), number, string, fc.constant([]), fc.constant({}), fc.constant([[[]]]));

const json = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(deep(31), deep(33), deep(2000), { a: 1e308 }, { ['x'.repeat(10_000)]: 1 }),
  fc.dictionary(string, fc.oneof(number, string, fc.constant(null)), { maxKeys: 8 }),
);

/**
 * Hostile values for `type`: mostly of the right shape (so checks past coercion run), sometimes of
 * the wrong type or null.
 * @param depth input-object nesting so far (recursive input types stop at 3).
 */
export function hostileValue(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof({ arbitrary: hostileValue(type.ofType, depth), weight: 9 }, { arbitrary: fc.constant(null), weight: 1 });
  const right = rightShape(type, depth);
  return fc.oneof({ arbitrary: right, weight: 5 }, { arbitrary: wrongType, weight: 1 });
}

function rightShape(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return hostileValue(type, depth);
  if (isListType(type)) return fc.array(hostileValue(type.ofType, depth), { maxLength: 4 });
  if (isEnumType(type)) return fc.oneof(fc.constantFrom(...type.getValues().map((v) => v.name)), string);
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) record[f.name] = hostileValue(f.type, depth + 1);
    return fc
      .tuple(fc.record(record, { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) }), fc.option(string))
      .map(([o, extra]) => (extra === null ? o : { ...o, [extra.slice(0, 20) || 'extra']: 1 }));
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return number;
      case 'String':
      case 'ID':
        return string;
      case 'Boolean':
        return fc.boolean();
      case 'Upload':
        return fc.constant(null);
      default:
        return json; // JSON, JSONObject, FeatureMatrix, DateTime, ...
    }
  }
  return wrongType;
}

/** Numeric literals that JSON cannot carry but a GraphQL document can. */
export const hostileNumberLiteral = fc.constantFrom(
  '1e400',
  '-1e400',
  '1' + '0'.repeat(400),
  '0.0000001e-999',
  '-0',
  '2147483648',
  '9007199254740993',
  '1.7976931348623159e308',
  '4e-324',
);
