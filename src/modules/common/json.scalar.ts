/**
 * The `JSON` and `JSONObject` scalars, bounded: a value is checked for depth, size and finite
 * numbers before anything else walks it, so a hostile value (nested 100,000 deep, millions of
 * nodes, or a literal like `1e400`) is refused with BAD_USER_INPUT instead of reaching a
 * RangeError or an Infinity deeper in. Same names and shapes as graphql-scalars' scalars, so the
 * schema does not change.
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { FieldError, badInput } from '../../lib/errors';

/**
 * Deepest nesting of objects/arrays inside one JSON value (a predict row is depth 1). Generous for
 * real rows and metadata, far below what recursion in a formatter or serializer could hit.
 */
export const MAX_JSON_DEPTH = 32;
/** Most nodes (values, keys included) in one JSON value; the request body cap bounds it too. */
export const MAX_JSON_NODES = 5_000_000;

/** The refusal of a value nested past {@link MAX_JSON_DEPTH}, after the field it names. */
export const tooDeep = `is nested deeper than ${MAX_JSON_DEPTH} levels (limit)`;

/**
 * Checks a JSON value iteratively (no recursion, so depth cannot overflow the stack here).
 * @param what names the value when the argument or variable is not known (the formatter puts the
 *   variable's path in front, see FieldError), e.g. "JSONObject value".
 * @throws FieldError (BAD_USER_INPUT, `extensions.field` the path) naming the limit when the value is deeper than
 * {@link MAX_JSON_DEPTH}, has more than {@link MAX_JSON_NODES} nodes, or holds a non-finite number.
 */
export function checkJsonValue(value: unknown, what = 'JSON value'): void {
  if (isFlatAndFinite(value)) return;
  interface Entry {
    v: unknown;
    depth: number;
    parent?: Entry;
    key?: string | number;
  }
  const stack: Entry[] = [{ v: value, depth: 0 }];
  let nodes = 0;
  while (stack.length) {
    const entry = stack.pop()!;
    const { v, depth } = entry;
    if (++nodes > MAX_JSON_NODES) throw new FieldError(`has more than ${MAX_JSON_NODES} values (limit)`, '', what);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new FieldError(`${String(v)} is not a finite number`, pathOf(entry), what);
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) throw new FieldError(tooDeep, pathOf(entry), what);
      if (Array.isArray(v)) v.forEach((child, i) => stack.push({ v: child, depth: depth + 1, parent: entry, key: i }));
      else for (const [k, child] of Object.entries(v)) stack.push({ v: child, depth: depth + 1, parent: entry, key: k });
    }
  }
}

/**
 * Whether `value` is an object of finite numbers, strings, booleans and nulls only (a predict row):
 * nothing to refuse, checked without the general walk's bookkeeping (a 10,000-row predict checks
 * 10,000 of them on the event loop).
 */
function isFlatAndFinite(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'number' ? !Number.isFinite(v) : v !== null && typeof v === 'object') return false;
  }
  return true;
}

/** `[0].x`-style path of an entry inside the checked value (built only for a refusal). */
function pathOf(entry: { parent?: unknown; key?: string | number }): string {
  const parts: string[] = [];
  for (let e = entry as { parent?: unknown; key?: string | number } | undefined; e?.parent; e = e.parent as typeof e) {
    parts.push(typeof e.key === 'number' ? `[${e.key}]` : `.${String(e.key)}`);
  }
  return parts.reverse().join('');
}

/**
 * A GraphQL literal to a plain value, depth-first with a depth bound (the literal's depth is bounded
 * by the parser's token cap too). Variables inside a literal are looked up in `variables`.
 * @throws AppError BAD_USER_INPUT beyond {@link MAX_JSON_DEPTH} or for a non-finite number.
 */
export function jsonLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined, what: string, depth = 0, path = ''): unknown {
  if (depth > MAX_JSON_DEPTH) throw new FieldError(tooDeep, path, what);
  switch (node.kind) {
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, jsonLiteral(f.value, variables, what, depth + 1, `${path}.${f.name.value}`)]));
    case Kind.LIST:
      return node.values.map((v, i) => jsonLiteral(v, variables, what, depth + 1, `${path}[${i}]`));
    case Kind.INT:
    case Kind.FLOAT: {
      const n = Number(node.value);
      if (!Number.isFinite(n)) throw new FieldError(`${String(n)} is not a finite number`, path, what);
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

/** What a value is, for "expects an object, got …": `an array`, `a string`, `null`. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The refusal of a value that is no JSON object, after the field it names. */
export const notAnObject = (v: unknown) => `expects an object, got ${kindOf(v)}`;

/** @throws FieldError BAD_USER_INPUT (named by the formatter, see checkJsonValue) when `v` is no JSON object. */
function asObject(v: unknown): Record<string, unknown> {
  if (!isObject(v)) throw new FieldError(notAnObject(v), '', 'JSONObject value');
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
