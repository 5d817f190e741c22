/**
 * CORS for /graphql (the `cors` package). CORS_ORIGINS lists the browser origins allowed; `*`
 * allows any. Unset, it is `*` outside production and closed in production (no
 * Access-Control-Allow-Origin header, so browsers refuse cross-origin calls). Non-browser clients
 * are not affected: CORS only tells browsers what to let pages read.
 */
import type { CorsOptions } from 'cors';
import type { Config } from '../config';

/** The options for `cors()` from CORS_ORIGINS and NODE_ENV. */
export function corsOptions(config: Pick<Config, 'NODE_ENV' | 'CORS_ORIGINS'>): CorsOptions {
  const origins = config.CORS_ORIGINS ?? (config.NODE_ENV === 'production' ? [] : ['*']);
  if (origins.includes('*')) return { origin: '*' };
  // A list: the request's Origin is echoed back only when listed (and `Vary: Origin` is set).
  return { origin: origins.length ? origins : false };
}
