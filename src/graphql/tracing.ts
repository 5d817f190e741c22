/**
 * Tracing of GraphQL over HTTP (src/lib/tracing/): the express path's request span (the fast path
 * starts its own in fast-graphql.ts) and an Apollo plugin that names the active request span after
 * its operation once Apollo has resolved it — `query predict`, with `graphql.operation.type`,
 * `graphql.operation.name` (when the document names it), the first root field, the tenant id and
 * the request id. Never the document or the variables. Mounted only when tracing is on.
 */
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { startHttpSpan } from '../lib/tracing/http-span';
import { activeSpan, withSpan, type Span } from '../lib/tracing/tracer';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Context } from './context';
import { isExpected, operationLabel } from './observability';

const spans = new WeakMap<IncomingMessage, Span>();

/** Express middleware, first on /graphql: starts the request's span (ended when the response closes). */
export const startGraphqlSpan: RequestHandler = (req, res, next) => {
  const span = startHttpSpan(req, res, '/graphql');
  if (span) spans.set(req, span);
  next();
};

/** Express middleware, last before Apollo (after the body is read): runs the rest with the request's span active. */
export const activateGraphqlSpan: RequestHandler = (req, _res, next) => withSpan(spans.get(req), () => next());

/** Names the active request span after the operation; marks it failed on an unexpected error (not a client's mistake). */
export function tracingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const span = activeSpan();
      if (!span) return;
      if (contextValue.actor) span.setAttribute('maas.tenant.id', contextValue.actor.tenantId);
      span.setAttribute('maas.request.id', contextValue.requestId);
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const field = operationLabel(operation);
          span.updateName(`${operation.operation} ${operationName ?? field}`);
          span.setAttributes({ 'graphql.operation.type': operation.operation, 'maas.graphql.field': field, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
        },
        async didEncounterErrors({ errors }) {
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))].slice(0, 10);
          span.setAttribute('maas.graphql.error_codes', codes);
          if (errors.some((e) => !isExpected(e))) span.setStatus({ code: SpanStatusCode.ERROR, message: 'unexpected error' });
        },
      };
    },
  };
}
