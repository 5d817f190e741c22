/**
 * The GraphQL fast path (src/graphql/fast-graphql.ts) answers every request it takes exactly as the
 * express route does: the same request goes to an API process with GRAPHQL_FAST_PATH on (the
 * default) and to one with it off, on the same database, and status, body and the CORS and content
 * headers must match — for successes, credentials, body limits, malformed and deep bodies, charsets,
 * deep documents, CSRF prevention, GET, batching and CORS.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { App } from '../src/app';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';

const ENV = { CORS_ORIGINS: 'https://ok.example', MAX_REQUEST_BYTES: '4096' };
let fast: App;
let viaExpress: App;
let t: TenantBundle;

beforeAll(async () => {
  fast = await startTestApp(ENV);
  viaExpress = await startAppOnWorkerDatabase({ ...ENV, GRAPHQL_FAST_PATH: 'false', WORKER_ENABLED: 'false' });
  t = await createTenant(fast, 'fast');
});
afterAll(async () => {
  await viaExpress.stop();
  await fast.stop();
});

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | null>;
}

async function send(app: App, init: { method?: string; search?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const r = await fetch(app.server.url + (init.search ?? ''), { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  const headers = Object.fromEntries(['content-type', 'access-control-allow-origin', 'vary'].map((h) => [h, r.headers.get(h)]));
  return { status: r.status, body, headers };
}

/** Sends `init` to both processes; they must answer alike. @returns the fast path's answer. */
async function same(init: Parameters<typeof send>[1]): Promise<Answer> {
  const [a, b] = [await send(fast, init), await send(viaExpress, init)];
  expect(a).toEqual(b);
  return a;
}

const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...extra });
const auth = () => ({ authorization: `Bearer ${t.token}` });
const codes = (a: Answer) => (a.body as { errors?: { extensions?: { code?: string } }[] }).errors?.map((e) => e.extensions?.code);

it('answers a query with a credential, and refuses a bad one with UNAUTHENTICATED', async () => {
  const ok = await same({ headers: json(auth()), body: JSON.stringify({ query: '{ viewer { tenantName } }' }) });
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual({ data: { viewer: { tenantName: t.name } } });
  const bad = await same({ headers: json({ authorization: 'Bearer maas_nope' }), body: JSON.stringify({ query: '{ viewer { tenantName } }' }) });
  expect(codes(bad)).toEqual(['UNAUTHENTICATED']);
});

it('refuses bodies it cannot read with the same statuses and messages', async () => {
  const big = await same({ headers: json(), body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(5000) } }) });
  expect(big.status).toBe(413);
  expect(codes(big)).toEqual(['BAD_USER_INPUT']);
  expect((await same({ headers: json(), body: '{"query": ' })).status).toBe(400);
  expect((await same({ headers: json(), body: '"just a string"' })).status).toBe(400);
  const deep = await same({ headers: json(), body: '['.repeat(3000) });
  expect(deep.status).toBe(400);
  expect(JSON.stringify(deep.body)).toContain('nested deeper than 2048 levels');
  expect((await same({ headers: json({ 'content-type': 'application/json; charset=latin1' }), body: '{}' })).status).toBe(415);
  expect((await same({ headers: json(), body: '' })).status).toBe(400);
});

it('refuses documents: nested too deep before parsing, a syntax error, a batch', async () => {
  const nested = await same({ headers: json(), body: JSON.stringify({ query: '{ a ' + '{ b '.repeat(150) + '}'.repeat(151) }) });
  expect(nested.status).toBe(400);
  expect(codes(nested)).toEqual(['GRAPHQL_PARSE_FAILED']);
  expect(codes(await same({ headers: json(), body: JSON.stringify({ query: '{ viewer ' }) }))).toEqual(['GRAPHQL_PARSE_FAILED']);
  expect((await same({ headers: json(), body: JSON.stringify([{ query: '{ __typename }' }]) })).status).toBe(400);
});

