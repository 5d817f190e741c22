/**
 * Abuse limits applied before execution, on HTTP and websocket alike (graphql-armor): query depth,
 * cost, aliases and directives. Introspection (Apollo Sandbox) is exempt from depth and
 * cost. Field suggestions ("did you mean …") are hidden when the Sandbox is off.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Config } from '../config';

export function createArmor(config: Config) {
  return new ApolloArmor({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxDirectives: { n: 20 },
    // Token counting replaces the parser and turns syntax errors into HTTP 500s; the body size cap
    // (MAX_REQUEST_BYTES) bounds parsing work instead.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !config.GRAPHQL_SANDBOX },
  }).protect();
}

/** graphql-ws' `validate` option: the standard rules plus the armor's. */
export function wsValidate(rules: ValidationRule[]) {
  return (schema: GraphQLSchema, document: DocumentNode) => validate(schema, document, [...specifiedRules, ...rules]);
}
