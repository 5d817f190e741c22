/**
 * Response headers on every kind of route (issue 10): `X-Content-Type-Options: nosniff` and no
 * `X-Powered-By` everywhere (GraphQL, REST /v2 and its fast path, downloads, console, explorer,
 * health, metrics, 404s, errors); `Cache-Control: no-store` on downloads (a tenant's data); the
 * explorer page and the console page framed by no one (CSP `frame-ancestors 'none'`).
 * src/graphql/response-headers.ts, explorer.ts, console.ts, src/rest/download.ts.
 */
import type { App } from '../../src/app';
import { gqlOk } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { runBatch } from '../support/batch';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { trainVersion } from '../support/training';

let app: App;
let t: TenantBundle;
let origin: string;
let batchPath: string;
/** The separate /metrics listener (METRICS_PORT) of a second app. */
let metricsApp: App;

const CSV = ['x,label', ...Array.from({ length: 40 }, (_, i) => `${(i % 10) / 10},${i % 10 >= 5 ? 1 : 0}`)].join('\n');
const SPEC = { layers: [{ type: 'DENSE', units: 1, inputDim: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY', optimizer: { name: 'ADAM' }, epochs: 1, batchSize: 16 };

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'headers');
  origin = app.server.url.replace(/\/graphql$/, '');
  const datasetId = await uploadCsv(t, CSV, 'headers');
  await trainVersion(t, { datasetId, targetColumn: 'label', modelName: 'headers', spec: SPEC });
  batchPath = await runBatch(t, 'headers', datasetId);
});
afterAll(async () => {
  await metricsApp?.stop();
  await app.stop();
});

const auth = () => ({ authorization: `Bearer ${t.token}` });
const json = { 'content-type': 'application/json' };

/** [what, method, path, headers, body, expected status]: every kind of route, answers and refusals. */
const ROUTES: [string, string, string, () => Record<string, string>, string | undefined, number][] = [
  ['GraphQL POST', 'POST', '/graphql', () => ({ ...auth(), ...json }), '{"query":"{ viewer { tenantName } }"}', 200],
  ['GraphQL GET', 'GET', '/graphql?query=%7B__typename%7D', () => ({ ...auth(), 'apollo-require-preflight': '1' }), undefined, 200],
  ['GraphQL malformed body', 'POST', '/graphql', () => json, '{"query":', 400],
  ['GraphQL unauthenticated', 'POST', '/graphql', () => json, '{"query":"{ viewer { tenantName } }"}', 200],
  ['explorer page', 'GET', '/graphql', () => ({ accept: 'text/html' }), undefined, 200],
  ['explorer asset', 'GET', '/graphql-explorer/explorer.js', () => ({}), undefined, 200],
  ['console page', 'GET', '/console', () => ({}), undefined, 200],
  ['console asset', 'GET', '/console/assets/console.js', () => ({}), undefined, 200],
  ['REST /v2 metadata', 'GET', '/v2', () => ({}), undefined, 200],
  ['REST /v2 health', 'GET', '/v2/health/live', () => ({}), undefined, 200],
  ['REST /v2 model metadata', 'GET', '/v2/models/headers', auth, undefined, 200],
  ['REST /v2 infer (fast path)', 'POST', '/v2/models/headers/infer', () => ({ ...auth(), ...json }), '{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[0.5]}]}', 200],
  ['REST /v2 infer refused (fast path)', 'POST', '/v2/models/nope/infer', () => ({ ...auth(), ...json }), '{"inputs":[]}', 404],
  [
    'REST /v2 infer (express route, CORS)',
    'POST',
    '/v2/models/headers/infer',
    () => ({ ...auth(), ...json, origin }),
    '{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[0.5]}]}',
    200,
  ],
  ['healthz', 'GET', '/healthz', () => ({}), undefined, 200],
  ['readyz', 'GET', '/readyz', () => ({}), undefined, 200],
  ['metrics', 'GET', '/metrics', () => ({}), undefined, 200],
  ['404 GET', 'GET', '/no-such-route', () => ({}), undefined, 404],
  ['404 POST', 'POST', '/no-such-route', () => json, '{}', 404],
  ['batch result download', 'GET', '(batch)', auth, undefined, 200],
  ['batch result download, unauthenticated', 'GET', '(batch)', () => ({}), undefined, 401],
  ['batch result download, unknown id', 'GET', '/batch-predictions/00000000-0000-0000-0000-000000000000.csv', auth, undefined, 404],
  ['model export download', 'GET', '/models/headers/export?format=tfjs', auth, undefined, 200],
];

describe.each(ROUTES)('%s', (what, method, path, headers, body, status) => {
  let res: Response;
  beforeAll(async () => {
    res = await fetch(origin + (path === '(batch)' ? batchPath : path), { method, headers: headers(), body });
    await res.arrayBuffer();
  });

  it(`answers ${status} with X-Content-Type-Options: nosniff and no X-Powered-By`, () => {
    expect([what, res.status]).toEqual([what, status]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  if (
    what.includes('download') ||
    what.startsWith('REST /v2 model metadata') ||
    what.startsWith('REST /v2 infer') ||
    ['GraphQL POST', 'GraphQL GET', 'GraphQL unauthenticated'].includes(what)
  ) {
    it('carries Cache-Control: no-store (a tenant’s data, never kept by a browser or a shared cache)', () => {
      expect(res.headers.get('cache-control')).toBe('no-store');
    });
  }
  if (what === 'batch result download') {
    it('is the CSV itself', () => expect(res.headers.get('content-type')).toMatch(/^text\/csv/));
  }
  if (what === 'explorer page' || what === 'console page') {
    it('carries a Content-Security-Policy that no other page may frame', () => {
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/(^|;\s*)frame-ancestors 'none'(;|$)/);
      expect(csp).toMatch(/(^|;\s*)default-src 'self'(;|$)/);
      expect(csp).toMatch(/(^|;\s*)script-src 'self'(;|$)/);
    });
  }
});

it('adds no explorer CSP to GraphQL JSON answers', async () => {
  const res = await fetch(origin + '/graphql', { method: 'POST', headers: { ...auth(), ...json }, body: '{"query":"{ __typename }"}' });
  expect(res.headers.get('content-security-policy')).toBeNull();
  expect((await gqlOk(t, '{ viewer { tenantName } }')).viewer.tenantName).toBe(t.name);
});

it('the separate /metrics listener (METRICS_PORT) carries nosniff and no X-Powered-By, its 404s too', async () => {
  metricsApp = await startTestApp({ WORKER_ENABLED: 'false', METRICS_PORT: '0' });
  const url = metricsApp.server.metricsUrl!;
  for (const [path, status] of [
    [url, 200],
    [url.replace(/\/metrics$/, '/nope'), 404],
  ] as const) {
    const res = await fetch(path);
    await res.arrayBuffer();
    expect([path, res.status, res.headers.get('x-content-type-options'), res.headers.get('x-powered-by')]).toEqual([path, status, 'nosniff', null]);
  }
});
