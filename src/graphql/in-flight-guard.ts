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
 * allowed origin can read it. A request without a credential, or with one that fails, and with a
 * body, counts for its client address instead (ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED; review F11:
 * such requests were bounded only by Node's timeouts), refused past it the same way with `reason`
 * IN_FLIGHT_UNAUTHENTICATED and `Connection: close`; bodiless ones (health checks, the explorer's
 * assets) are not counted. A place is given back when the answer is finished or the connection
 * closes, whichever comes first. The route answers it otherwise (and the failed-credential throttle
 * counts failures). Websockets have their own caps (WS_MAX_SOCKETS_PER_TENANT,
 * WS_MAX_UNAUTHENTICATED_PER_ADDRESS, WS_MAX_OPERATIONS_PER_SOCKET).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { addressKey } from '../lib/address-key';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { countIn, type Release } from '../modules/quotas/requests-in-flight';
import { sendAppError } from '../rest/v2/respond';
import type { BaseContext } from './context';
import { corsOptions } from './cors';
import { clientAddressOf } from '../lib/client-address';

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
export function inFlightGuard(
  base: BaseContext,
  log: Logger,
  trust: (address: string, hop: number) => boolean,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean {
  const { auth, inFlight } = base.services;
  const anonymous = new AnonymousInFlight(base.config.ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED);
  // The `cors` package's handler sets its headers synchronously for a request other than a preflight (which carries no credential).
  const corsHeaders = cors(corsOptions(base.config)) as unknown as Middleware;
  const refused = (req: IncomingMessage, res: ServerResponse, tenantId: string, err: unknown): false => {
    if (!(err instanceof AppError)) throw err;
    refuse(req, res, err, tenantId, log, corsHeaders);
    return false;
  };
  const admitted = (req: IncomingMessage, res: ServerResponse, tenantId: string, release: Release): boolean => {
    tenants.set(req, tenantId);
    return holdUntilDone(req, res, release);
  };
  /**
   * A request no tenant is known for, with a body: counted for its client address (bodiless ones —
   * health checks, assets — answer at once). One refused here with a credential that failed counts
   * for the failed-credential throttle, as its route would have counted it (review F11).
   */
  const admitAnonymous = (req: IncomingMessage, res: ServerResponse, credentialFailed = false): boolean | Promise<boolean> => {
    if (!hasBody(req)) return true;
    let release: Release;
    const address = clientAddressOf(req, trust);
    try {
      release = anonymous.acquire(address);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const answer = (): false => {
        res.setHeader('connection', 'close'); // a refused trickling body does not keep its socket
        refuse(req, res, err, undefined, log, corsHeaders);
        return false;
      };
      if (!credentialFailed) return answer();
      // Counted before the answer, so the client's next try finds it counted.
      return base.services.authThrottle.failed(address).then(answer, (e: unknown) => (log.warn({ err: e }, 'failed-credential throttle unavailable'), answer()));
    }
    return holdUntilDone(req, res, release);
  };
  return (req, res) => {
    const authorization = header(req.headers.authorization);
    if (!authorization) return admitAnonymous(req, res);
    return auth.authenticate(authorization).then(
      (actor) => {
        if (!actor) return admitAnonymous(req, res);
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
      () => admitAnonymous(req, res, true), // a credential that fails is the route's to answer (and the throttle's to count)
    );
  };
}

/** Whether `req` carries a body (a Content-Length above 0, or a Transfer-Encoding). */
const hasBody = (req: IncomingMessage) => {
  const length = header(req.headers['content-length']);
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
};

/**
 * Counts `release` out when the answer is finished or the connection goes, whichever comes first
 * (a response queued behind a pipelined one never emits 'close' when the socket closes; a client
 * that left while the credential was checked has closed already).
 * @returns false, released, when the connection is gone already: the route must not answer.
 */
function holdUntilDone(req: IncomingMessage, res: ServerResponse, release: Release): boolean {
  const socket = req.socket;
  if (res.closed || socket.destroyed) {
    release();
    return false;
  }
  // One 'close' listener per connection, not per request: pipelined requests added one each
  // (review 6: MaxListenersExceededWarning at will), and a keep-alive connection's requests each
  // added and removed theirs.
  let held = holding.get(socket);
  if (!held) {
    const all = (held = new Set());
    holding.set(socket, all);
    socket.once('close', () => {
      holding.delete(socket);
      for (const done of all) done();
    });
  }
  const waiting = held;
  const done = () => {
    res.off('close', done);
    waiting.delete(done);
    release();
  };
  res.once('close', done);
  waiting.add(done);
  return true;
}

/** The requests each connection holds in progress, counted out when it closes ({@link holdUntilDone}). */
const holding = new WeakMap<IncomingMessage['socket'], Set<() => void>>();

function refuse(req: IncomingMessage, res: ServerResponse, e: AppError, tenantId: string | undefined, log: Logger, corsHeaders: Middleware): void {
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

/** Requests without an accepted credential in progress, per client address (ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED). */
class AnonymousInFlight {
  private readonly held = new Map<string, number>();

  constructor(private readonly max: number) {}

  /**
   * Counts a request from `address` in (an IPv6 address under its /64: {@link addressKey}).
   * @returns the function that counts it out (idempotent).
   * @throws AppError QUOTA_EXCEEDED (`reason` IN_FLIGHT_UNAUTHENTICATED, `limit`, `retryAfterSeconds` 1)
   *   when the address already has the most such requests in progress.
   */
  acquire(address: string): Release {
    const key = addressKey(address);
    const now = this.held.get(key) ?? 0;
    if (now >= this.max) {
      throw new AppError(
        'QUOTA_EXCEEDED',
        `This client address already has ${now} requests without an accepted credential in progress on this server, the most at once (ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED=${this.max}); send a credential, or retry when one has been answered`,
        { reason: 'IN_FLIGHT_UNAUTHENTICATED', limit: this.max, retryAfterSeconds: 1 },
      );
    }
    return countIn(this.held, key);
  }
}
