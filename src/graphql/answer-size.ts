/**
 * The size of an answer, counted while it is built and refused past GRAPHQL_MAX_ANSWER_VALUES
 * (issue 10, review F8). The query cost (query-cost.ts) is known before execution, but a plain list
 * — `Dataset.columns` (up to MAX_DATASET_COLUMNS), `testPredictions`, a correlation matrix's rows —
 * is as long as the data makes it: `{ datasets { columns { …every statistic… } } }` over four
 * 5,000-column datasets cost 23 and built a 16 MB answer, holding the event loop 1.6 s for every
 * tenant. So every list field's resolver is wrapped: when it returns, its items × the fields its
 * selection asks for (nested lists counted once here, and again by their own resolvers) are added
 * to the execution's count. A JSON scalar field (`JSON`, `JSONObject`: a version's `preprocessing`,
 * predict's `columns`) counts its values (every key, array item and primitive), walked only until
 * the limit is passed (review 2, N2/N3: a `preprocessing` of 7.9 MB and predict `columns` of 1,000
 * probabilities a row went uncounted). A list of scalars or of lists (a confusion matrix) is walked
 * the same way, its inner lists included, and a string counts one value per CHARS_PER_VALUE
 * characters, in JSON, in lists and in String fields alike (review 3: a 1,000 × 1,000 confusion
 * matrix counted 1,000 values, a 65,000-character label one). Past the limit the execution stops growing (further lists resolve to
 * null, or throw where null is not allowed) and the transport answers only the refusal —
 * `QUERY_COST_EXCEEDED` with `extensions.reason` `ANSWER_TOO_LARGE`, `limit`, `path` — HTTP 400
 * through {@link answerSizePlugin}, the websocket through {@link answerRefusalOf} in `onNext`.
 * Each execution counts on its own (a subscription's every event too): state is keyed by the
 * execution's coerced variables object, which graphql-js makes anew for each execution.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  defaultFieldResolver,
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { AppError } from '../lib/errors';

/** The refusal's `extensions.reason`. */
export const ANSWER_TOO_LARGE = 'ANSWER_TOO_LARGE';

/** One execution's count, and its refusal once past the limit. */
interface Count {
  values: number;
  refusal?: AppError;
}

const counts = new WeakMap<object, Count>();
/** Fields one item of a list field's selection asks for, by field node (documents are cached by Apollo, so nodes repeat). */
const weights = new WeakMap<FieldNode, number>();

/** Fields a selection set asks for, fragments expanded, each nested field once (nested lists are counted by their own resolvers). */
function fieldsIn(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, depth = 0): number {
  if (!set || depth > 64) return 0;
  let n = 0;
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) n += 1 + fieldsIn(s.selectionSet, info, depth + 1);
    else if (s.kind === Kind.INLINE_FRAGMENT) n += fieldsIn(s.selectionSet, info, depth + 1);
    else n += fieldsIn(info.fragments[s.name.value]?.selectionSet, info, depth + 1);
  }
  return n;
}

function weightOf(info: GraphQLResolveInfo): number {
  const node = info.fieldNodes[0]!;
  let w = weights.get(node);
  if (w === undefined) weights.set(node, (w = Math.max(1, fieldsIn(node.selectionSet, info))));
  return w;
}

const pathOf = (info: GraphQLResolveInfo) => {
  const parts: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) parts.unshift(p.key);
  return parts.join('.').slice(0, 200);
};

/**
 * Characters of a string per counted value: a longer string counts one value per this many (review
 * 3: 1,000 predictions of a 65,000-character label were 65 MB in 1,000 values).
 */
export const CHARS_PER_VALUE = 64;

/** Values a string counts as: 1, or one per {@link CHARS_PER_VALUE} characters. */
const stringValues = (s: string) => (s.length <= CHARS_PER_VALUE ? 1 : Math.ceil(s.length / CHARS_PER_VALUE));

/**
 * Values in a JSON value (keys, items, primitives; a long string or key one per CHARS_PER_VALUE
 * characters), counted only up to `max` + 1 (an explicit stack: no recursion).
 */
