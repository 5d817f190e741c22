/** /metrics access (token, separate port, closed in production), metric labels, and CORS headers. */
import WebSocket from 'ws';
import type { App } from '../../src/app';
import { Metrics } from '../../src/lib/metrics';
import { startTestApp } from '../support/app';

const TOKEN = 'metrics-token-metrics-token';
const base = (app: App) => app.server.url.replace(/\/graphql$/, '');

async function withApp(env: Record<string, string>, body: (app: App) => Promise<void>) {
  const app = await startTestApp({ WORKER_ENABLED: 'false', ...env });
  try {
    await body(app);
  } finally {
    await app.stop();
  }
}

const preflight = (app: App, origin: string) =>
  fetch(app.server.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
const post = (app: App, origin: string) =>
  fetch(app.server.url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ serverInfo { version } }' }) });

describe('/metrics', () => {
  it('is open outside production when no token is set, and CORS allows any origin there', () =>
    withApp({}, async (app) => {
      const r = await fetch(`${base(app)}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('maas_graphql_requests_total');
      expect((await post(app, 'https://anywhere.example')).headers.get('access-control-allow-origin')).toBe('*');
    }));

  it('with METRICS_TOKEN, answers 401 UNAUTHENTICATED without the bearer token or with a wrong one, 200 with it', () =>
    withApp({ METRICS_TOKEN: TOKEN }, async (app) => {
      for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN}x`]) {
        const r = await fetch(`${base(app)}/metrics`, { headers: authorization ? { authorization } : {} });
        expect([authorization, r.status]).toEqual([authorization, 401]);
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
        expect((await r.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      const ok = await fetch(`${base(app)}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('maas_predictions_total');
    }));

  it('is absent from the public listener in production unless METRICS_TOKEN is set; CORS is closed there unless CORS_ORIGINS is set', () =>
    withApp({ NODE_ENV: 'production' }, async (app) => {
      expect((await fetch(`${base(app)}/metrics`)).status).toBe(404);
      const r = await post(app, 'https://evil.example');
      expect(r.status).toBe(200); // CORS does not stop non-browser clients; browsers see no allow-origin header
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(app, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    }));

  it('with METRICS_PORT, is served only on that listener (with the token when set)', () =>
    withApp({ NODE_ENV: 'production', METRICS_PORT: '0', METRICS_TOKEN: TOKEN }, async (app) => {
      expect((await fetch(`${base(app)}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      expect(app.server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await fetch(app.server.metricsUrl!)).status).toBe(401);
      expect((await fetch(app.server.metricsUrl!, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    }));
});

describe('metric labels', () => {
  it('name no tenant or model by default', async () => {
    const metrics = new Metrics();
    metrics.countPredictions('tenant-id-1', 'churn-model', 3);
    const text = await metrics.registry.metrics();
    expect(text).toContain('\nmaas_predictions_total 3\n');
    expect(text).not.toMatch(/tenant-id-1|churn-model|tenant=/);
  });

  it('name the tenant and model when METRICS_TENANT_LABELS asks for it', async () => {
    const metrics = new Metrics({ tenantLabels: true });
    metrics.countPredictions('tenant-id-1', 'churn-model', 3);
    expect(await metrics.registry.metrics()).toContain('maas_predictions_total{tenant="tenant-id-1",model="churn-model"} 3');
  });
});

describe('CORS_ORIGINS', () => {
  it('echoes a listed origin only, on preflight and on the request', () =>
    withApp({ NODE_ENV: 'production', CORS_ORIGINS: 'https://app.example.com, https://admin.example.com' }, async (app) => {
      for (const origin of ['https://app.example.com', 'https://admin.example.com']) {
        const pre = await preflight(app, origin);
        expect(pre.status).toBe(204);
        expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
        expect((await post(app, origin)).headers.get('access-control-allow-origin')).toBe(origin);
        expect((await post(app, origin)).headers.get('vary')).toMatch(/Origin/);
      }
      for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null']) {
        expect([origin, (await preflight(app, origin)).headers.get('access-control-allow-origin')]).toEqual([origin, null]);
        expect([origin, (await post(app, origin)).headers.get('access-control-allow-origin')]).toEqual([origin, null]);
      }
    }));

  it('applies the same list to the websocket upgrade: a foreign browser origin is refused, no Origin or the own origin is not', () =>
    withApp({ NODE_ENV: 'production', CORS_ORIGINS: 'https://app.example.com' }, async (app) => {
      const upgrade = (headers: Record<string, string>) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(app.server.wsUrl, 'graphql-transport-ws', { headers });
          ws.on('open', () => {
            ws.close();
            resolve('open');
          });
          ws.on('unexpected-response', (_req, res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += String(d)));
            res.on('end', () => resolve(`refused ${res.statusCode} ${res.headers['content-type']} ${body}`));
          });
          ws.on('error', (err) => resolve(`error ${err.message}`));
        });
      const own = new URL(app.server.url).origin;
      // In the API's JSON error shape, not ws' text/html (review F5).
      expect(await upgrade({ origin: 'https://evil.example' })).toBe(
        `refused 403 application/json; charset=utf-8 ${JSON.stringify({ errors: [{ message: "This page's origin may not open a websocket here (CORS_ORIGINS)", extensions: { code: 'FORBIDDEN', reason: 'ORIGIN_NOT_ALLOWED' } }] })}`,
      );
      expect(await upgrade({ origin: 'https://app.example.com' })).toBe('open');
      expect(await upgrade({ origin: own })).toBe('open');
      expect(await upgrade({})).toBe('open');
    }));

  it('refuses a malformed origin list at start, naming the variable', async () => {
    await expect(startTestApp({ CORS_ORIGINS: 'https://app.example.com/path' })).rejects.toThrow(
      /CORS_ORIGINS="https:\/\/app.example.com\/path": each origin is `\*` or scheme:\/\/host\[:port\], without a path/,
    );
  });
});
