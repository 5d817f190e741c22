/**
 * NODE_ENV=production closes what helps explore the API (Sandbox landing page, introspection, "did
 * you mean" suggestions) unless a flag opens it; the same over HTTP and websocket.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { App } from '../../src/app';
import { codeOf, gql, type GqlResult } from '../../src/client/graphql-client';
import { startTestApp } from '../support/app';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';

const wsRun = (t: TenantBundle, query: string) =>
  new Promise<GqlResult>((resolve, reject) => {
    const client = createClient({ url: t.wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${t.token}` }, retryAttempts: 0 });
    let result: GqlResult = {};
    client.subscribe(
      { query },
      {
        next: (v) => void (result = v as GqlResult),
        error: (e) => void Promise.resolve(client.dispose()).then(() => (Array.isArray(e) ? resolve({ errors: e as GqlResult['errors'] }) : reject(e))),
        complete: () => void Promise.resolve(client.dispose()).then(() => resolve(result)),
      },
    );
  });

describe.each([
  ['production defaults', { NODE_ENV: 'production' }, false],
  ['production with the flags set', { NODE_ENV: 'production', GRAPHQL_SANDBOX: 'true', GRAPHQL_FIELD_SUGGESTIONS: 'true' }, true],
])('%s', (_name, env, open) => {
  let app: App;
  let t: TenantBundle;
  beforeAll(async () => {
    app = await startTestApp(env);
    t = await createTenant(app, 'prod');
  });
  afterAll(() => app.stop());

  it(`${open ? 'answers' : 'refuses'} introspection over HTTP and websocket`, async () => {
    for (const r of [await gql(t, '{ __schema { queryType { name } } }'), await wsRun(t, '{ __schema { queryType { name } } }')]) {
      if (open) expect(r.data?.__schema.queryType.name).toBe('Query');
      else expect([codeOf(r), r.errors![0].message]).toEqual(['GRAPHQL_VALIDATION_FAILED', expect.stringMatching(/introspection/i)]);
    }
  });

  it(`${open ? 'gives' : 'hides'} "did you mean" suggestions over HTTP and websocket, in validation and in variables`, async () => {
    for (const r of [await gql(t, '{ viewer { tenantNam } }'), await wsRun(t, '{ viewer { tenantNam } }')]) {
      expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect([/Did you mean/.test(r.errors![0].message), r.errors![0].message]).toEqual([open, expect.any(String)]);
    }
    const q = 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { __typename } }';
    const variables = { i: { name: 'k', scopes: ['PREDIC'] } };
    const http = await gql(t, q, variables);
    expect(codeOf(http)).toBe('BAD_USER_INPUT');
    expect([/Did you mean/.test(http.errors![0].message), http.errors![0].message]).toEqual([open, expect.any(String)]);
    // Nor a trace of a hidden hint: a near-miss field and a far one read the same (no field-name oracle).
    const field = async (name: string) =>
      (await gql(t, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { __typename } }', { i: { name: 'k', scopes: ['PREDICT'], [name]: 1 } })).errors![0].message;
    const [near, far] = [await field('scope'), await field('zzzzqqq')];
    expect(near.includes('Suggestion hidden')).toBe(false);
    if (!open) expect(near.split('; ')[1].replace('"scope"', '"zzzzqqq"')).toBe(far.split('; ')[1]);
  });

  it(`${open ? 'gives' : 'hides'} "did you mean" in startSweep's baseSpec (coerced against ModelSpecInput) and space paths`, async () => {
    const datasetId = await uploadCsv(t, 'a,b\n1,0\n2,1\n3,0\n4,1\n', 'sweep-hints');
    const q = 'mutation($i: StartSweepInput!) { startSweep(input: $i) { id } }';
    const input = (baseSpec: object, path: string) => ({
      i: {
        datasetId,
        targetColumn: 'b',
        modelName: 'm',
        baseSpec,
        space: [{ path, values: [1, 2] }],
        strategy: 'GRID',
        objective: { metric: 'ACCURACY', direction: 'MAXIMIZE' },
        budget: { maxTrials: 2 },
      },
    });
    const spec = await gql(t, q, input({ model: 'DECISION_TREE', los: 1 }, 'epochs'));
    expect([codeOf(spec), spec.errors![0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'baseSpec']);
    expect(spec.errors![0].message).toMatch(/^baseSpec: spec\. .*Field "los" is not defined by type "ModelSpecInput"/);
    expect([/Did you mean/i.test(spec.errors![0].message), spec.errors![0].message]).toEqual([open, expect.any(String)]);
    const path = await gql(t, q, input({ model: 'DECISION_TREE' }, 'epoch'));
    expect([codeOf(path), path.errors![0].message]).toEqual([
      'BAD_USER_INPUT',
      open ? "space[0].path 'epoch' is not a spec field (did you mean 'epochs'?)" : "space[0].path 'epoch' is not a spec field",
    ]);
  });

  it(`${open ? 'serves' : 'does not serve'} the Sandbox landing page`, async () => {
    const res = await fetch(t.url, { headers: { accept: 'text/html' } });
    const body = await res.text();
    expect([res.status, /text\/html/.test(res.headers.get('content-type') ?? ''), body.includes('embeddable-sandbox')]).toEqual(open ? [200, true, true] : [400, false, false]);
  });
});
