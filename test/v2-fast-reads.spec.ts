/**
 * The V2 reads' fast path (src/rest/v2/fast-reads.ts) answers every request it takes exactly as
 * express' routes do (src/rest/v2/routes.ts): each request goes to an API process with V2_FAST_PATH
 * on (the default) and to one with it off, on the same database, and status, body (byte for byte)
 * and the headers a client reads must match — health, server metadata, model metadata and readiness
 * by latest, number and alias, every refusal (credential, scope, another tenant's model, unknown
 * version, a model whose first run is queued, bad paths), and CORS on answers and preflights for a
 * listed, an unlisted and no origin, under a list of origins, `*`, and CORS closed.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { uploadModelOk } from './support/onnx-uploads';
import { startRun } from './support/training';

/** The headers a client or a browser reads (Date and Connection are Node's own, alike on both). */
const HEADERS = [
  'content-type',
  'content-length',
  'cache-control',
  'x-content-type-options',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-max-age',
  'vary',
  'retry-after',
  'www-authenticate',
  'allow',
];
const LISTED = 'https://ok.example';
const UNLISTED = 'https://evil.example';
const ORIGINS = [undefined, LISTED, UNLISTED];

let setup: App;
let a: TenantBundle;
let b: TenantBundle;
let readOnlyKey: string;

beforeAll(async () => {
  setup = await startTestApp({ WORKER_ENABLED: 'false' });
  a = await createTenant(setup, 'reads-a');
  b = await createTenant(setup, 'reads-b');
  await uploadModelOk(a, 'digits', 'mnist-8.onnx');
  await gqlOk(a, 'mutation { setModelAlias(model: "digits", alias: "production", version: 1) { version } }');
  // No worker runs: this model's first run stays queued (MODEL_NOT_READY).
  await startRun(a, await uploadCsv(a, PIMA_CSV, 'pima'), 'queued');
  readOnlyKey = (await gqlOk(a, 'mutation { createApiKey(input: { name: "reads-no-predict", scopes: [MODELS_READ] }) { key } }')).createApiKey.key as string;
}, 120_000);
afterAll(() => setup.stop());

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | null>;
}

interface Request {
  method?: string;
  token?: string;
  origin?: string;
  headers?: Record<string, string>;
}

async function send(app: App, path: string, r: Request): Promise<Answer> {
  const headers: Record<string, string> = { ...(r.token ? { authorization: `Bearer ${r.token}` } : {}), ...(r.origin ? { origin: r.origin } : {}), ...r.headers };
  const res = await fetch(app.server.url.replace(/\/graphql$/, '') + path, { method: r.method ?? 'GET', headers });
  return { status: res.status, body: await res.text(), headers: Object.fromEntries(HEADERS.map((h) => [h, res.headers.get(h)])) };
}

