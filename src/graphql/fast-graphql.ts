/**
 * POST and GET /graphql answered on the Node HTTP server itself, before express sees the request,
 * the way Apollo's standalone server does it: express' per-request machinery (router, request and
 * response prototypes, `res.send`) cost more than the rest of a single-row predict (BENCHMARKS.md,
 * "Serving fast path"). It runs what the express route runs (server.ts) with the same functions:
 * the same `cors` handler, the body read with `express.json`'s semantics (src/lib/json-body.ts:
 * MAX_REQUEST_BYTES, the raw-bytes depth check, charsets) and its errors' answers (body-errors.ts), the nesting check before
 * parsing, the client address by TRUST_PROXY_HOPS, `buildContext`, and Apollo's own request handling
 * (`executeHTTPGraphQLRequest`: CSRF prevention, plugins — limits, metrics, logging).
 *
 * Left to express (returns false, having touched nothing): any other path (`/graphql/`, other case),
 * other methods (OPTIONS preflight, HEAD), multipart uploads, bodies of another content type or a
 * content encoding, a GET with a body, and a GET without a query string (a browser's explorer page).
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import cors from 'cors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DeferredArrays } from '../lib/json-stream';
import type { Logger } from '../lib/logger';
import { startHttpSpan } from '../lib/tracing/http-span';
import { withSpan } from '../lib/tracing/tracer';
import { bodyErrorAnswer, type BodyError } from './body-errors';
import { buildContext, withClientSignal, type BaseContext, type Context } from './context';
import { corsOptions } from './cors';
import { sendGraphqlAnswer } from './deferred-answer';
import { jsonBodyReader } from '../lib/json-body';
import { nestingRefusal } from './limits';
import { logError } from './observability';
import { clientAddressOf } from '../lib/client-address';

/** What the fast path needs from the server. */
export interface FastGraphqlOptions {
  apollo: ApolloServer<Context>;
  base: BaseContext;
  log: Logger;
  /** Whether the `hop`th address from the right of X-Forwarded-For is a trusted proxy (TRUST_PROXY_HOPS). */
  trust: (address: string, hop: number) => boolean;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const JSON_CONTENT = 'application/json; charset=utf-8';

/** Whether express would treat the request as carrying a body (type-is' `hasBody`). */
const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** The request's media type, lower-cased, without parameters. */
const mediaType = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();

/**
 * @returns a request listener that answers the GraphQL requests it takes and returns true, or
 *   returns false (having touched nothing) for express to answer.
 */
export function fastGraphql(opts: FastGraphqlOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { apollo, base, log, formatError } = opts;
  const { config } = base;
  const corsHandler = cors(corsOptions(config)) as unknown as Middleware;
  const jsonParser = jsonBodyReader(config.MAX_REQUEST_BYTES, { offThread: base.jsonBodies });

  const takes = (req: IncomingMessage): boolean => {
    const url = req.url ?? '';
    if (url !== '/graphql' && !url.startsWith('/graphql?')) return false;
    if (req.method === 'POST') {
      const encoding = req.headers['content-encoding'];
      return mediaType(req) === 'application/json' && (encoding === undefined || encoding.toLowerCase() === 'identity');
    }
    return req.method === 'GET' && url.length > '/graphql?'.length && !hasBody(req);
  };

  const sendJson = (res: ServerResponse, status: number, body: object) => {
    res.statusCode = status;
    res.setHeader('content-type', JSON_CONTENT);
    res.end(JSON.stringify(body));
  };

  /** A failure outside Apollo's own handling (it answers its errors itself): 500, logged. */
  const failed = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    log.error({ err: err instanceof Error ? err.message : String(err), path: '/graphql' }, 'GraphQL request failed outside Apollo');
    if (res.headersSent) return void res.destroy();
    sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    req.resume();
  };

  const execute = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, search: string): Promise<void> => {
    // A document nested past GRAPHQL_MAX_NESTING is refused before Apollo's parser would recurse into it (as in server.ts).
    const query = req.method === 'GET' ? new URLSearchParams(search).get('query') : (req.body as { query?: unknown } | undefined)?.query;
    const refusal: GraphQLError | undefined = typeof query === 'string' ? nestingRefusal(config, query) : undefined;
    if (refusal) {
      logError(log, { requestId: header(req.headers['x-request-id'])?.slice(0, 100), transport: 'http' }, refusal);
      return sendJson(res, 400, { errors: [formatError(refusal.toJSON(), refusal)] });
    }
    const headers = new HeaderMap();
    for (const key in req.headers) {
      const value = req.headers[key];
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    // Big arrays (an ONNX infer's outputs) are written streamed in slices (deferred-answer.ts, as on the express path).
    const deferred = new DeferredArrays();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!, headers, search, body: req.body },
      context: async () => {
        const requestId = header(req.headers['x-request-id'])?.slice(0, 100) ?? crypto.randomUUID();
        const context = await buildContext(base, header(req.headers.authorization), header(req.headers['x-admin-secret']), requestId, clientAddressOf(req, opts.trust));
        return withClientSignal(res, context, { deferredArrays: deferred });
      },
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') return sendGraphqlAnswer(res, deferred, response.body.string, log, (body) => void res.end(body));
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return (req, res) => {
    if (!takes(req)) return false;
    const url = req.url!;
    const q = url.indexOf('?');
    const search = q < 0 ? '' : url.slice(q);
    // Tracing (src/lib/tracing/): the request's span, active while Apollo handles it; undefined when off.
    const span = startHttpSpan(req, res, '/graphql');
    const run = () => void execute(req, res, search).catch((err: unknown) => failed(req, res, err));
    corsHandler(req, res, (corsErr) => {
      if (corsErr) return failed(req, res, corsErr);
      if (req.method === 'GET') return withSpan(span, run);
      jsonParser(req, res, (bodyErr) => {
        if (bodyErr) {
          const answer = bodyErrorAnswer(config, bodyErr as BodyError);
          return answer ? sendJson(res, answer.status, answer.body) : failed(req, res, bodyErr);
        }
        withSpan(span, run);
      });
    });
    return true;
  };
}
