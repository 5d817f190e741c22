/**
 * The read-only V2 routes answered on the Node HTTP server itself, before express sees the request,
 * as fast-infer.ts answers infer: `GET /v2/health/live`, `/v2/health/ready`, `/v2`,
 * `/v2/models/{name}[/versions/{v}]` and `.../ready`, and the CORS preflight (`OPTIONS`) of those
 * paths and of infer's. express' per-request machinery cost ~200 µs CPU per request on them, more
 * than the rest of the answer (bench/v2.ts measures both). It does what the express routes do
 * (routes.ts) with the same functions: the same `cors` handler first (its headers on every answer;
 * a preflight answered 204 by it), the same answers (read-answers.ts), caller and request id
 * (caller.ts: credential, failed-credential throttle, the client address by TRUST_PROXY_HOPS),
 * service calls and error bodies (respond.ts).
 *
 * Left to express (returns false, having touched nothing): any other path or method (HEAD, a path
 * in another case or with a trailing slash), a path segment that is not valid percent-encoding
 * (express refuses it in its own words, routes.ts), and every preflight when CORS is closed (no
 * origin allowed: the `cors` handler passes them on, and express' V2 catch-all answers them 404).
 * One difference, as on the GraphQL fast path: no `ETag` (express hashes every JSON answer for one,
 * and answers 304 to a matching `If-None-Match`; the model routes say `Cache-Control: no-store`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { Logger } from '../../lib/logger';
import type { BaseContext } from '../../graphql/context';
import { corsOptions } from '../../graphql/cors';
import type { Actor } from '../../modules/auth/actor';
import { decodedSegment, headerOf, requestIdOf, v2Actor } from './caller';
import { INFER_PATH } from './fast-infer';
import { liveAnswer, metadataBody, modelReadyBody, readyAnswer, serverBody, type V2Answer } from './read-answers';
import { sendError, sendJson } from './respond';
import { selectorOf } from './selector';
import { clientAddressOf } from '../../lib/client-address';

/** `/v2/models/{name}[/versions/{v}]` (metadata) and the same with `/ready` (readiness), as express' routes match them. */
const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready)?$/;

/** The public routes, by path. */
const PUBLIC_PATHS: Record<string, 'live' | 'ready' | 'server'> = { '/v2/health/live': 'live', '/v2/health/ready': 'ready', '/v2': 'server' };

/** A request this fast path answers. */
type ReadRoute = { kind: 'live' | 'ready' | 'server' | 'preflight' } | { kind: 'model' | 'modelReady'; name: string; version?: string };

/** What the fast path needs from the server. */
export interface FastReadsOptions {
  base: BaseContext;
  log: Logger;
  /** Resolves when the database is reachable (server readiness, /v2/health/ready). */
  ready: () => Promise<void>;
  /** Whether the `hop`th address from the right of X-Forwarded-For is a trusted proxy (TRUST_PROXY_HOPS). */
  trust: (address: string, hop: number) => boolean;
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** The route `method` and `path` (no query string) ask for, when this fast path answers it. */
function routeOf(method: string, path: string): ReadRoute | undefined {
  const publicRoute = PUBLIC_PATHS[path];
  if (method === 'OPTIONS') return publicRoute || MODEL_PATH.test(path) || INFER_PATH.test(path) ? { kind: 'preflight' } : undefined;
  if (publicRoute) return { kind: publicRoute };
  const m = MODEL_PATH.exec(path);
  if (!m) return undefined;
  const name = decodedSegment(m[1]!);
  const version = m[2] === undefined ? undefined : decodedSegment(m[2]);
  if (name === undefined || (m[2] !== undefined && version === undefined)) return undefined;
  return { kind: m[3] ? 'modelReady' : 'model', name, version };
}

/**
 * @returns a request listener that answers the V2 reads it takes and returns true, or returns false
 *   (having touched nothing) for express to answer.
 */
export function fastReads(opts: FastReadsOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { base, log } = opts;
  const options = corsOptions(base.config);
  // With these static options the handler runs synchronously: headers set, then `next`; a preflight ended (204).
  const corsHandler = cors(options) as unknown as Middleware;
  const preflights = options.origin !== false;
  const send = (res: ServerResponse, a: V2Answer) => sendJson(res, a.status, a.body);

  const answer = async (route: ReadRoute, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (!('name' in route)) {
      if (route.kind === 'live') return send(res, liveAnswer());
      if (route.kind === 'ready') return send(res, await readyAnswer(opts.ready));
      if (route.kind === 'server') return sendJson(res, 200, serverBody(base.version));
      return; // a preflight: answered by the cors handler
    }
    let actor: Actor | undefined;
    try {
      actor = await v2Actor(base, headerOf(req.headers.authorization), () => clientAddressOf(req, opts.trust));
      const selector = selectorOf(route.version);
      if (route.kind === 'model') return sendJson(res, 200, metadataBody(await base.services.infer.metadata(actor, route.name, selector)));
      await base.services.infer.ready(actor, route.name, selector);
      sendJson(res, 200, modelReadyBody(route.name));
    } catch (err) {
      // As express' route logs it: the request id and tenant once the credential passed.
      sendError(res, err, log, { path, requestId: actor && requestIdOf(req), tenantId: actor?.tenantId });
    }
  };

  return (req, res) => {
    const method = req.method ?? '';
    if (method !== 'GET' && !(method === 'OPTIONS' && preflights)) return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = routeOf(method, path);
    if (!route) return false;
    corsHandler(req, res, () => {
      answer(route, req, res, path).catch((err: unknown) => {
        if (!res.headersSent) sendError(res, err, log, { path });
      });
    });
    return true;
  };
}