it('serves GET with Apollo’s CSRF prevention, and refuses a mutation over GET', async () => {
  const search = `?query=${encodeURIComponent('{ __typename }')}`;
  const blocked = await same({ method: 'GET', search });
  expect(blocked.status).toBe(400);
  const ok = await same({ method: 'GET', search, headers: { 'apollo-require-preflight': 'true' } });
  expect(ok.body).toEqual({ data: { __typename: 'Query' } });
  const deep = await same({
    method: 'GET',
    search: `?query=${encodeURIComponent('{ a ' + '{ b '.repeat(150) + '}'.repeat(151))}`,
    headers: { 'apollo-require-preflight': 'true' },
  });
  expect(codes(deep)).toEqual(['GRAPHQL_PARSE_FAILED']);
  const mutation = await same({
    method: 'GET',
    search: `?query=${encodeURIComponent('mutation { createTenant(name: "x") { apiKey } }')}`,
    headers: { 'apollo-require-preflight': 'true' },
  });
  expect(mutation.status).toBe(405);
});

it('sets the same CORS headers for a listed and an unlisted origin', async () => {
  const listed = await same({ headers: json({ origin: 'https://ok.example' }), body: JSON.stringify({ query: '{ __typename }' }) });
  expect(listed.headers['access-control-allow-origin']).toBe('https://ok.example');
  const other = await same({ headers: json({ origin: 'https://evil.example' }), body: JSON.stringify({ query: '{ __typename }' }) });
  expect(other.headers['access-control-allow-origin']).toBeNull();
});

it('really answers on the fast path (no ETag, which express adds) unless GRAPHQL_FAST_PATH=false, and leaves multipart to express', async () => {
  const post = { method: 'POST', headers: json(), body: JSON.stringify({ query: '{ __typename }' }) };
  expect((await fetch(fast.server.url, post)).headers.get('etag')).toBeNull();
  expect((await fetch(viaExpress.server.url, post)).headers.get('etag')).toMatch(/^W\//);
  const get = { headers: { 'apollo-require-preflight': 'true' } };
  expect((await fetch(`${fast.server.url}?query=${encodeURIComponent('{ __typename }')}`, get)).headers.get('etag')).toBeNull();
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: '{ __typename }' }));
  form.set('map', '{}');
  const multipart = await fetch(fast.server.url, { method: 'POST', body: form, headers: { 'apollo-require-preflight': 'true' } });
  expect(multipart.headers.get('etag')).toMatch(/^W\//);
  expect(await multipart.json()).toEqual({ data: { __typename: 'Query' } });
});

it('reads bodies the way express.json does: leading whitespace, a BOM, gzip, a chunked body', async () => {
  const query = JSON.stringify({ query: '{ __typename }' });
  const typename = { data: { __typename: 'Query' } };
  expect((await same({ headers: json(), body: '  \n' + query })).body).toEqual(typename);
  expect((await same({ headers: json(), body: '\ufeff' + query })).body).toEqual(typename);
  const gzipped = { method: 'POST', headers: json({ 'content-encoding': 'gzip' }), body: zlib.gzipSync(query) };
  const [a, b] = [await fetch(fast.server.url, gzipped), await fetch(viaExpress.server.url, gzipped)];
  expect([a.status, await a.json()]).toEqual([b.status, await b.json()]);
  const chunked = () =>
    ({ method: 'POST', headers: json(), duplex: 'half', body: Readable.toWeb(Readable.from([Buffer.from(query.slice(0, 5)), Buffer.from(query.slice(5))])) }) as RequestInit;
  const [c, d] = [await fetch(fast.server.url, chunked()), await fetch(viaExpress.server.url, chunked())];
  expect([c.status, await c.json()]).toEqual([200, typename]);
  expect(d.status).toBe(200);
  expect((await same({ headers: json(), body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(4096 - 49) } }) })).status).toBe(200);
});
