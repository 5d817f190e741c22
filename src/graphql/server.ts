/**
 * HTTP (Apollo Server on express) and websocket (graphql-ws) on one port and one path, /graphql.
 * Also /healthz (liveness) and /readyz (database reachable), the GraphQL explorer (explorer.ts) and
 * the web console at /console (console.ts).
 */
import { refuseDeepJson } from '../lib/json-depth';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import proxyaddr from 'proxy-addr';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { PubSub } from '../lib/pubsub';
import { Topics } from '../modules/events';
import { buildContext, type BaseContext, type Context } from './context';
import { deferredAnswers, deferredArraysOf } from './deferred-answer';
import { mountConsole } from './console';
import { explorerLandingPage, explorerPageHeaders, mountExplorerAssets } from './explorer';
import { makeFormatError } from './format-error';
import { sharedSubscribe } from './shared-subscribe';
import { bodyErrorAnswer, type BodyError } from './body-errors';
import { fastGraphql } from './fast-graphql';
import { corsOptions, websocketOriginAllowed } from './cors';
import { createArmor, extraRules, nestingRefusal, parseAndValidate, parseOptions } from './limits';
import { costLimitPlugin, costRefusal } from './query-cost';
import { metricsHandler, metricsOnPublicListener, startMetricsListener } from './metrics-endpoint';
import { logError, observabilityPlugin } from './observability';
import { httpSubscriptionRefusal, operationRefusal } from './operations';
import { judgeMessage } from './ws-message-guard';
import { activateGraphqlSpan, startGraphqlSpan, tracingPlugin } from './tracing';
import { tracingOn } from '../lib/tracing/tracer';
import { boundedProcessRequest } from './multipart-guard';
import { withBaselineHeaders } from './response-headers';
import { CLOSE_INVALID_MESSAGE, CLOSE_TOO_MANY, SocketRegistry } from './socket-registry';
import { runtimeFault } from '../ml/runtime-fault';
import { fastInfer } from '../rest/v2/fast-infer';
import { mountV2Routes } from '../rest/v2/routes';
import { mountDownload } from '../rest/download';
import { mountExportRoutes } from '../rest/export-routes';

export interface HttpServer {
  url: string;
  wsUrl: string;
  port: number;
  /** The separate /metrics listener's URL when METRICS_PORT is set. */
  metricsUrl?: string;
  /** Every REST route mounted (method and path), for tests that must cover each one. */
  routes: { method: string; path: string }[];
  close(): Promise<void>;
}

