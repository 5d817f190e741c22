/**
 * The Open Inference Protocol (KServe V2, https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/)
 * over REST, on the API's express app beside /graphql:
 *
 *   GET  /v2/health/live, /v2/health/ready, /v2            public (no tenant data)
 *   GET  /v2/models/{name}[/versions/{v}]                  model metadata   (scope predict)
 *   GET  /v2/models/{name}[/versions/{v}]/ready            model readiness  (scope predict)
 *   POST /v2/models/{name}[/versions/{v}]/infer            inference        (scope predict)
 *
 * `{v}` is a version number or an alias (e.g. `production`); without it, the latest version.
 * Credentials, scopes, tenant isolation (another tenant's model is 404), the failed-credential
 * throttle and the prediction rate limit are GraphQL's: the same `buildContext` and services.
 * Errors: `{ "error", "code", "details"? }` (respond.ts). Triton's binary data extension
 * (`Inference-Header-Content-Length`, binary-body.ts) and classification extension are served
 * (modules/serving/infer-parameters.ts); a binary request takes this express route, not fast-infer.ts.
 * The HTTP server answers infer and the reads before express (fast-v2.ts) unless V2_FAST_PATH=false,
 * with the same functions (caller.ts, read-answers.ts, respond.ts); these routes answer what it leaves.
 */
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { Actor } from '../../modules/auth/actor';
import type { BaseContext } from '../../graphql/context';
import { jsonBodyReader, type BodyParserError } from '../../lib/json-body';
import { corsOptions } from '../../graphql/cors';
import { sendAppError, sendBodyRefusal, sendError } from './respond';
import { BINARY_HEADER, splitBinaryBody } from './binary-body';
import { headerOf, requestIdOf, v2Actor } from './caller';
import { liveAnswer, metadataBody, modelReadyBody, readyAnswer, serverBody } from './read-answers';
import { selectorOf } from './selector';
import { startHttpSpan } from '../../lib/tracing/http-span';
import { withSpan } from '../../lib/tracing/tracer';
import { sendInferResponse } from './stream-response';

/** What the V2 routes need from the server. */
export interface V2Options {
  base: BaseContext;
  /** Resolves when the database is reachable (server readiness). */
  ready: () => Promise<void>;
  log: Logger;
}

