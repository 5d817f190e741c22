/**
 * Headers every HTTP response of the API carries, whichever route answers it (GraphQL, REST /v2 and
 * its fast path, downloads, the console, the explorer, health, metrics, 404s):
 * - `X-Content-Type-Options: nosniff`: a browser takes each body as its declared type, never
 *   sniffs a JSON error or a CSV cell into script or HTML;
 * - no `X-Powered-By` (express names itself unless told not to: `app.disable('x-powered-by')`).
 * - `Cache-Control: no-store` on the V2 model routes (`/v2/models/…`: a tenant's models and
 *   predictions), as Apollo sends on GraphQL answers, on both the fast path and express.
 * Route-specific headers live with their routes: the console's and explorer's Content-Security-Policy
 * (console.ts, explorer.ts), `Cache-Control: no-store` on downloads (src/rest/download.ts).
 */
import type http from 'node:http';

/** Set on every response before any route sees the request; a route may add to them. */
export const BASELINE_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };

/**
 * Wraps a node request listener so every response starts with {@link BASELINE_HEADERS}: set with
 * `setHeader`, so `writeHead` (the V2 fast path) and express' `res.set` keep them.
 */
export function withBaselineHeaders(listener: http.RequestListener): http.RequestListener {
  return (req, res) => {
    for (const [name, value] of Object.entries(BASELINE_HEADERS)) res.setHeader(name, value);
    if (req.url?.startsWith('/v2/models')) res.setHeader('cache-control', 'no-store');
    listener(req, res);
  };
}
