/**
 * The `JSON` and `JSONObject` scalars, bounded: a value is checked for depth, size and finite
 * numbers before anything else walks it, so a hostile value (nested 100,000 deep, millions of
 * nodes, or a literal like `1e400`) is refused with BAD_USER_INPUT instead of reaching a
 * RangeError or an Infinity deeper in. Same names and shapes as graphql-scalars' scalars, so the
 * schema does not change.
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badInput } from '../../lib/errors';

/**
 * Deepest nesting of objects/arrays inside one JSON value (a predict row is depth 1). Generous for
 * real rows and metadata, far below what recursion in a formatter or serializer could hit.
 */
export const MAX_JSON_DEPTH = 32;
/** Most nodes (values, keys included) in one JSON value; the request body cap bounds it too. */
export const MAX_JSON_NODES = 5_000_000;

/**
 * Checks a JSON value iteratively (no recursion, so depth cannot overflow the stack here).
 * @param what the argument's name, for the message.
 * @throws AppError BAD_USER_INPUT naming `what` and the limit when the value is deeper than
 * {@link MAX_JSON_DEPTH}, has more than {@link MAX_JSON_NODES} nodes, or holds a non-finite number.
 */
export function checkJsonValue(value: unknown, what = 'JSON value'): void {
  const stack: [unknown, number][] = [[value, 0]];
  let nodes = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (++nodes > MAX_JSON_NODES) throw badInput(`${what} has more than ${MAX_JSON_NODES} values (limit)`);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw badInput(`${what} holds a non-finite number (${String(v)}); numbers must be finite`);
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) throw badInput(`${what} is nested deeper than ${MAX_JSON_DEPTH} levels (limit)`);
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
    }
  }
}

/**
 * A GraphQL literal to a plain value, depth-first with a depth bound (the literal's depth is bounded
 * by the parser's token cap too). Variables inside a literal are looked up in `variables`.
 * @throws AppError BAD_USER_INPUT beyond {@link MAX_JSON_DEPTH} or for a non-finite number.
 */
export function jsonLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined, what: string, depth = 0): unknown {
  if (depth > MAX_JSON_DEPTH) throw badInput(`${what} is nested deeper than ${MAX_JSON_DEPTH} levels (limit)`);
  switch (node.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, jsonLiteral(f.value, variables, what, depth + 1)]));
    case Kind.LIST:
      return node.values.map((v) => jsonLiteral(v, variables, what, depth + 1));
    case Kind.INT:
    case Kind.FLOAT: {
      const n = Number(node.value);
      if (!Number.isFinite(n)) throw badInput(`${what} holds a number that is not finite in double precision ('${node.value.slice(0, 40)}')`);
      return n;
    }
    case Kind.STRING:
    case Kind.ENUM:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.VARIABLE: {
      const v = variables?.[node.name.value];
      checkJsonValue(v, what);
      return v ?? null;
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `JSON`: any JSON value, bounded (see {@link checkJsonValue}). */
export const BoundedJSON = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (at most 32 levels deep, finite numbers only).',
  specifiedByURL: 'http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf',
  serialize: (v) => v,
  parseValue: (v) => {
    checkJsonValue(v, 'JSON value');
    return v;
  },
  parseLiteral: (node, variables) => jsonLiteral(node, variables, 'JSON value'),
});

function asObject(v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw badInput(`JSONObject expects an object, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  return v;
}

/** `JSONObject`: a JSON object, bounded (see {@link checkJsonValue}). */
export const BoundedJSONObject = new GraphQLScalarType({
  name: 'JSONObject',
  description: 'A JSON object (at most 32 levels deep, finite numbers only).',
  specifiedByURL: 'http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf',
  serialize: (v) => asObject(v),
  parseValue: (v) => {
    checkJsonValue(asObject(v), 'JSONObject value');
    return v;
  },
  parseLiteral: (node, variables) => {
    if (node.kind !== Kind.OBJECT) throw badInput(`JSONObject expects an object literal, got ${node.kind}`);
    return jsonLiteral(node, variables, 'JSONObject value');
  },
});