describe.each([
  ['a list of origins', LISTED],
  ['any origin', '*'],
  ['CORS closed', ','],
])('CORS_ORIGINS %s', (_what, origins) => {
  let fast: App;
  let viaExpress: App;
  beforeAll(async () => {
    fast = await startAppOnWorkerDatabase({ CORS_ORIGINS: origins, WORKER_ENABLED: 'false' });
    viaExpress = await startAppOnWorkerDatabase({ CORS_ORIGINS: origins, V2_FAST_PATH: 'false', WORKER_ENABLED: 'false' });
  });
  afterAll(async () => {
    await viaExpress.stop();
    await fast.stop();
  });

  /** Sends `r` to `path` on both processes; they must answer alike. @returns the fast path's answer. */
  async function same(path: string, r: Request = {}): Promise<Answer> {
    const [x, y] = [await send(fast, path, r), await send(viaExpress, path, r)];
    expect({ path, ...x }).toEqual({ path, ...y });
    return x;
  }

  it('answers health and server metadata alike, from any origin and with a query string', async () => {
    for (const origin of ORIGINS) {
      expect(JSON.parse((await same('/v2/health/live', { origin })).body)).toEqual({ live: true });
      expect(JSON.parse((await same('/v2/health/ready', { origin })).body)).toEqual({ ready: true });
      expect(JSON.parse((await same('/v2', { origin })).body)).toMatchObject({ name: 'maas', extensions: ['binary_tensor_data', 'classification'] });
      expect((await same('/v2?pretty=1', { origin, token: a.token })).status).toBe(200);
    }
  });

  it("answers a model's metadata and readiness alike by latest, number, alias and an encoded name", async () => {
    for (const origin of ORIGINS) {
      const latest = await same('/v2/models/digits', { origin, token: a.token });
      expect([latest.status, JSON.parse(latest.body)]).toEqual([200, expect.objectContaining({ name: 'digits', versions: ['1'], platform: 'onnx' })]);
      expect(latest.headers['cache-control']).toBe('no-store');
      for (const path of ['/v2/models/digits/versions/1', '/v2/models/digits/versions/production', '/v2/models/dig%69ts'])
        expect((await same(path, { origin, token: a.token })).body).toBe(latest.body);
      for (const path of ['/v2/models/digits/ready', '/v2/models/digits/versions/1/ready', '/v2/models/digits/versions/production/ready']) {
        expect(JSON.parse((await same(path, { origin, token: a.token })).body)).toEqual({ name: 'digits', ready: true });
      }
    }
  });

  it('refuses alike: no or a bad credential, no predict scope, another tenant, unknown model or version, a queued model, a long alias, a NUL', async () => {
    const cases: [string, Request, number][] = [
      ['/v2/models/digits', {}, 401],
      ['/v2/models/digits/ready', { token: 'not-a-key' }, 401],
      ['/v2/models/digits', { token: readOnlyKey }, 403],
      ['/v2/models/digits', { token: b.token }, 404],
      ['/v2/models/nope/ready', { token: a.token }, 404],
      ['/v2/models/digits/versions/9', { token: a.token }, 404],
      ['/v2/models/digits/versions/staging/ready', { token: a.token }, 404],
      ['/v2/models/queued', { token: a.token }, 503],
      ['/v2/models/queued/ready', { token: a.token }, 503],
      [`/v2/models/digits/versions/${'x'.repeat(201)}`, { token: a.token }, 400],
      ['/v2/models/dig%00its', { token: a.token }, 400],
    ];
    for (const [path, r, status] of cases) {
      const answer = await same(path, { ...r, origin: LISTED });
      expect([path, answer.status, JSON.parse(answer.body).error]).toEqual([path, status, expect.any(String)]);
    }
  });

  it('leaves to express alike what the fast path does not take: bad encoding, other case, trailing slash, HEAD, other paths', async () => {
    const auth = { token: a.token, origin: LISTED };
    expect((await same('/v2/models/%E0%A4%A', auth)).status).toBe(400);
    for (const path of ['/V2/models/digits', '/v2/models/digits/', '/v2/health/live/', '/v2/']) expect((await same(path, auth)).status).toBe(200);
    for (const path of ['/v2/models/digits/versions', '/v2/models/digits/infer', '/v2/models', '/v2/nope']) expect((await same(path, auth)).status).toBe(404);
    expect((await same('/v2/models/digits', { ...auth, method: 'HEAD' })).status).toBe(200);
    expect((await same('/v2/health/live', { method: 'HEAD' })).status).toBe(200);
  });

  it('answers CORS preflights alike on every V2 path', async () => {
    const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' };
    for (const origin of ORIGINS) {
      for (const path of [
        '/v2/models/digits',
        '/v2/models/digits/infer',
        '/v2/models/digits/versions/1/infer',
        '/v2/models/digits/versions/1/ready',
        '/v2/health/live',
        '/v2',
        '/v2/nope',
      ]) {
        await same(path, { method: 'OPTIONS', origin, headers: preflight });
      }
    }
  });

  it('really answers on the fast path (no ETag, which express adds)', async () => {
    for (const [path, token] of [
      ['/v2', undefined],
      ['/v2/health/live', undefined],
      ['/v2/models/digits', a.token],
      ['/v2/models/digits/ready', a.token],
    ] as const) {
      const init: RequestInit = { headers: token ? { authorization: `Bearer ${token}` } : {} };
      const base = (app: App) => app.server.url.replace(/\/graphql$/, '');
      expect((await fetch(base(fast) + path, init)).headers.get('etag')).toBeNull();
      expect((await fetch(base(viaExpress) + path, init)).headers.get('etag')).toMatch(/^W\//);
    }
  });
});
