/**
 * The cost of a GraphQL operation, checked against GRAPHQL_MAX_COST before it runs, on HTTP (an
 * Apollo plugin, after the operation is resolved: variables are known) and on the websocket
 * (`onSubscribe`), with graphql-query-complexity (which walks fragments, `@skip`/`@include` and
 * abstract types, and reads arguments with the request's variables).
 *
 * The cost says how much is fetched:
 * - a field costs 1 plus what it selects;
 * - a connection (`…Connection` with `edges`) costs {@link CONNECTION_BASE} plus, per row it may
 *   return — `first` or `last` (at most MAX_PAGE), DEFAULT_PAGE when neither is given, 0 for
 *   `first: 0` — the cost of what `edges` selects. `pageInfo` and `totalCount` are read once per
 *   page, inside the base: they add nothing, however many rows;
 * - a list field taking `ids` (`nodes`) or `take` costs what one element selects times their number
 *   (at most MAX_PAGE: past it the resolver refuses the list, naming the argument);
 * - introspection (`__schema`, `__type`) costs nothing, as before.
 * So 100 models each with `versionsConnection(first: 0)` cost about 100 × (their fields + 4), and
 * 20 models × 5 versions about 20 × (5 × the version's fields + 6): both pass the default 5000;
 * `modelsConnection(first: 100) { … versionsConnection(first: 100) { … } }` costs over 30,000.
 * Reference: graphql-query-complexity's estimators (slicknode), GitHub's GraphQL resource limits
 * (a connection's `first`/`last` multiply what its nodes select).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  BREAK,
  getNamedType,
  GraphQLError,
  isListType,
  isNonNullType,
  isObjectType,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError } from '../lib/errors';
import { DEFAULT_PAGE, MAX_PAGE } from '../modules/common/page-sizes';

/** A connection's cost besides its rows: the field, the page's count and cursor statements, pageInfo and totalCount. */
export const CONNECTION_BASE = 2;

/** Fields walked at most while costing one operation (fragments counted each time they are spread). */
const MAX_COSTED_FIELDS = 10_000;

const isConnection = (type: GraphQLOutputType) => {
  const named = getNamedType(type);
  return isObjectType(named) && named.name.endsWith('Connection') && 'edges' in named.getFields() && 'pageInfo' in named.getFields();
};
const isList = (type: GraphQLOutputType) => isListType(isNonNullType(type) ? type.ofType : type);
/** A whole number in [0, MAX_PAGE], or undefined when `v` is not a number: sizes past MAX_PAGE are the resolvers' to refuse. */
const rowsOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(MAX_PAGE, Math.max(0, Math.floor(v))) : undefined);

/**
 * The estimators, first match wins: connections, their once-per-page parts, sized lists, then 1 + children.
 */
