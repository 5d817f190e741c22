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

/** The options for `cors()` from CORS_ORIGINS and NODE_ENV. */
export function corsOptions(config: Pick<Config, 'NODE_ENV' | 'CORS_ORIGINS'>): CorsOptions {
  const origins = config.CORS_ORIGINS ?? (config.NODE_ENV === 'production' ? [] : ['*']);
  if (origins.includes('*')) return { origin: '*' };
  // A list: the request's Origin is echoed back only when listed (and `Vary: Origin` is set).
  return { origin: origins.length ? origins : false };
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