/** Mounts the V2 routes on `app` (each one a route of its own, so HttpServer.routes lists it). */
export function mountV2Routes(app: Express, opts: V2Options): void {
  const { base, log } = opts;
  const { config } = base;
  const services = base.services;
  // Any content type is read as JSON (`curl -d` sends form encoding by default), by the fast path's reader (fast-infer.ts).
  const json = jsonBodyReader(config.MAX_REQUEST_BYTES, { anyContentType: true, offThread: base.jsonBodies });
  // A binary request (the binary data extension): the whole body as bytes, within the same limit, inflated as JSON bodies are.
  const raw = express.raw({ limit: config.MAX_REQUEST_BYTES, type: () => true });
  const body = (req: Request, res: Response, next: NextFunction) => (req.headers[BINARY_HEADER] === undefined ? json(req, res, next) : raw(req, res, next));
  app.use('/v2', cors(corsOptions(config)));

  /** The caller's actor, as for GraphQL (caller.ts, as on the fast paths); a failed credential is counted by the same throttle. */
  const authenticate = async (req: Request): Promise<{ actor: Actor; requestId: string }> => {
    const requestId = requestIdOf(req);
    return { actor: await v2Actor(base, headerOf(req.headers.authorization), () => req.ip ?? req.socket.remoteAddress), requestId };
  };
  /** Wraps a handler: any error it throws is answered in the protocol's shape. */
  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await fn(req, res);
      } catch (err) {
        const known = res.locals.caller as { actor: Actor; requestId: string } | undefined;
        sendError(res, err, log, { path: req.path, requestId: known?.requestId, tenantId: known?.actor.tenantId });
      }
    };
  /** A body the JSON reader refused (too large, malformed): BAD_USER_INPUT with its status (respond.ts, as on the fast path). */
  const bodyErrors = (err: BodyParserError, _req: Request, res: Response, next: NextFunction) => {
    if (!sendBodyRefusal(res, err, config.MAX_REQUEST_BYTES)) next(err);
  };
  const name = (req: Request) => String(req.params.name);
  const version = (req: Request) => (req.params.version === undefined ? undefined : String(req.params.version));

  // What these answer is read-answers.ts', shared with the fast path (fast-reads.ts).
  app.get('/v2/health/live', (_req, res) => {
    const a = liveAnswer();
    res.status(a.status).json(a.body);
  });
  app.get('/v2/health/ready', async (_req, res) => {
    const a = await readyAnswer(opts.ready);
    res.status(a.status).json(a.body);
  });
  app.get('/v2', (_req, res) => {
    res.json(serverBody(base.version));
  });

  /** The credential first: an unauthenticated caller never makes the server read a body. */
  const authenticated = handle(async (req, res) => {
    res.locals.caller = await authenticate(req);
  });
  const caller = (res: Response) => (res.locals.caller as { actor: Actor }).actor;
  /** Runs `authenticated`, then `next` only when it answered nothing. */
  const withCaller = async (req: Request, res: Response, next: NextFunction) => {
    await authenticated(req, res);
    if (!res.headersSent) next();
  };

  const metadata = handle(async (req, res) => {
    res.json(metadataBody(await services.infer.metadata(caller(res), name(req), selectorOf(version(req)))));
  });
  app.get('/v2/models/:name', withCaller, metadata);
  app.get('/v2/models/:name/versions/:version', withCaller, metadata);

  const ready = handle(async (req, res) => {
    await services.infer.ready(caller(res), name(req), selectorOf(version(req)));
    res.json(modelReadyBody(name(req)));
  });
  app.get('/v2/models/:name/ready', withCaller, ready);
  app.get('/v2/models/:name/versions/:version/ready', withCaller, ready);

  const infer = handle(async (req, res) => {
    const selector = selectorOf(version(req));
    const binary = req.headers[BINARY_HEADER] === undefined ? undefined : splitBinaryBody(req.headers[BINARY_HEADER], Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    // Tracing (src/lib/tracing/): the request's span from here (the body is read); undefined when off.
    const span = startHttpSpan(req, res, version(req) === undefined ? '/v2/models/{name}/infer' : '/v2/models/{name}/versions/{version}/infer');
    const r = await withSpan(span, () => services.infer.inferBody(caller(res), name(req), selector, binary ? binary.header : req.body, binary?.tail));
    await sendInferResponse(res, { model_name: r.modelName, model_version: r.modelVersion, ...(r.id !== undefined ? { id: r.id } : {}), outputs: r.outputs }, r.binary);
  });
  app.post('/v2/models/:name/infer', withCaller, body, infer, bodyErrors);
  app.post('/v2/models/:name/versions/:version/infer', withCaller, body, infer, bodyErrors);
  // Any other path or method under /v2: the protocol's error shape, not express' HTML page.
  app.use('/v2', (req, res) => {
    sendAppError(res, new AppError('NOT_FOUND', `No V2 route ${req.method} ${req.originalUrl.slice(0, 200)}; see GET /v2/models/{name}, POST /v2/models/{name}/infer`));
  });
  // An error express raised itself under /v2 (a path parameter that is not valid percent-encoding,
  // `/v2/models/%E0%A4%A`): the protocol's shape too, not GraphQL's.
  app.use('/v2', (err: { status?: number; message?: string }, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err?.status === 400) {
      sendAppError(res, new AppError('BAD_USER_INPUT', `The request path could not be read: ${String(err.message).slice(0, 200)}`, { field: 'path' }));
      return;
    }
    sendError(res, err, log, { path: req.path });
  });
}
