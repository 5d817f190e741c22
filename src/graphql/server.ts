/**
 * HTTP (Apollo Server on express) and websocket (graphql-ws) on one port and one path, /graphql.
 * Also /healthz (liveness) and /readyz (database reachable).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { buildContext, type BaseContext, type Context } from './context';
import { makeFormatError } from './format-error';

export interface HttpServer {
  url: string;
  wsUrl: string;
  port: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  schema: GraphQLSchema;
  base: BaseContext;
  prisma: Db;
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
  const { schema, base, log, prisma } = opts;
  const { config } = base;
  const formatError = makeFormatError(log);
  const app = express();
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>, { context?: Context }>(
    {
      schema,
      context: async (ctx) => {
        ctx.extra.context ??= await buildContext(
          base,
          param(ctx.connectionParams, 'Authorization', 'authorization'),
          undefined,
          crypto.randomUUID(),
        );
        return ctx.extra.context;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    introspection: config.GRAPHQL_SANDBOX,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
      config.GRAPHQL_SANDBOX ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    try {
      await prisma.$queryRaw`SELECT 1`;
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.use(
    '/graphql',
    cors(),
    graphqlUploadExpress({ maxFileSize: config.MAX_UPLOAD_BYTES, maxFiles: 1 }),
    express.json({ limit: '20mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = header(req.headers['x-request-id']) ?? crypto.randomUUID();
        return buildContext(base, header(req.headers.authorization), header(req.headers['x-admin-secret']), requestId);
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(opts.port, opts.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    wsUrl: `ws://${shownHost}:${port}/graphql`,
    port,
    async close() {
      await apollo.stop();
      wsServer.close();
    },
  };
}
