/**
 * Who may read /metrics, and where it is served.
 * - METRICS_PORT set: only on that separate listener (METRICS_HOST, loopback by default).
 * - METRICS_TOKEN set: `Authorization: Bearer <token>` is required (401 without it, compared in
 *   constant time), on whichever listener serves it.
 * - Neither set: open on the public listener outside production; absent (404) in production.
 * A wrong token counts as a failed authentication of the client address (AuthThrottle): past
 * AUTH_FAILURES_PER_ADDRESS, wrong tokens get 429 QUOTA_EXCEEDED with Retry-After.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from '../config';
import type { Metrics } from '../lib/metrics';
import type { AuthThrottle } from '../modules/auth/auth-throttle';
import { withBaselineHeaders } from './response-headers';
import { UNKNOWN_ADDRESS } from '../lib/client-address';

type MetricsConfig = Pick<Config, 'NODE_ENV' | 'METRICS_TOKEN' | 'METRICS_PORT' | 'METRICS_HOST' | 'TRUST_PROXY_HOPS'>;

/** Whether the public listener serves /metrics at all. */
export function metricsOnPublicListener(config: MetricsConfig): boolean {
  if (config.METRICS_PORT !== undefined) return false;
  return config.NODE_ENV !== 'production' || config.METRICS_TOKEN !== undefined;
}

const sameSecret = (presented: string, expected: string) =>
  crypto.timingSafeEqual(crypto.createHash('sha256').update(presented).digest(), crypto.createHash('sha256').update(expected).digest());

/** The /metrics handler: checks the bearer token when METRICS_TOKEN is set; wrong ones count in `throttle`. */
export function metricsHandler(config: MetricsConfig, metrics: Metrics, throttle: AuthThrottle): express.RequestHandler {
  return async (req, res) => {
    if (config.METRICS_TOKEN !== undefined) {
      const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!presented || !sameSecret(presented, config.METRICS_TOKEN)) {
        // A missing header is not a guess.
        const limited = presented ? await throttle.failed(req.ip ?? req.socket.remoteAddress ?? UNKNOWN_ADDRESS) : undefined;
        if (limited) {
          const retryAfterSeconds = limited.details!.retryAfterSeconds as number;
          res
            .status(429)
            .set('retry-after', String(retryAfterSeconds))
            .json({ errors: [{ message: limited.message, extensions: { code: limited.code, retryAfterSeconds } }] });
          return;
        }
        res
          .status(401)
          .set('www-authenticate', 'Bearer realm="metrics"')
          .json({ errors: [{ message: '/metrics needs the header Authorization: Bearer <METRICS_TOKEN>', extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
    }
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** A separate listener that serves only /metrics (METRICS_PORT). */
export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/** @throws Error when METRICS_HOST:METRICS_PORT cannot be listened on. */
export async function startMetricsListener(config: MetricsConfig & { METRICS_PORT: number }, metrics: Metrics, throttle: AuthThrottle): Promise<MetricsListener> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.get('/metrics', metricsHandler(config, metrics, throttle));
  const server = http.createServer(withBaselineHeaders(app));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`Cannot listen on ${config.METRICS_HOST}:${config.METRICS_PORT} (METRICS_PORT): ${err.message}`)));
    server.listen(config.METRICS_PORT, config.METRICS_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.METRICS_HOST}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