export interface ServerOptions {
  schema: GraphQLSchema;
  base: BaseContext;
  /** Resolves when the database is reachable (/readyz). */
  ready: () => Promise<void>;
  pubsub: PubSub;
  metrics: Metrics;
  log: Logger;
  host: string;
  port: number;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const param = (p: Record<string, unknown> | undefined, ...keys: string[]) => {
  for (const k of keys) if (typeof p?.[k] === 'string') return p[k] as string;
  return undefined;
};

export async function startHttpServer(opts: ServerOptions): Promise<HttpServer> {
  const { schema, base, log } = opts;
  const { config } = base;
  const formatError = makeFormatError({ suggestions: config.GRAPHQL_FIELD_SUGGESTIONS });
  const logWsErrors = (context: Context | undefined, errors: readonly GraphQLError[]) => {
    for (const e of errors) logError(log, { requestId: context?.requestId, tenantId: context?.actor?.tenantId, transport: 'websocket' }, e);
  };
  const armor = createArmor(config);
  const rules = extraRules(config, armor.validationRules);
  const app = express();
  app.disable('x-powered-by');
  // Behind N reverse proxies, req.ip is the address the Nth proxy saw (X-Forwarded-For).
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  // The same for websocket upgrades, which express does not see: the client address is the Nth from the right of X-Forwarded-For.
  const trustHops = (_address: string, hop: number) => hop < config.TRUST_PROXY_HOPS;
  // V2 infer calls are answered before express (src/rest/v2/fast-infer.ts); everything else by express.
  const v2Infer = fastInfer({ base, log, trust: trustHops });
  // Every response, express' or a fast path's, carries the baseline headers (response-headers.ts).
  // POST/GET /graphql too (fast-graphql.ts), once Apollo has started; multipart uploads and the rest go to express.
  let graphqlFast: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  const httpServer = http.createServer(
    withBaselineHeaders((req, res) => {
      if (!v2Infer(req, res) && !graphqlFast?.(req, res)) app(req, res);
    }),
  );
  // Idle keep-alive sockets stay open 65 s (Node's default is 5 s): longer than the idle timeout of
  // common load balancers (60 s, AWS ALB), so the server never closes a socket a proxy or client is
  // about to reuse (which the client sees as ECONNRESET). Headers must arrive within that too.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  // Websockets: authenticated once per connection, closed at once when their key is revoked.
  const sockets = new SocketRegistry();
  const revocations = opts.pubsub.subscribe(Topics.keyRevoked);
  void (async () => {
    for await (const { apiKeyId } of revocations) {
      base.services.auth.forgetKey(apiKeyId);
      sockets.revoke(apiKeyId);
    }
  })();
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: config.MAX_REQUEST_BYTES,
    // A browser page of a foreign origin gets 403 (see cors.ts).
    verifyClient: ({ req }: { req: http.IncomingMessage }, done: (ok: boolean, status?: number, message?: string) => void) =>
      websocketOriginAllowed(config, req) ? done(true) : done(false, 403, 'Origin not allowed (CORS_ORIGINS)'),
  });
  const addressOf = (req: http.IncomingMessage) => proxyaddr(req, trustHops);
  // Before authentication, sockets count against their client address (the address the
  // failed-credential throttle uses). Registered before graphql-ws' own listener, so a refused socket
  // is closed before it is served.
  wsServer.on('connection', (socket, req) => {
    if (!sockets.admit(addressOf(req), socket, config.WS_MAX_UNAUTHENTICATED_PER_ADDRESS)) {
      socket.close(CLOSE_TOO_MANY, `Too many unauthenticated websockets from this address (limit ${config.WS_MAX_UNAUTHENTICATED_PER_ADDRESS} per server)`);
    }
    // Every message is judged before graphql-ws reads it (ws-message-guard.ts): too deep to parse
    // closes the socket (4400); a malformed subscribe gets a coded error on its id, the socket stays.
    const emit = socket.emit.bind(socket);
    socket.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event === 'message' && (args[0] instanceof Buffer || typeof args[0] === 'string')) {
        const verdict = judgeMessage(args[0]);
        if ('close' in verdict) {
          socket.close(CLOSE_INVALID_MESSAGE, verdict.close);
          return false;
        }
        if ('reply' in verdict) {
          socket.send(verdict.reply);
          return false;
        }
      }
      return emit(event, ...args);
    };
  });
  const wsCleanup = useServer<Record<string, unknown>, { context?: Context }>(
    {
      schema,
      // Each event executed once per operation and actor, not once per subscriber (shared-subscribe.ts).
      subscribe: sharedSubscribe(),
      connectionInitWaitTimeout: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      // Parsed and validated here, as Apollo does over HTTP: a bad operation gets coded errors on its
      // own id, and the socket with its other subscriptions stays open.
      onSubscribe: (ctx, _id, payload) => {
        // graphql-ws has registered this operation already, hence `>`; refused ones still registered
        // are counted too, so the message states the limit, not the count.
        const running = Object.keys(ctx.subscriptions).length;
        if (running > config.WS_MAX_OPERATIONS_PER_SOCKET) {
          const refusal = new AppError(
            'QUOTA_EXCEEDED',
            `This websocket already runs ${config.WS_MAX_OPERATIONS_PER_SOCKET} operations, the most at once (WS_MAX_OPERATIONS_PER_SOCKET); complete one first`,
          );
          return [new GraphQLError(refusal.message, { originalError: refusal })];
        }
        const document = parseAndValidate(config, schema, rules, payload.query);
        if (Array.isArray(document)) return document;
        const noOperation = operationRefusal(document, payload.operationName);
        if (noOperation) return [noOperation];
        const tooCostly = costRefusal(schema, { document, operationName: payload.operationName, variables: payload.variables }, config.GRAPHQL_MAX_COST);
        if (tooCostly) return [tooCostly];
        return {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue: ctx.extra.context!,
          hideSuggestions: !config.GRAPHQL_FIELD_SUGGESTIONS,
        };
      },
      onConnect: async (ctx) => {
        // Refused by the address cap above, or closed meanwhile: not served.
        if (ctx.extra.socket.readyState !== WebSocket.OPEN) return false;
        const address = addressOf(ctx.extra.request);
        const context = await buildContext(base, param(ctx.connectionParams, 'Authorization', 'authorization'), undefined, crypto.randomUUID(), address);
        ctx.extra.context = context;
        if (context.actor) {
          sockets.authenticated(ctx.extra.socket);
          const { tenantId } = context.actor;
          if (sockets.countOf(tenantId) >= config.WS_MAX_SOCKETS_PER_TENANT) {
            ctx.extra.socket.close(CLOSE_TOO_MANY, `Too many websocket connections for this tenant (limit ${config.WS_MAX_SOCKETS_PER_TENANT} per server)`);
            return false;
          }
          sockets.add(context.actor.id, tenantId, ctx.extra.socket, context.actor.acceptedUntil);
        }
        return true;
      },
      context: (ctx) => ctx.extra.context!,
      onNext: (ctx, _id, _payload, _args, result) => {
        if (!result.errors) return undefined;
        logWsErrors(ctx.extra.context, result.errors);
        return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (ctx, _id, _payload, errors) => {
        logWsErrors(ctx.extra.context, errors);
        return errors.map((e) => formatError(e.toJSON(), e));
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    introspection: config.GRAPHQL_INTROSPECTION,
    validationRules: rules,
    parseOptions: parseOptions(config),
    // "Did you mean" in variable coercion errors too (graphql-armor covers validation errors).
    hideSchemaDetailsFromClientErrors: !config.GRAPHQL_FIELD_SUGGESTIONS,
    allowBatchedHttpRequests: false,
    // main.ts / worker.ts own SIGINT and SIGTERM and stop everything in order.
    stopOnTerminationSignals: false,
    plugins: [
      httpSubscriptionRefusal<Context>(),
      ...armor.plugins,
      costLimitPlugin<Context>(config.GRAPHQL_MAX_COST),
      observabilityPlugin(opts.metrics, log),
      // Spans only when tracing is configured (src/lib/tracing/sdk.ts): nothing added otherwise.
      ...(tracingOn() ? [tracingPlugin()] : []),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
      explorerLandingPage(config.GRAPHQL_EXPLORER),
    ],
  });
  await apollo.start();
  if (config.GRAPHQL_FAST_PATH) graphqlFast = fastGraphql({ apollo, base, log, trust: trustHops, formatError });

  // Liveness: an aborted TF.js WASM runtime cannot be reloaded in-process (src/ml/runtime-fault.ts).
  // A scoring thread's fault is not one: that thread is replaced (src/ml/serving/scoring-threads.ts).
  app.get('/healthz', (_req, res) => {
    const fault = runtimeFault();
    const scoring = opts.base.services.scoring();
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
  mountDownload(app, base, log, '/batch-predictions/:id.csv', async (actor, req) => ({
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
        return { ...context, deferredArrays: deferredArraysOf(res) };
      },
    }),
  );

  // Oversized or malformed bodies are refused before parsing, with a GraphQL-shaped, coded error.
  app.use((err: BodyError, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    const answer = bodyErrorAnswer(config, err);
    if (!answer) return next(err);
    res.status(answer.status).json(answer.body);
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the port is in use: stop the other process or set PORT' : err.message;
      reject(new Error(`Cannot listen on ${opts.host}:${opts.port}: ${why}`));
    };
    httpServer.once('error', failed);
    httpServer.listen(opts.port, opts.host, () => {
      httpServer.off('error', failed);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const metricsListener =
    config.METRICS_PORT !== undefined ? await startMetricsListener({ ...config, METRICS_PORT: config.METRICS_PORT }, opts.metrics, base.services.authThrottle) : undefined;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  const routes = (app.router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]).flatMap((l) =>
    l.route ? Object.keys(l.route.methods).map((method) => ({ method: method.toUpperCase(), path: l.route!.path })) : [],
  );
  return {
    routes,
    url: `http://${shownHost}:${port}/graphql`,
    wsUrl: `ws://${shownHost}:${port}/graphql`,
    port,
    metricsUrl: metricsListener?.url,
    async close() {
      await metricsListener?.close();
      await revocations.return();
      await apollo.stop();
      wsServer.close();
    },
  };
}