export function jsonValues(value: unknown, max: number): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && n <= max) {
    const v = stack.pop();
    n++;
    if (typeof v === 'string') n += stringValues(v) - 1;
    else if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      for (const key in v) {
        n += stringValues(key);
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return n;
}

const JSON_SCALARS = new Set(['JSON', 'JSONObject']);

/**
 * How a field's answer is counted: `json` and `walk` (a list of scalars or of lists, e.g. a
 * confusion matrix `[[Int!]!]`, whose inner lists have no resolver of their own: review 3) by
 * walking its values; `list` (a list of objects) by items × the fields selected; `string` (a String
 * field) only past {@link CHARS_PER_VALUE} characters, by its length. Other fields are not wrapped.
 */
type Counting = 'json' | 'walk' | 'list' | 'string';

const unwrap = (t: GraphQLOutputType): GraphQLOutputType => (isNonNullType(t) ? t.ofType : t);

function countingOf(type: GraphQLOutputType): Counting | undefined {
  const own = unwrap(type);
  if (isListType(own)) return isObjectType(getNamedType(own)) && !isListType(unwrap(own.ofType)) ? 'list' : 'walk';
  const named = getNamedType(own).name;
  if (JSON_SCALARS.has(named)) return 'json';
  return named === 'String' ? 'string' : undefined;
}

/** Values `result` adds to the count (0: not counted), walked up to `room` + 1. */
function valuesOf(counting: Counting, result: unknown, room: number, info: GraphQLResolveInfo): number {
  switch (counting) {
    case 'string':
      return typeof result === 'string' && result.length > CHARS_PER_VALUE ? stringValues(result) - 1 : 0;
    case 'json':
      return result === null || typeof result !== 'object' ? 0 : jsonValues(result, room);
    case 'walk':
      return Array.isArray(result) && result.length > 0 ? jsonValues(result, room) : 0;
    case 'list':
      return Array.isArray(result) && result.length > 0 ? result.length * weightOf(info) : 0;
  }
}

/** What the refusal says about the field that passed the limit. */
function refusalMessage(counting: Counting, limit: number, path: string, result: unknown, room: number, info: GraphQLResolveInfo): string {
  const head = `The answer would hold more than ${limit} values (GRAPHQL_MAX_ANSWER_VALUES): ${path}`;
  switch (counting) {
    case 'list':
      return (
        `${head} alone has ${(result as unknown[]).length} items of ${weightOf(info)} fields; ` +
        'select fewer fields, or fewer rows (a connection page, `take`), or query one item at a time'
      );
    case 'string':
      return `${head} is a string of ${(result as string).length} characters (one value per ${CHARS_PER_VALUE}), more than the ${room} values left; ask for fewer items at a time`;
    default:
      return `${head} holds more than the ${room} values left (a long string counts one per ${CHARS_PER_VALUE} characters); ask for it on fewer items (one version, fewer rows) at a time`;
  }
}

/**
 * Wraps the resolver of every list, JSON scalar and String field of `schema`'s object types (in
 * place) to count the answer against `limit` values.
 */
export function limitAnswerSize(schema: GraphQLSchema, limit: number): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const counting = countingOf(field.type);
      if (!counting) continue;
      const nullable = !isNonNullType(field.type);
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      const charge = (result: unknown, info: GraphQLResolveInfo): unknown => {
        if (counting === 'string' && (typeof result !== 'string' || result.length <= CHARS_PER_VALUE)) return result; // the common case, at once
        let count = counts.get(info.variableValues);
        if (!count) counts.set(info.variableValues, (count = { values: 0 }));
        if (count.refusal) {
          if (nullable) return null;
          throw count.refusal;
        }
        const room = limit - count.values;
        const items = valuesOf(counting, result, room, info);
        if (items === 0) return result;
        count.values += items;
        if (count.values <= limit) return result;
        const path = pathOf(info);
        count.refusal = new AppError('QUERY_COST_EXCEEDED', refusalMessage(counting, limit, path, result, room, info), { reason: ANSWER_TOO_LARGE, limit, path });
        throw count.refusal;
      };
      field.resolve = (source, args, context, info) => {
        const result = resolve(source, args, context, info);
        return result instanceof Promise ? result.then((r) => charge(r, info)) : charge(result, info);
      };
    }
  }
}

/** The answer-size refusal among an execution's errors, if any (the transport answers it alone). */
export function answerRefusalOf(errors: readonly GraphQLError[] | undefined): GraphQLError | undefined {
  return errors?.find((e) => e.originalError instanceof AppError && e.originalError.details?.reason === ANSWER_TOO_LARGE);
}

/** HTTP: an answer past the limit is replaced by the refusal alone, status 400, no data. */
export function answerSizePlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          const refusal = errors?.find((e) => e.extensions?.reason === ANSWER_TOO_LARGE);
          if (!refusal) return;
          response.body.singleResult = { errors: [refusal] };
          response.http.status = 400;
        },
      };
    },
  };
}
