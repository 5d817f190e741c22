/**
 * GraphQL over websocket (graphql-ws) on the HTTP server's /graphql path: sockets authenticated once
 * per connection (the `Authorization` connection parameter), counted per client address before that
 * and per tenant after, every message judged before graphql-ws reads it, each operation parsed and
 * validated as Apollo does over HTTP, and a socket closed at once when its key is revoked.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { execute, GraphQLError, type ExecutionArgs, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { Topics } from '../modules/events';
import type { Release } from '../modules/quotas/requests-in-flight';
import { buildContext, type BaseContext, type Context } from './context';
import { websocketOriginAllowed } from './cors';
import type { makeFormatError } from './format-error';
import { parseAndValidate } from './limits';
import { logError } from './observability';
import { operationRefusal } from './operations';
import { costRefusal } from './query-cost';
import { sharedSubscribe } from './shared-subscribe';
import { answerRefusalOf } from './answer-size';
import { CLOSE_INVALID_MESSAGE, CLOSE_TOO_MANY, SocketRegistry } from './socket-registry';
import { WsInFlight } from './ws-in-flight';
import { judgeMessage } from './ws-message-guard';
import { topLevelStrings } from '../lib/json-depth';
import { WsMessageRate } from './ws-message-rate';
import { clientAddressOf } from '../lib/client-address';

export interface WebsocketOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  base: BaseContext;
  /** Validation rules beside graphql-js' own (limits.ts), the same as over HTTP. */
  rules: ValidationRule[];
  formatError: ReturnType<typeof makeFormatError>;
  pubsub: PubSub;
  log: Logger;
  /** Whether the proxy at `hop` (0 = nearest) is trusted (TRUST_PROXY_HOPS). */
  trust: (address: string, hop: number) => boolean;
  /** Called once per message that waited for its tenant's message rate (a metric without tenant label). */
  onMessageDelayed?: () => void;
}

/** The running websocket endpoint. */
export interface GraphqlWebsocket {
  /** Completes every operation and closes every socket (graphql-ws' dispose); Apollo's drain calls it. */
  dispose(): Promise<void>;
  /** Stops following key revocations and closes the websocket server. */
  close(): Promise<void>;
}

/** An AppError as the errors graphql-ws sends on the operation's id (formatted by `onError`). */
const refusedWith = (refusal: AppError) => [new GraphQLError(refusal.message, { originalError: refusal })];

const param = (p: Record<string, unknown> | undefined, ...keys: string[]) => {
  for (const k of keys) if (typeof p?.[k] === 'string') return p[k] as string;
  return undefined;
};

/** Serves graphql-ws on `httpServer`'s upgrades to /graphql. */
/** The body of a websocket upgrade refused for its origin. */
const ORIGIN_REFUSED = JSON.stringify({
  errors: [{ message: "This page's origin may not open a websocket here (CORS_ORIGINS)", extensions: { code: 'FORBIDDEN', reason: 'ORIGIN_NOT_ALLOWED' } }],
});

