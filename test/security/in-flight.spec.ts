/**
 * Per-tenant cap on HTTP requests in progress (TENANT_MAX_IN_FLIGHT, issue 10: one tenant's many
 * heavy calls slowed every other tenant's requests on the shared event loop). Requests are held in
 * progress by sending their headers and only part of their body, so the counts are exact, not
 * timed: past the cap a tenant's next request is refused at once with 429 QUOTA_EXCEEDED (reason
 * IN_FLIGHT) on every route — GraphQL, V2, multipart, downloads — and so is an operation on the
 * tenant's websocket (on its id; the socket stays), while another tenant's requests and requests
 * with a failing credential are untouched; a held request that
 * is answered or abandoned frees its place. The operator sets the cap per tenant (setTenantLimits
 * `maxRequestsInFlight`), applied at the tenant's next request; a refusal carries the CORS headers
 * of /graphql and /v2, so a page of an allowed origin can read it.
 */
import http from 'node:http';
import type { App } from '../../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, type TenantBundle } from '../support/factories';
import { ADMIN_SECRET } from '../support/secrets';
import { v2 } from '../support/v2';

const CAP = 2;
/** The one browser origin CORS_ORIGINS allows. */
const ORIGIN = 'https://console.example';
const VIEWER = '{ viewer { tenantId } }';
const MESSAGE = `This tenant already has ${CAP} requests in progress on this server, the most at once (TENANT_MAX_IN_FLIGHT=${CAP}); retry when one has been answered`;
const DETAILS = { reason: 'IN_FLIGHT', limit: CAP, retryAfterSeconds: 1 };

let app: App;
let a: TenantBundle;
let b: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ TENANT_MAX_IN_FLIGHT: String(CAP), WORKER_ENABLED: 'false', CORS_ORIGINS: ORIGIN });
  a = await createTenant(app, 'inflight-a');
  b = await createTenant(app, 'inflight-b');
});
afterAll(() => app.stop());

