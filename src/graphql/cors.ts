/**
 * CORS for /graphql (the `cors` package). CORS_ORIGINS lists the browser origins allowed; `*`
 * allows any. Unset, it is `*` outside production and closed in production (no
 * Access-Control-Allow-Origin header, so browsers refuse cross-origin calls). Non-browser clients
 * are not affected: CORS only tells browsers what to let pages read.
 *
 * Browsers apply no CORS to websockets, so the websocket upgrade checks the same list itself
 * (cross-site websocket hijacking): a browser's `Origin` must be listed or be the server's own.
 */
import type { IncomingMessage } from 'node:http';
import type { CorsOptions } from 'cors';
import type { Config } from '../config';

/**
 * Response headers a page of an allowed origin may read besides the CORS-safelisted ones
 * (Access-Control-Expose-Headers): `Retry-After`, which 429 and 503 answers carry, so a browser
 * client can wait as told. Every route with CORS — /graphql (fast path and express), /v2, and the
 * in-flight guard's refusals — sends this one list, through {@link corsOptions}.
 */
export const EXPOSED_HEADERS: readonly string[] = ['Retry-After'];

/** The options for `cors()` from CORS_ORIGINS and NODE_ENV, exposing {@link EXPOSED_HEADERS}. */
export function corsOptions(config: Pick<Config, 'NODE_ENV' | 'CORS_ORIGINS'>): CorsOptions {
  const origins = config.CORS_ORIGINS ?? (config.NODE_ENV === 'production' ? [] : ['*']);
  const exposedHeaders = [...EXPOSED_HEADERS];
  if (origins.includes('*')) return { origin: '*', exposedHeaders };
  // A list: the request's Origin is echoed back only when listed (and `Vary: Origin` is set).
  return { origin: origins.length ? origins : false, exposedHeaders };
}

/**
 * Whether a websocket upgrade may proceed: no Origin (not a browser), `*`, a listed origin, or the
 * page's own origin (Origin's host equals the Host header).
 */
export function websocketOriginAllowed(config: Pick<Config, 'NODE_ENV' | 'CORS_ORIGINS'>, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  const origins = config.CORS_ORIGINS ?? (config.NODE_ENV === 'production' ? [] : ['*']);
  if (origins.includes('*') || origins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
