/**
 * The SERVER span of one HTTP request (OpenTelemetry HTTP semantic conventions: `http.request.method`,
 * `http.route`, `http.response.status_code`), continuing the caller's trace when it sent a W3C
 * `traceparent` header. Only the route is recorded, never the URL: a GET /graphql carries the
 * document and variables in its query string.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { startSpan, tracingOn, type Span } from './tracer';

/**
 * Starts the request's span (not active yet: activate it around the handling with `withSpan`, once
 * the body is read, since stream callbacks run outside the request's context) and ends it when the
 * response closes, with its status code (5xx: ERROR). Tracing off: undefined, nothing registered.
 * @param route the route template, e.g. '/graphql', '/v2/models/{model}/infer'.
 */
export function startHttpSpan(req: IncomingMessage, res: ServerResponse, route: string): Span | undefined {
  if (!tracingOn()) return undefined;
  const method = req.method ?? 'GET';
  const parent = propagation.extract(context.active(), req.headers);
  const span = startSpan(`${method} ${route}`, SpanKind.SERVER, { 'http.request.method': method, 'http.route': route, 'url.scheme': 'http' }, parent);
  if (!span) return undefined;
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    if (!res.writableFinished) span.setAttribute('maas.response.aborted', true);
    span.end();
  });
  return span;
}
