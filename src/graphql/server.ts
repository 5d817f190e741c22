/**
 * HTTP and websocket on one port: the request listener admits a tenant's request (in-flight-guard.ts),
 * then the V2 fast paths (src/rest/v2/fast-v2.ts: infer, reads), the GraphQL fast path (fast-graphql.ts) or
 * express (http-routes.ts: /graphql, /healthz, /readyz, /v2, downloads, the explorer and the console);
 * graphql-ws on upgrades to /graphql (websocket.ts); Apollo Server for GraphQL on both HTTP paths.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { PubSub } from '../lib/pubsub';
import { listenRefusal } from '../lib/net';
import { tracingOn } from '../lib/tracing/tracer';
import { fastV2 } from '../rest/v2/fast-v2';
import type { BaseContext, Context } from './context';
import { explorerLandingPage } from './explorer';
import { fastGraphql } from './fast-graphql';
import { makeFormatError } from './format-error';
import { mountHttpRoutes } from './http-routes';
import { inFlightGuard } from './in-flight-guard';
import { createArmor, extraRules, parseOptions } from './limits';
import { costLimitPlugin } from './query-cost';
import { answerSizePlugin } from './answer-size';
import { startMetricsListener } from './metrics-endpoint';
import { observabilityPlugin } from './observability';
import { httpSubscriptionRefusal } from './operations';
import { noStorePlugin } from './no-store';
import { withBaselineHeaders } from './response-headers';
import { tracingPlugin } from './tracing';
import { startGraphqlWebsocket } from './websocket';
import { answerClientErrors, refuseWithoutHost } from './client-error';

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

export async function startHttpServer(opts: ServerOptions): Promise<HttpServer> {
  const { schema, base, log } = opts;
  const { config } = base;
  const formatError = makeFormatError({ suggestions: config.GRAPHQL_FIELD_SUGGESTIONS });
  const armor = createArmor(config);
  const rules = extraRules(config, armor.validationRules);
  const app = express();
  app.disable('x-powered-by');
  // Behind N reverse proxies, req.ip is the address the Nth proxy saw (X-Forwarded-For).
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  // The same for websocket upgrades, which express does not see: the client address is the Nth from the right of X-Forwarded-For.
  const trustHops = (_address: string, hop: number) => hop < config.TRUST_PROXY_HOPS;
  // V2 infer calls and reads are answered before express (src/rest/v2/fast-infer.ts, fast-reads.ts) unless V2_FAST_PATH=false; everything else by express.
  const v2Fast = config.V2_FAST_PATH ? fastV2({ base, log, ready: opts.ready, trust: trustHops }) : undefined;
  // Every response, express' or a fast path's, carries the baseline headers (response-headers.ts).
  // POST/GET /graphql too (fast-graphql.ts), once Apollo has started; multipart uploads and the rest go to express.
  let graphqlFast: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  // A tenant's requests in progress are capped before any route reads a body (in-flight-guard.ts).
  const admit = inFlightGuard(base, log, trustHops);
  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!v2Fast?.(req, res) && !graphqlFast?.(req, res)) app(req, res);
  };
  const httpServer = http.createServer(
    // Host is checked below, to answer its absence in the API's error shape (client-error.ts).
    { requireHostHeader: false },
    withBaselineHeaders((req, res) => {
      try {
        if (refuseWithoutHost(req, res)) return;
        const admitted = admit(req, res);
        if (admitted === true) return route(req, res);
        if (admitted === false) return;
        admitted.then(
          (ok) => ok && route(req, res),
          (err: unknown) => {
            log.error({ err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'admitting a request failed');
            res.destroy();
          },
        );
      } catch (err) {
        // A fault while routing one request ends that request, never the process (and every other tenant's requests).
        log.error({ path: req.url?.slice(0, 200), err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'unexpected error routing a request');
        res.destroy();
      }
    }),
  );
  // Idle keep-alive sockets stay open 65 s (Node's default is 5 s): longer than the idle timeout of
  // common load balancers (60 s, AWS ALB), so the server never closes a socket a proxy or client is
  // about to reuse (which the client sees as ECONNRESET). Headers must arrive within that too.
  httpServer.keepAliveTimeout = 65_000;
  // A request the HTTP parser refuses (headers over 16 KiB, malformed) gets a coded JSON body (client-error.ts).
  answerClientErrors(httpServer, log);
  httpServer.headersTimeout = 66_000;

  const delayed = opts.metrics.counter(
    'maas_ws_messages_delayed_total',
    "Websocket messages that waited for their tenant's message rate (WS_TENANT_MESSAGES_PER_SECOND) before being read",
  );
  const websocket = startGraphqlWebsocket({
    httpServer,
    schema,
    base,
    rules,
    formatError,
    pubsub: opts.pubsub,
    log,
    trust: trustHops,
    onMessageDelayed: () => delayed.inc(),
  });

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
      // Apollo's cache-control plugin hooks every resolved field (willResolveField, which also makes
      // Apollo wrap every resolver): ~a fifth of the event loop's time on a 10,000-row predict
      // (issue 10, BENCHMARKS.md "Tenant isolation"). No answer here is cacheable: `no-store` is set
      // once per answer instead (noStorePlugin), as that plugin did.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin<Context>(),
      httpSubscriptionRefusal<Context>(),
      ...armor.plugins,
      costLimitPlugin<Context>(config.GRAPHQL_MAX_COST),
      answerSizePlugin<Context>(),
      observabilityPlugin(opts.metrics, log),
      // Spans only when tracing is configured (src/lib/tracing/sdk.ts): nothing added otherwise.
      ...(tracingOn() ? [tracingPlugin()] : []),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await websocket.dispose();
            },
          };
        },
      },
      explorerLandingPage(config.GRAPHQL_EXPLORER),
    ],
  });
  await apollo.start();
  if (config.GRAPHQL_FAST_PATH) graphqlFast = fastGraphql({ apollo, base, log, trust: trustHops, formatError });

  mountHttpRoutes(app, { base, apollo, formatError, ready: opts.ready, metrics: opts.metrics, log });

  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(listenRefusal(opts.host, opts.port, err));
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
      await apollo.stop();
      await websocket.close();
    },
  };
}