export function startGraphqlWebsocket(opts: WebsocketOptions): GraphqlWebsocket {
  const { schema, base, rules, formatError, log } = opts;
  const { config } = base;
  const logWsErrors = (context: Context | undefined, errors: readonly GraphQLError[]) => {
    for (const e of errors) logError(log, { requestId: context?.requestId, tenantId: context?.actor?.tenantId, transport: 'websocket' }, e);
  };
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
    server: opts.httpServer,
    path: '/graphql',
    maxPayload: config.MAX_REQUEST_BYTES,
    // A browser page of a foreign origin gets 403 (see cors.ts), in the API's JSON error shape (review F5: ws writes text/html).
    verifyClient: ({ req }: { req: http.IncomingMessage }, done: (ok: boolean, status?: number, message?: string, headers?: Record<string, string>) => void) =>
      websocketOriginAllowed(config, req) ? done(true) : done(false, 403, ORIGIN_REFUSED, { 'Content-Type': 'application/json; charset=utf-8' }),
  });
  const addressOf = (req: http.IncomingMessage) => clientAddressOf(req, opts.trust);
  /** Each running operation's abort controller, by socket and operation id. */
  const operations = new WeakMap<WebSocket, Map<string, AbortController>>();
  /**
   * The connection's context with a signal of the operation's own: aborted when the client sends
   * `complete` for it (graphql-ws only forgets a running query then, and calls onComplete when it
   * ends) or the socket closes (review 5: a `complete` left an explanation running to its end).
   */
  const operationContext = (socket: WebSocket, context: Context, id: string): Context => {
    const own = new AbortController();
    let running = operations.get(socket);
    if (!running) operations.set(socket, (running = new Map()));
    running.set(id, own);
    return { ...context, signal: context.signal ? AbortSignal.any([context.signal, own.signal]) : own.signal };
  };
  /** A client's `complete` (judged from the message's top level, unparsed): its operation's signal aborts. */
  const completeSent = (socket: WebSocket, raw: Buffer | string) => {
    const running = operations.get(socket);
    if (!running || running.size === 0) return;
    const { id, type } = topLevelStrings(raw, ['id', 'type']);
    if (type === 'complete' && id !== undefined) running.get(id)?.abort();
  };
  /**
   * Ends a socket whose client left too many answers unread: a close frame (4429, which graphql-ws
   * clients do not retry) queued behind them could wait for ever, so the connection is then dropped
   * and its buffers freed at once.
   */
  const closeUnread = (socket: WebSocket, tenantId: string | undefined) => {
    log.info({ tenantId, bufferedBytes: socket.bufferedAmount }, 'websocket closed: its client left too many answers unread');
    socket.close(CLOSE_TOO_MANY, `Too many unread answers queued (WS_MAX_BUFFERED_BYTES ${config.WS_MAX_BUFFERED_BYTES}, per tenant ${config.WS_MAX_BUFFERED_BYTES_PER_TENANT})`);
    socket.terminate();
  };
  const rate = new WsMessageRate({ perSecond: config.WS_TENANT_MESSAGES_PER_SECOND, burst: config.WS_TENANT_MESSAGE_BURST }, opts.onMessageDelayed);
  // Before authentication, sockets count against their client address (the address the
  // failed-credential throttle uses). Registered before graphql-ws' own listener, so a refused socket
  // is closed before it is served.
  /** Whether `socket`, or its tenant's sockets together, hold more unread bytes than allowed. */
  const tooMuchUnread = (socket: WebSocket, tenantId: string | undefined) =>
    socket.bufferedAmount > config.WS_MAX_BUFFERED_BYTES || (tenantId !== undefined && sockets.bufferedOf(tenantId) > config.WS_MAX_BUFFERED_BYTES_PER_TENANT);
  /**
   * Every message the server sends on `socket` — graphql-ws' answers, pongs, errors and
   * completes, the message guard's replies — is checked against the unread-bytes caps, not only
   * `next` (review 6: echoed pongs of 9 MB pings grew the server by 2 GB on sockets that never
   * read, authenticated or not). A send that fails because the client has gone (a reset right
   * after connection_init) is not an error: graphql-ws would print a stack for it and close 1011.
   */
  const guardSends = (socket: WebSocket) => {
    const send = socket.send.bind(socket) as (data: unknown, options: object, cb?: (err?: Error) => void) => void;
    socket.send = ((data: unknown, options?: object | ((err?: Error) => void), cb?: (err?: Error) => void) => {
      const done = typeof options === 'function' ? options : cb;
      send(data, typeof options === 'object' ? options : {}, (err) => done?.(err && socket.readyState !== WebSocket.OPEN ? undefined : err));
      const tenantId = sockets.tenantOf(socket);
      if (socket.readyState === WebSocket.OPEN && tooMuchUnread(socket, tenantId)) closeUnread(socket, tenantId);
    }) as WebSocket['send'];
  };
  const onConnection = (socket: WebSocket, req: http.IncomingMessage) => {
    guardSends(socket);
    const address = addressOf(req);
    if (!sockets.admit(address, socket, config.WS_MAX_UNAUTHENTICATED_PER_ADDRESS)) {
      socket.close(CLOSE_TOO_MANY, `Too many unauthenticated websockets from this address (limit ${config.WS_MAX_UNAUTHENTICATED_PER_ADDRESS} per server)`);
    }
    // Every message is judged before graphql-ws reads it (ws-message-guard.ts): too deep to parse
    // closes the socket (4400); a malformed subscribe gets a coded error on its id, the socket stays.
    const emit = socket.emit.bind(socket);
    const read = (args: unknown[]): boolean => {
      const verdict = judgeMessage(args[0] as Buffer | string);
      if ('close' in verdict) {
        socket.close(CLOSE_INVALID_MESSAGE, verdict.close);
        return false;
      }
      if ('reply' in verdict) {
        socket.send(verdict.reply);
        return false;
      }
      completeSent(socket, args[0] as Buffer | string);
      return emit('message', ...args);
    };
    // Before that, at most the tenant's message rate is read (ws-message-rate.ts); the rest waits.
    rate.admit(socket, address, read);
    socket.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event === 'message' && (args[0] instanceof Buffer || typeof args[0] === 'string')) return rate.offer(socket, args) && read(args);
      return emit(event, ...args);
    };
  };
  wsServer.on('connection', (socket, req) => {
    try {
      onConnection(socket, req);
    } catch (err) {
      // A fault while admitting one socket ends that socket, never the process (and every other tenant's sockets).
      log.error({ err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'unexpected error admitting a websocket');
      socket.terminate();
    }
  });
  /** One operation parsed, validated and costed as Apollo does over HTTP: its execution arguments, or its errors. */
  const prepare = (payload: SubscribePayload, contextValue: Context): ExecutionArgs | readonly GraphQLError[] => {
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
      contextValue,
      hideSuggestions: !config.GRAPHQL_FIELD_SUGGESTIONS,
    };
  };
  // Operations being set up count against the tenant's in-flight cap, as HTTP requests do (ws-in-flight.ts).
  const inFlight = new WsInFlight(base.services.inFlight);
  const cleanup = useServer<Record<string, unknown>, { context?: Context }>(
    {
      schema,
      // Each event executed once per operation and actor, not once per subscriber (shared-subscribe.ts).
      subscribe: inFlight.during(sharedSubscribe()),
      execute: inFlight.during(execute),
      connectionInitWaitTimeout: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      // Parsed and validated here, as Apollo does over HTTP: a bad operation gets coded errors on its
      // own id, and the socket with its other subscriptions stays open.
      onSubscribe: async (ctx, id, payload) => {
        // graphql-ws has registered this operation already, hence `>`; refused ones still registered
        // are counted too, so the message states the limit, not the count.
        const running = Object.keys(ctx.subscriptions).length;
        if (running > config.WS_MAX_OPERATIONS_PER_SOCKET) {
          return refusedWith(
            new AppError(
              'QUOTA_EXCEEDED',
              `This websocket already runs ${config.WS_MAX_OPERATIONS_PER_SOCKET} operations, the most at once (WS_MAX_OPERATIONS_PER_SOCKET); complete one first`,
            ),
          );
        }
        const tenantId = ctx.extra.context?.actor?.tenantId;
        let release: Release | undefined;
        try {
          release = tenantId ? await inFlight.acquire(tenantId) : undefined;
        } catch (err) {
          if (err instanceof AppError) return refusedWith(err);
          throw err;
        }
        try {
          const prepared = prepare(payload, ctx.extra.context!);
          // Only an operation that will run gets a signal (onComplete forgets it; a refused one never completes).
          if (!Array.isArray(prepared)) (prepared as ExecutionArgs).contextValue = operationContext(ctx.extra.socket, ctx.extra.context!, id);
          if (release && !Array.isArray(prepared)) inFlight.hold(prepared, release);
          else release?.();
          return prepared;
        } catch (err) {
          release?.();
          throw err;
        }
      },
      onConnect: async (ctx) => {
        // Refused by the address cap above, or closed meanwhile: not served.
        if (ctx.extra.socket.readyState !== WebSocket.OPEN) return false;
        const address = addressOf(ctx.extra.request);
        const context = await buildContext(base, param(ctx.connectionParams, 'Authorization', 'authorization'), undefined, crypto.randomUUID(), address);
        // Closed while its credential was checked: not counted anywhere (it would never be uncounted).
        if (ctx.extra.socket.readyState !== WebSocket.OPEN) return false;
        const gone = new AbortController();
        ctx.extra.socket.once('close', () => gone.abort());
        ctx.extra.context = { ...context, signal: gone.signal };
        if (context.actor) {
          sockets.authenticated(ctx.extra.socket);
          const { tenantId } = context.actor;
          if (sockets.countOf(tenantId) >= config.WS_MAX_SOCKETS_PER_TENANT) {
            ctx.extra.socket.close(CLOSE_TOO_MANY, `Too many websocket connections for this tenant (limit ${config.WS_MAX_SOCKETS_PER_TENANT} per server)`);
            return false;
          }
          sockets.add(context.actor.id, tenantId, ctx.extra.socket, context.actor.acceptedUntil);
          rate.assign(ctx.extra.socket, tenantId);
        }
        return true;
      },
      context: (ctx) => ctx.extra.context!,
      // The operation ended: its signal is forgotten (a client's `complete` aborted it already, completeSent).
      onComplete: (ctx, id) => {
        operations.get(ctx.extra.socket)?.delete(id);
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        // A client that does not read its answers: the socket goes, with what it queued.
        const tenantId = ctx.extra.context?.actor?.tenantId;
        const socket = ctx.extra.socket;
        if (tooMuchUnread(socket, tenantId)) {
          closeUnread(socket, tenantId);
          return { data: null };
        }
        if (!result.errors) return undefined;
        // An answer past GRAPHQL_MAX_ANSWER_VALUES: the refusal alone, as over HTTP (answer-size.ts).
        const tooLarge = answerRefusalOf(result.errors);
        if (tooLarge) result = { errors: [tooLarge] };
        logWsErrors(ctx.extra.context, result.errors!);
        return { ...result, errors: result.errors!.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (ctx, _id, _payload, errors) => {
        logWsErrors(ctx.extra.context, errors);
        return errors.map((e) => formatError(e.toJSON(), e));
      },
    },
    wsServer,
  );
  return {
    dispose: async () => {
      await cleanup.dispose();
    },
    async close() {
      await revocations.return();
      wsServer.close();
    },
  };
}