export const costEstimators: ComplexityEstimator[] = [
  ({ field, type, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 0;
    // pageInfo and totalCount are read once per page: inside the connection's base.
    if (isConnection(type) && (field.name === 'pageInfo' || field.name === 'totalCount')) return 0;
    if (getNamedType(type).name === 'PageInfo') return 0;
    if (isConnection(field.type)) return CONNECTION_BASE + (rowsOf(args.first) ?? rowsOf(args.last) ?? DEFAULT_PAGE) * childComplexity;
    if (isList(field.type) && Array.isArray(args.ids)) return 1 + rowsOf(args.ids.length)! * childComplexity;
    if (isList(field.type) && rowsOf(args.take) !== undefined) return 1 + rowsOf(args.take)! * childComplexity;
    return undefined;
  },
  simpleEstimator({ defaultComplexity: 1 }),
];

/** What {@link operationCost} reads of a request. */
export interface CostedOperation {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * The cost of the operation `operationName` of `document` with `variables` (see the module comment).
 * @throws GraphQLError when the operation walks more than {@link MAX_COSTED_FIELDS} fields, or its
 *   variables do not coerce (graphql-js' own refusal).
 */
export function operationCost(schema: GraphQLSchema, op: CostedOperation): number {
  return getComplexity({
    schema,
    query: op.document,
    operationName: op.operationName ?? undefined,
    variables: op.variables ?? {},
    estimators: costEstimators,
    maxQueryNodes: MAX_COSTED_FIELDS,
  });
}

/** The arguments whose values the estimators read: a variable elsewhere cannot change an operation's cost. */
const COST_ARGUMENTS = new Set(['first', 'last', 'ids', 'take']);

const hasVariable = (node: ASTNode) => {
  let found = false;
  visit(node, {
    Variable() {
      found = true;
      return BREAK;
    },
  });
  return found;
};

/** Whether `document`'s cost may depend on its variables: one is read by a sized argument or a directive (`@skip(if: $x)`). */
function costReadsVariables(document: DocumentNode): boolean {
  let reads = false;
  visit(document, {
    Directive(node) {
      if (hasVariable(node)) reads = true;
      return reads ? BREAK : undefined;
    },
    Argument(node) {
      if (COST_ARGUMENTS.has(node.name.value) && hasVariable(node.value)) reads = true;
      return reads ? BREAK : undefined;
    },
  });
  return reads;
}

/**
 * Costs of operations that do not depend on their variables, by schema, document and operation name
 * (undefined: walked, not cacheable). Apollo hands every request of the same query text the same parsed
 * document (its document store), so a repeated query — predict's, say — is costed once: the walk was
 * ~6 % of a no-op request's main-thread time.
 */
const costs = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number | GraphQLError> | null>>();

/** {@link operationCost}, from {@link costs} when the document's cost cannot depend on its variables. */
function cachedCost(schema: GraphQLSchema, op: CostedOperation): number {
  let bySchema = costs.get(schema);
  if (!bySchema) costs.set(schema, (bySchema = new WeakMap()));
  let byName = bySchema.get(op.document);
  if (byName === undefined) bySchema.set(op.document, (byName = costReadsVariables(op.document) ? null : new Map()));
  if (byName === null) return operationCost(schema, op);
  const name = op.operationName ?? '';
  const known = byName.get(name);
  if (typeof known === 'number') return known;
  if (known) throw known;
  try {
    const cost = operationCost(schema, op);
    byName.set(name, cost);
    return cost;
  } catch (err) {
    // Too many fields is the document's own; variables that do not coerce are this request's.
    if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) byName.set(name, err);
    throw err;
  }
}

/**
 * The refusal of an operation costing more than `limit` (GRAPHQL_MAX_COST): code
 * QUERY_COST_EXCEEDED, HTTP 400, `extensions.cost` and `extensions.limit`; undefined within it.
 * Variables that do not coerce are left to execution, which refuses them with its own message.
 */
export function costRefusal(schema: GraphQLSchema, op: CostedOperation, limit: number): GraphQLError | undefined {
  let cost: number;
  try {
    cost = cachedCost(schema, op);
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    if (!/maximum allowed number of nodes/.test(err.message)) return undefined;
    return refusal(
      new AppError(
        'QUERY_COST_EXCEEDED',
        `The query selects more than ${MAX_COSTED_FIELDS} fields once its fragments are expanded; the cost limit is ${limit} (GRAPHQL_MAX_COST)`,
        {
          limit,
        },
      ),
    );
  }
  if (cost <= limit) return undefined;
  return refusal(
    new AppError(
      'QUERY_COST_EXCEEDED',
      `The query's cost is ${cost}, over the limit of ${limit} (GRAPHQL_MAX_COST): a connection costs its first or last (default ${DEFAULT_PAGE}) times what its edges select; ask for smaller pages or fewer fields`,
      { cost, limit },
    ),
  );
}

const refusal = (error: AppError) => new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status: 400 } } });

/**
 * The check on HTTP: once Apollo has resolved the operation (after validation, so the variables are
 * known), an operation over `limit` is answered with {@link costRefusal}'s error and not run.
 */
export function costLimitPlugin<T extends BaseContext>(limit: number): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const refused = costRefusal(schema, { document, operationName, variables: request.variables }, limit);
          if (refused) throw refused;
        },
      };
    },
  };
}
