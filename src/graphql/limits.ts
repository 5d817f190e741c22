/**
 * Abuse limits applied before execution, on HTTP and websocket alike:
 * - {@link nestingRefusal} (GRAPHQL_MAX_NESTING): a document whose brackets nest deeper than the
 *   limit (`[[[[…`, `{a:{a:…`) is refused from its text before graphql-js' parser, whose recursion
 *   would overflow the stack ("Maximum call stack size exceeded"); every later walk of the document
 *   (validation rules, `valueFromAST`, the JSON scalars' literals) is bounded by it too;
 * - the parser's token cap (GRAPHQL_MAX_TOKENS): a document of thousands of repeated fields is
 *   refused while parsing, before validation (whose overlapping-fields rule is quadratic) runs;
 * - graphql-armor: query depth, aliases and directives. Introspection is exempt from depth.
 *   Field suggestions ("did you mean …") are hidden unless GRAPHQL_FIELD_SUGGESTIONS;
 * - the operation's cost (./query-cost.ts, GRAPHQL_MAX_COST), once its variables are known: not a
 *   validation rule (rules see no variables), but an Apollo plugin and a step of `onSubscribe`;
 * - `literalValues` (./literal-values.ts): a number literal that is not finite in double precision
 *   (`1e400`), or a date PostgreSQL cannot store, is refused naming the argument's path.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Source, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Config } from '../config';
import { literalValues } from './literal-values';

export function createArmor(config: Config) {
  return new ApolloArmor({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true },
    // graphql-armor's cost multiplies every child of a paged field, pageInfo included, by `first`, and
    // compounds 1.5 a level: query-cost.ts costs what is fetched instead, with the variables.
    costLimit: { enabled: false },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxDirectives: { n: 20 },
    // The armor's token counting replaces the parser and turns syntax errors into HTTP 500s; the
    // parser's own `maxTokens` (parseOptions) bounds the document instead.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !config.GRAPHQL_FIELD_SUGGESTIONS },
  }).protect();
}

const OPEN = new Set(['{', '[', '(']);
const CLOSE = new Set(['}', ']', ')']);
const BLOCK_QUOTE = '"""';

/**
 * Finds the first bracket (`{`, `[` or `(`) of a GraphQL document nested deeper than `limit`, by one
 * linear scan of the text (no recursion, no allocation): strings, block strings and comments are
 * skipped, as the lexer would. An unterminated string ends the scan (the parser reports it).
 * @returns the bracket's index in `query`, or -1 when the document stays within `limit`.
 */
export function bracketPastDepth(query: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (OPEN.has(c)) {
      if (++depth > limit) return i;
    } else if (CLOSE.has(c)) {
      if (depth > 0) depth--;
    } else if (c === '#') {
      while (i < query.length && query[i] !== '\n' && query[i] !== '\r') i++;
    } else if (c === '"') {
      if (query.startsWith(BLOCK_QUOTE, i)) {
        // A block string ends at the next """ that is not escaped (\""").
        i += 3;
        while (i < query.length && !(query.startsWith(BLOCK_QUOTE, i) && query[i - 1] !== '\\')) i++;
        i += 2;
      } else {
        // A string ends at an unescaped " (or, unterminated, at the end of its line).
        i++;
        while (i < query.length && query[i] !== '"' && query[i] !== '\n' && query[i] !== '\r') i += query[i] === '\\' ? 2 : 1;
      }
    }
  }
  return -1;
}

/** Query texts found within a GRAPHQL_MAX_NESTING, by that limit: at most MAX_REMEMBERED of at most MAX_REMEMBERED_QUERY characters each. */
const withinNesting = new Map<number, Set<string>>();
const MAX_REMEMBERED = 1000;
const MAX_REMEMBERED_QUERY = 4096;

/**
 * The refusal of a document nested deeper than GRAPHQL_MAX_NESTING, located at the first bracket
 * past it: code GRAPHQL_PARSE_FAILED (HTTP 400), as for the parser's own refusals. A query text
 * found within the limit is remembered, so the same operation sent again is not scanned again.
 * @returns undefined when the document is within the limit.
 */
export function nestingRefusal(config: Pick<Config, 'GRAPHQL_MAX_NESTING'>, query: string): GraphQLError | undefined {
  const limit = config.GRAPHQL_MAX_NESTING;
  let known = withinNesting.get(limit);
  if (!known) withinNesting.set(limit, (known = new Set()));
  if (known.has(query)) return undefined;
  const at = bracketPastDepth(query, limit);
  if (at < 0) {
    if (query.length <= MAX_REMEMBERED_QUERY) {
      if (known.size >= MAX_REMEMBERED) known.clear();
      known.add(query);
    }
    return undefined;
  }
  return new GraphQLError(`The query nests brackets ({, [ or () deeper than ${config.GRAPHQL_MAX_NESTING} levels (GRAPHQL_MAX_NESTING)`, {
    source: new Source(query),
    positions: [at],
    extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } },
  });
}

/** Options for graphql-js `parse`, shared by Apollo (`parseOptions`) and the websocket. */
export const parseOptions = (config: Config) => ({ maxTokens: config.GRAPHQL_MAX_TOKENS });

/**
 * The validation rules of both transports beyond graphql-js' standard ones. Without
 * GRAPHQL_INTROSPECTION, introspection is refused here too: Apollo's `introspection: false` covers
 * HTTP only, not graphql-ws.
 */
export const extraRules = (config: Config, armorRules: ValidationRule[]): ValidationRule[] => [
  literalValues,
  ...(config.GRAPHQL_INTROSPECTION ? [] : [NoSchemaIntrospectionCustomRule]),
  ...armorRules,
];

/**
 * Parses and validates an operation for the websocket the way Apollo does over HTTP, returning coded
 * errors instead of throwing (a throw in graphql-ws would close the whole socket).
 * @returns the document, or GraphQL errors with `extensions.code` GRAPHQL_PARSE_FAILED or
 * GRAPHQL_VALIDATION_FAILED (the codes Apollo gives the same request over HTTP).
 */
export function parseAndValidate(config: Config, schema: GraphQLSchema, rules: ValidationRule[], query: unknown): DocumentNode | GraphQLError[] {
  if (typeof query !== 'string') return [new GraphQLError('The subscribe payload needs a `query` string', { extensions: { code: 'BAD_REQUEST' } })];
  const tooDeep = nestingRefusal(config, query);
  if (tooDeep) return [tooDeep];
  let document: DocumentNode;
  try {
    document = parse(query, parseOptions(config));
  } catch (err) {
    return [coded(err, 'GRAPHQL_PARSE_FAILED')];
  }
  try {
    const errors = validate(schema, document, [...specifiedRules, ...rules], { hideSuggestions: !config.GRAPHQL_FIELD_SUGGESTIONS });
    return errors.length ? errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED')) : document;
  } catch (err) {
    // A rule that throws its rejection (graphql-armor can) is a refusal like a reported one.
    return [coded(err, 'GRAPHQL_VALIDATION_FAILED')];
  }
}

function coded(err: unknown, code: string): GraphQLError {
  // A scalar's own coded refusal (AppError inside): the formatter gives it its code, as over HTTP.
  if (err instanceof GraphQLError && err.originalError) return err;
  if (err instanceof GraphQLError)
    return new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, extensions: { ...err.extensions, code } });
  throw err; // not a refusal of the input: a real fault, reported as such
}
