/**
 * The per-tenant cap on HTTP requests in progress (the tenant's `maxRequestsInFlight` set with
 * setTenantLimits, else TENANT_MAX_IN_FLIGHT; src/modules/quotas/requests-in-flight.ts), applied on
 * the HTTP server's request listener before any route — the GraphQL and V2 fast paths, express —
 * reads the body. A request with a credential that authenticates (the same cached check
 * `buildContext` makes) counts for its tenant until its response is finished or its connection
 * closes; past the cap it is answered at once with 429 QUOTA_EXCEEDED (`extensions.reason`
 * `IN_FLIGHT`, `limit`, `retryAfterSeconds`; `Retry-After`), in the V2 error shape under /v2, in the
 * GraphQL shape elsewhere, its body never read. On /graphql and /v2 — the routes with CORS — the
 * refusal carries the CORS headers those routes send (cors.ts, CORS_ORIGINS), so a page of an
 * allowed origin can read it. A request without a credential, or with one that fails, is not
 * counted here: the route answers it as before (and the failed-credential throttle counts it).
 * Websockets have their own caps (WS_MAX_SOCKETS_PER_TENANT, WS_MAX_OPERATIONS_PER_SOCKET).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { Release } from '../modules/quotas/requests-in-flight';
import { sendAppError } from '../rest/v2/respond';
import type { BaseContext } from './context';
import { corsOptions } from './cors';

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** The tenant of each request this guard counted (its credential authenticated). */
const tenants = new WeakMap<IncomingMessage, string>();

/** The tenant whose credential `req` carries, when the guard counted it (undefined: no credential, or one that failed). */
export const admittedTenant = (req: IncomingMessage): string | undefined => tenants.get(req);

/** Whether the route answering `url` sends CORS headers: express' /graphql and /v2 mounts (matched without case, as express does) and the fast paths. */
function hasCors(url: string): boolean {
  const path = url.split('?', 1)[0]!.toLowerCase();
  return path === '/graphql' || path.startsWith('/graphql/') || path === '/v2' || path.startsWith('/v2/');
}

/**
 * @returns a function that admits a request: resolves true when the route may answer it (counted
 *   out when its response closes), false when it was refused and answered here.
 */
export function inFlightGuard(base: BaseContext, log: Logger): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | true {
  const { auth, inFlight } = base.services;
  // The `cors` package's handler sets its headers synchronously for a request other than a preflight (which carries no credential).
  const corsHeaders = cors(corsOptions(base.config)) as unknown as Middleware;
  const refused = (req: IncomingMessage, res: ServerResponse, tenantId: string, err: unknown): false => {
    if (!(err instanceof AppError)) throw err;
    refuse(req, res, err, tenantId, log, corsHeaders);
    return false;
  };
  const admitted = (req: IncomingMessage, res: ServerResponse, tenantId: string, release: Release): true => {
    tenants.set(req, tenantId);
    res.once('close', release);
    return true;
  };
  return (req, res) => {
    const authorization = header(req.headers.authorization);
    if (!authorization) return true;
    return auth.authenticate(authorization).then(
      (actor) => {
        if (!actor) return true;
        let release: Release | Promise<Release>;
        try {
          release = inFlight.acquire(actor.tenantId);
        } catch (err) {
          return refused(req, res, actor.tenantId, err);
        }
        if (!(release instanceof Promise)) return admitted(req, res, actor.tenantId, release);
        return release.then(
          (r) => admitted(req, res, actor.tenantId, r),
          (err: unknown) => refused(req, res, actor.tenantId, err),
        );
      },
      () => true, // a credential that fails is the route's to answer (and the throttle's to count)
    );
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, e: AppError, tenantId: string, log: Logger, corsHeaders: Middleware): void {
  log.info({ tenantId, path: req.url?.slice(0, 200), code: e.code, reason: e.details?.reason, transport: 'http' }, 'client error');
  req.resume(); // the body is not read: drained so the connection can serve the next request
  // Not for OPTIONS, which the handler would answer itself (a browser's preflight carries no credential, so never gets here).
  if (req.method !== 'OPTIONS' && hasCors(req.url ?? '')) corsHeaders(req, res, () => undefined);
  if (req.url?.startsWith('/v2/')) return sendAppError(res, e);
  const text = JSON.stringify({ errors: [{ message: e.message, extensions: { ...e.details, code: e.code } }] });
  res.writeHead(429, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'retry-after': String(e.details?.retryAfterSeconds ?? 1),
  });
  res.end(text);
}