/** Waits (polling the server's own count) until `tenant` has `n` requests in progress. */
async function inFlight(tenant: TenantBundle, n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (app.services.inFlight.count(tenant.tenantId) !== n) {
    if (Date.now() > deadline) throw new Error(`${tenant.name} has ${app.services.inFlight.count(tenant.tenantId)} requests in progress, not ${n}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A GraphQL request sent with only half its body: it stays in progress until `finish()`. */
function held(t: TenantBundle): { finish: () => Promise<{ status: number; body: any }>; abandon: () => void } {
  const body = Buffer.from(JSON.stringify({ query: VIEWER }));
  const url = new URL(t.url);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: '/graphql',
    method: 'POST',
    headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', 'content-length': body.length },
  });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += String(d)));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, 5));
  return {
    finish: () => {
      req.end(body.subarray(5));
      return answer;
    },
    abandon: () => {
      answer.catch(() => undefined);
      req.destroy();
    },
  };
}

/** Fills `t`'s places with held requests. */
async function fill(t: TenantBundle): Promise<ReturnType<typeof held>[]> {
  const requests = Array.from({ length: CAP }, () => held(t));
  await inFlight(t, CAP);
  return requests;
}

it('refuses a tenant past the cap on every route at once, with 429 QUOTA_EXCEEDED (IN_FLIGHT), its body unread', async () => {
  const requests = await fill(a);
  // GraphQL (the fast path): the GraphQL error shape, Retry-After.
  const res = await fetch(a.url, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: VIEWER }) });
  expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([
    429,
    '1',
    { errors: [{ message: MESSAGE, extensions: { ...DETAILS, code: 'QUOTA_EXCEEDED' } }] },
  ]);
  // A GET query, and a body that is not even JSON: refused the same, before anything reads it.
  const get = await fetch(`${a.url}?query=${encodeURIComponent(VIEWER)}`, { headers: { authorization: `Bearer ${a.token}` } });
  expect([get.status, ((await get.json()) as any).errors[0].extensions.code]).toEqual([429, 'QUOTA_EXCEEDED']);
  const garbage = await fetch(a.url, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' }, body: '{not json' });
  expect([garbage.status, ((await garbage.json()) as any).errors[0].message]).toEqual([429, MESSAGE]);
  // V2: the protocol's error shape.
  const infer = await v2(a.url, '/v2/models/any/infer', { token: a.token, body: { inputs: [] } });
  expect([infer.status, infer.headers.get('retry-after'), infer.body]).toEqual([429, '1', { error: MESSAGE, code: 'QUOTA_EXCEEDED', details: DETAILS }]);
  const metadata = await v2(a.url, '/v2/models/any', { token: a.token });
  expect([metadata.status, metadata.body.code]).toEqual([429, 'QUOTA_EXCEEDED']);
  // A multipart upload (express) and a download route.
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: 'mutation($file: Upload!) { uploadDataset(name: "x", file: $file) { id } }', variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob(['a,b\n1,2\n']), 'x.csv');
  const upload = await fetch(a.url, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'apollo-require-preflight': 'true' }, body: form });
  expect([upload.status, ((await upload.json()) as any).errors[0].extensions]).toEqual([429, { ...DETAILS, code: 'QUOTA_EXCEEDED' }]);
  const download = await fetch(a.url.replace(/\/graphql$/, '/batch-predictions/nothing.csv'), { headers: { authorization: `Bearer ${a.token}` } });
  expect([download.status, ((await download.json()) as any).errors[0].message]).toEqual([429, MESSAGE]);
  // None of the refusals took a place.
  expect(app.services.inFlight.count(a.tenantId)).toBe(CAP);
  for (const r of requests) expect(await r.finish()).toEqual({ status: 200, body: { data: { viewer: { tenantId: a.tenantId } } } });
  await inFlight(a, 0);
});

it("leaves another tenant and failing credentials alone while the tenant is at the cap; the tenant's websocket operations count against it, the socket stays", async () => {
  const requests = await fill(a);
  // B: its own places, all of them.
  const bRequests = await fill(b);
  expect(app.services.inFlight.count(a.tenantId)).toBe(CAP);
  for (const r of bRequests) expect((await r.finish()).status).toBe(200);
  expect((await gqlOk(b, VIEWER)).viewer.tenantId).toBe(b.tenantId);
  expect((await v2(b.url, '/v2/models/none/infer', { token: b.token, body: { inputs: [] } })).body.code).toBe('NOT_FOUND');
  // A failing credential is the route's to answer (UNAUTHENTICATED), not counted here.
  expect(codeOf(await gql({ url: a.url, token: 'mk_wrong_credential' }, VIEWER))).toBe('UNAUTHENTICATED');
  // No credential: public fields as before.
  expect((await gql({ url: a.url }, '{ serverInfo { version } }')).errors).toBeUndefined();
  // A's websocket operation is set up within the same cap (review F1): refused on its id, the socket stays.
  const client = wsClient(a.wsUrl, a.token);
  try {
    const [refused] = await collect(client, VIEWER, {}).done;
    expect(refused!.errors?.[0]).toEqual({ message: MESSAGE, extensions: { ...DETAILS, code: 'QUOTA_EXCEEDED' } });
    for (const r of requests) await r.finish();
    await inFlight(a, 0);
    const [answered] = await collect(client, VIEWER, {}).done;
    expect(answered!.data!.viewer.tenantId).toBe(a.tenantId);
  } finally {
    await client.dispose();
  }
});

it('frees a place when a request is answered or its client goes away', async () => {
  const [first, second] = await fill(a);
  expect(codeOf(await gql(a, VIEWER))).toBe('QUOTA_EXCEEDED');
  expect((await first!.finish()).status).toBe(200);
  await inFlight(a, 1);
  expect((await gqlOk(a, VIEWER)).viewer.tenantId).toBe(a.tenantId);
  const third = held(a);
  await inFlight(a, 2);
  second!.abandon();
  await inFlight(a, 1);
  expect((await gqlOk(a, VIEWER)).viewer.tenantId).toBe(a.tenantId);
  third.abandon();
  await inFlight(a, 0);
});

describe("a tenant's own cap (setTenantLimits maxRequestsInFlight)", () => {
  const SET = 'mutation($t: ID!, $l: TenantLimitsInput!) { setTenantLimits(tenantId: $t, limits: $l) { maxRequestsInFlight defaults } }';
  const setCap = async (t: TenantBundle, max: number | null) =>
    (await gqlOk({ url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } }, SET, { t: t.tenantId, l: { maxRequestsInFlight: max } })).setTenantLimits;

  /** Holds `n` of `t`'s requests in progress. */
  async function hold(t: TenantBundle, n: number): Promise<ReturnType<typeof held>[]> {
    const requests = Array.from({ length: n }, () => held(t));
    await inFlight(t, n);
    return requests;
  }

  it('replaces TENANT_MAX_IN_FLIGHT for that tenant alone, at its next request, and names itself in the refusal', async () => {
    const c = await createTenant(app, 'inflight-c');
    expect(await setCap(c, 3)).toEqual({ maxRequestsInFlight: 3, defaults: expect.not.arrayContaining(['maxRequestsInFlight']) });
    expect((await gqlOk(c, '{ myLimits { maxRequestsInFlight } }')).myLimits.maxRequestsInFlight).toBe(3);
    // C holds three (one past the global cap); its fourth is refused, naming its own limit.
    const cRequests = await hold(c, 3);
    const res = await gql(c, VIEWER);
    expect(res.errors).toEqual([
      {
        message: "This tenant already has 3 requests in progress on this server, the most at once (this tenant's limit, maxRequestsInFlight=3); retry when one has been answered",
        extensions: { reason: 'IN_FLIGHT', limit: 3, retryAfterSeconds: 1, code: 'QUOTA_EXCEEDED' },
      },
    ]);
    const infer = await v2(c.url, '/v2/models/any/infer', { token: c.token, body: { inputs: [] } });
    expect([infer.status, infer.body.details]).toEqual([429, { reason: 'IN_FLIGHT', limit: 3, retryAfterSeconds: 1 }]);
    // A keeps the global cap meanwhile.
    const aRequests = await fill(a);
    expect(await gql(a, VIEWER)).toEqual({ errors: [{ message: MESSAGE, extensions: { ...DETAILS, code: 'QUOTA_EXCEEDED' } }] });
    for (const r of [...cRequests, ...aRequests]) expect((await r.finish()).status).toBe(200);
    await inFlight(c, 0);
    await inFlight(a, 0);

    // Lowered to 1: the next request sees it.
    await setCap(c, 1);
    const [one] = await hold(c, 1);
    expect(codeOf(await gql(c, VIEWER))).toBe('QUOTA_EXCEEDED');
    expect((await one!.finish()).status).toBe(200);
    await inFlight(c, 0);
    // Back to the default (null): TENANT_MAX_IN_FLIGHT again, named as such.
    expect(await setCap(c, null)).toEqual({ maxRequestsInFlight: CAP, defaults: expect.arrayContaining(['maxRequestsInFlight']) });
    const back = await hold(c, CAP);
    expect((await gql(c, VIEWER)).errors?.[0]?.message).toBe(MESSAGE);
    for (const r of back) await r.finish();
    await inFlight(c, 0);
  });
});

describe('CORS on the refusal', () => {
  /** A request of `t` to `path` from a browser page of `origin`. */
  const fromPage = (t: TenantBundle, path: string, origin: string, body?: string) =>
    fetch(t.url.replace(/\/graphql$/, path), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', origin },
      body,
    });
  /** What a page of the origin may read: the allowed origin, Vary, and the headers exposed to it (Retry-After). */
  const corsOf = (res: Response) => [res.headers.get('access-control-allow-origin'), res.headers.get('vary'), res.headers.get('access-control-expose-headers')];

  it('carries the headers /graphql and /v2 send for the same origin: a listed origin echoed (Vary: Origin), another none', async () => {
    const gqlBody = JSON.stringify({ query: VIEWER });
    // What the routes answer themselves, below the cap.
    const routeGraphql = await fromPage(a, '/graphql', ORIGIN, gqlBody);
    const routeV2 = await fromPage(a, '/v2/models/any', ORIGIN);
    expect([routeGraphql.status, routeV2.status]).toEqual([200, 404]);
    expect(corsOf(routeGraphql)).toEqual([ORIGIN, 'Origin', 'Retry-After']);
    expect(corsOf(routeV2)).toEqual([ORIGIN, 'Origin', 'Retry-After']);
    // The express path of /graphql (a GET the fast path leaves to it: no query string) sends the same list.
    const routeExpress = await fetch(a.url, { headers: { authorization: `Bearer ${a.token}`, origin: ORIGIN, 'apollo-require-preflight': 'true' } });
    expect(corsOf(routeExpress)).toEqual([ORIGIN, 'Origin', 'Retry-After']);

    const requests = await fill(a);
    const graphql = await fromPage(a, '/graphql', ORIGIN, gqlBody);
    expect([graphql.status, corsOf(graphql), graphql.headers.get('retry-after'), ((await graphql.json()) as any).errors[0].extensions.reason]).toEqual([
      429,
      corsOf(routeGraphql),
      '1',
      'IN_FLIGHT',
    ]);
    const infer = await fromPage(a, '/v2/models/any/infer', ORIGIN, '{"inputs":[]}');
    expect([infer.status, corsOf(infer), infer.headers.get('retry-after'), ((await infer.json()) as any).details.reason]).toEqual([429, corsOf(routeV2), '1', 'IN_FLIGHT']);
    // An origin not listed: no Access-Control-Allow-Origin, as the routes answer it (the browser keeps the body from the page).
    const foreign = await fromPage(a, '/graphql', 'https://evil.example', gqlBody);
    expect([foreign.status, foreign.headers.get('access-control-allow-origin')]).toEqual([429, null]);
    // Routes without CORS (a download) get none on the refusal either.
    const download = await fromPage(a, '/batch-predictions/nothing.csv', ORIGIN);
    expect([download.status, download.headers.get('access-control-allow-origin')]).toEqual([429, null]);
    for (const r of requests) await r.finish();
    await inFlight(a, 0);
  });
});
