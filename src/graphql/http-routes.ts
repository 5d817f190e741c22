/**
 * The routes express serves on the API's port: / (an index of the others), /healthz, /readyz, /metrics (when on the public
 * listener), the batch-prediction and export downloads, the Open Inference Protocol (/v2), the
 * explorer's assets, the console, and POST/GET /graphql for what the fast path leaves (multipart
 * uploads, traced requests, GRAPHQL_FAST_PATH=false), each refusal coded and GraphQL-shaped.
 */
import crypto from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { refuseDeepJson } from '../lib/json-depth';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import { tracingOn } from '../lib/tracing/tracer';
import { runtimeFault } from '../ml/runtime-fault';
import { mountDownload } from '../rest/download';
import { mountExportRoutes } from '../rest/export-routes';
import { mountV2Routes } from '../rest/v2/routes';
import { quote } from '../lib/errors';
import { bodyErrorAnswer, type BodyError } from './body-errors';
import { mountConsole } from './console';
import { buildContext, withClientSignal, type BaseContext, type Context } from './context';
import { corsOptions } from './cors';
import { deferredAnswers, deferredArraysOf } from './deferred-answer';
import { explorerPageHeaders, mountExplorerAssets } from './explorer';
import { mountIndex } from './index-page';
import type { makeFormatError } from './format-error';
import { nestingRefusal } from './limits';
import { metricsHandler, metricsOnPublicListener } from './metrics-endpoint';
import { boundedProcessRequest } from './multipart-guard';
import { logError } from './observability';
import { activateGraphqlSpan, startGraphqlSpan } from './tracing';

export interface HttpRouteOptions {
  base: BaseContext;
  apollo: ApolloServer<Context>;
  formatError: ReturnType<typeof makeFormatError>;
  /** Resolves when the database is reachable (/readyz). */
  ready: () => Promise<void>;
  metrics: Metrics;
  log: Logger;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Mounts every route on `app` (Apollo must have started). */
export function mountHttpRoutes(app: express.Express, opts: HttpRouteOptions): void {
  const { base, apollo, formatError, log } = opts;
  const { config } = base;
  // Liveness: an aborted TF.js WASM runtime cannot be reloaded in-process (src/ml/runtime-fault.ts).
  // A scoring thread's fault is not one: that thread is replaced (src/ml/serving/scoring-threads.ts).
  app.get('/healthz', (_req, res) => {
    const fault = runtimeFault();
    const scoring = base.services.scoring();
    if (fault) res.status(503).json({ status: 'runtime aborted', reason: fault, scoring });
    else res.json({ status: 'ok', scoring });
  });
  if (metricsOnPublicListener(config)) app.get('/metrics', metricsHandler(config, opts.metrics, base.services.authThrottle));
  app.get('/readyz', async (_req, res) => {
    try {
      await opts.ready();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  // Batch prediction results: the same credential as the API; another tenant's id is a 404.
  mountDownload(app, base, log, '/batch-predictions/:id.csv', 'predict', async (actor, req) => ({
    body: await base.services.batch.result(actor, String(req.params.id)),
    contentType: 'text/csv; charset=utf-8',
    filename: `predictions-${String(req.params.id)}.csv`,
  }));
  // Model exports (src/ml/export/bundle.ts): `format` = tfjs | json | onnx; scope models:read.
  mountExportRoutes(app, base, log);
  // The Open Inference Protocol (KServe V2): /v2/... (src/rest/v2/routes.ts).
  mountV2Routes(app, { base, ready: opts.ready, log });
  mountExplorerAssets(app, config.GRAPHQL_EXPLORER);
  mountConsole(app);
  mountIndex(app, config.GRAPHQL_EXPLORER, base.version);
  // Multipart requests: `operations` and `map` are bounded in depth before graphql-upload parses
  // them (multipart-guard.ts), in size by maxFieldSize.
  // A document nested past GRAPHQL_MAX_NESTING is refused before Apollo's parser would recurse into it
  // (limits.ts): POST, multipart and GET (the websocket checks in parseAndValidate). Apollo offers no
  // hook before parsing whose error it answers as a client error; a persisted query is stored only
  // after it parsed and validated, so one sent by hash alone passed this check when it was registered.
  const refuseDeepDocuments: express.RequestHandler = (req, res, next) => {
    const query = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    const refusal = typeof query === 'string' ? nestingRefusal(config, query) : undefined;
    if (!refusal) return next();
    logError(log, { requestId: header(req.headers['x-request-id'])?.slice(0, 100), transport: 'http' }, refusal);
    res.status(400).json({ errors: [formatError(refusal.toJSON(), refusal)] });
  };
  const traced = tracingOn();
  app.use(
    '/graphql',
    ...(traced ? [startGraphqlSpan] : []),
    cors(corsOptions(config)),
    explorerPageHeaders(config.GRAPHQL_EXPLORER),
    graphqlUploadExpress({
      processRequest: boundedProcessRequest,
      maxFileSize: Math.max(config.MAX_UPLOAD_BYTES, config.ONNX_MAX_UPLOAD_BYTES),
      maxFiles: 2,
      maxFieldSize: config.MAX_REQUEST_BYTES,
    }),
    express.json({ limit: config.MAX_REQUEST_BYTES, verify: refuseDeepJson }),
    refuseDeepDocuments,
    deferredAnswers(log),
    ...(traced ? [activateGraphqlSpan] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = header(req.headers['x-request-id'])?.slice(0, 100) ?? crypto.randomUUID();
        const context = await buildContext(base, header(req.headers.authorization), header(req.headers['x-admin-secret']), requestId, req.ip ?? req.socket.remoteAddress);
        return withClientSignal(res, context, { deferredArrays: deferredArraysOf(res) });
      },
    }),
  );
  // Oversized or malformed bodies are refused before parsing, with a GraphQL-shaped, coded error.
  app.use((err: BodyError, req: express.Request, res: express.Response, next: express.NextFunction) => {
    const answer = bodyErrorAnswer(config, err);
    if (!answer) return next(err);
    log.info({ path: req.path.slice(0, 200), status: answer.status, code: 'BAD_USER_INPUT', message: err.message.slice(0, 200), transport: 'http' }, 'client error');
    res.status(answer.status).json(answer.body);
  });
  // Whatever no route took, and whatever a route passed on as an error, in the GraphQL error shape,
  // never express' HTML page (review F5).
  app.use((req: express.Request, res: express.Response) => {
    res.status(404).json({
      errors: [{ message: `No route answers ${req.method.slice(0, 10)} ${quote(req.path)}: see GET / for the routes this server has`, extensions: { code: 'NOT_FOUND' } }],
    });
  });
  app.use((err: Error & { status?: number; statusCode?: number }, req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status ?? err.statusCode ?? 500;
    if (status >= 500) log.error({ err: { message: err.message, stack: err.stack }, path: req.path.slice(0, 200) }, 'request failed');
    else log.info({ path: req.path.slice(0, 200), status, message: err.message.slice(0, 200), transport: 'http' }, 'client error');
    const [code, message] =
      status >= 500 ? ['INTERNAL_SERVER_ERROR', 'Internal server error'] : status === 404 ? ['NOT_FOUND', 'Not found'] : ['BAD_REQUEST', err.message.slice(0, 200)];
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });
}
