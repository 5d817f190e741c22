/**
 * Apollo plugin: per-operation metrics, and logs with the request id and tenant id. Unexpected
 * errors are logged here with that context (the client sees only INTERNAL_SERVER_ERROR).
 * Logs carry no secrets and no row data: operation names, codes, durations.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type OperationDefinitionNode } from 'graphql';
import { AppError, fromDatabaseError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { Context } from './context';

/** The first root field, e.g. 'predict' (the label of the metrics). */
export function operationLabel(op: OperationDefinitionNode | undefined | null): string {
  const first = op?.selectionSet.selections.find((s) => s.kind === 'Field');
  return first && first.kind === 'Field' ? first.name.value : 'unknown';
}

/** Codes Apollo and the websocket give refusals of the request itself. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** True for errors the API raised on purpose or GraphQL validation: not worth an error log. */
export function isExpected(error: unknown): boolean {
  let e = error;
  while (e instanceof GraphQLError && e.originalError) e = e.originalError;
  if (error instanceof GraphQLError && CLIENT_CODES.has(String(error.extensions?.code))) return true;
  return e instanceof AppError || fromDatabaseError(e) !== undefined || (e instanceof GraphQLError && !(e as GraphQLError).originalError);
}

/**
 * Logs one GraphQL error: a client error (coded on purpose, a parse or validation refusal) at
 * `info` with its code and a message cut to 200 characters and no stack; a real fault at `error`
 * with its stack.
 */
export function logError(log: Logger, context: Record<string, unknown>, error: GraphQLError): void {
  if (isExpected(error)) {
    let original: unknown = error;
    while (original instanceof GraphQLError && original.originalError) original = original.originalError;
    const code = original instanceof AppError ? original.code : (fromDatabaseError(original)?.code ?? error.extensions?.code ?? 'BAD_USER_INPUT');
    log.info({ ...context, code, message: error.message.slice(0, 200) }, 'client error');
    return;
  }
  log.error({ ...context, err: { message: error.message, stack: (error.originalError ?? error).stack } }, 'unexpected error');
}

export function observabilityPlugin(metrics: Metrics, log: Logger): ApolloServerPlugin<Context> {
  return {
    // A failure in Apollo's own handling (say, serialising an answer too large for one string:
    // review 3 saw 500s with nothing logged): Apollo answers 500 itself; the fault is logged here.
    async unexpectedErrorProcessingRequest({ requestContext, error }) {
      const context = requestContext.contextValue as Partial<Context> | undefined;
      log.error(
        { requestId: context?.requestId, tenantId: context?.actor?.tenantId, err: { message: error.message, stack: error.stack } },
        'unexpected error in GraphQL request handling',
      );
    },
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      let operation = 'unknown';
      return {
        async didResolveOperation({ operation: op }) {
          operation = operationLabel(op);
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) logError(log, { requestId: contextValue.requestId, tenantId: contextValue.actor?.tenantId, operation }, error);
        },
        async willSendResponse({ response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const failed = response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length);
          metrics.requests.inc({ operation, outcome: failed ? 'error' : 'ok' });
          metrics.latency.observe({ operation }, seconds);
          log.debug({ requestId: contextValue.requestId, tenantId: contextValue.actor?.tenantId, operation, ms: seconds * 1000, failed }, 'graphql request');
        },
      };
    },
  };
}
