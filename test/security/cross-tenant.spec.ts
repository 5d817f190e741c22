/**
 * The cross-tenant probe: every root query, mutation and subscription, generated from the schema,
 * called with tenant B's credential and tenant A's ids. Nothing of A may come back and every call
 * naming A's resources answers NOT_FOUND. Then the same calls with no credential, a revoked key,
 * an expired JWT, a JWT signed with another secret, an unsigned (alg none) JWT (UNAUTHENTICATED),
 * and a key without the needed scope (FORBIDDEN). The V2 (Open Inference Protocol) REST routes
 * likewise: 404 for B on A's model (the body of a model that does not exist), 401 without a valid credential.
 */
import jwt from 'jsonwebtoken';
import type { App } from '../../src/app';
import { codeOf, gqlOk } from '../../src/client/graphql-client';
import { createSchema, PUBLIC_FIELDS } from '../../src/graphql/schema';
import type { Scope } from '../../src/modules/auth/actor';
import { scopeName } from '../../src/modules/scope-names';
import { startTestApp } from '../support/app';
import { KERAS_SPEC, PIMA_CSV } from '../support/data';
import { createTenant, uploadCsv, type TenantBundle } from '../support/factories';
import { callProbe, probeCalls, requiredScopes, type ProbeCall, type Victim } from '../support/schema-probe';
import { JWT_SECRET } from '../support/secrets';
import { startRun, waitForRun } from '../support/training';
import { guardedV2Calls, v2 } from '../support/v2';
import { binaryRequest, postBinary, type BinaryTensor } from '../support/v2-binary';

let app: App;
let a: TenantBundle;
let b: TenantBundle;
let victim: Victim;
let secrets: string[];
let calls: ProbeCall[];

const call = (c: ProbeCall, token: string | undefined) => callProbe(app.server, c, token);
/** Root fields that answer null (not NOT_FOUND) for an id the caller cannot see: Relay's node(id:), nodes(ids:). */
const NULL_FOR_OTHERS = ['Query.node', 'Query.nodes'];

beforeAll(async () => {
  app = await startTestApp({ AUTH_FAILURES_PER_ADDRESS: '100000' }); // the probes below send hundreds of bad credentials from one address
  a = await createTenant(app, 'victim');
  b = await createTenant(app, 'attacker');
  const datasetId = await uploadCsv(a, PIMA_CSV, 'dataset-of-a');
  const run = await startRun(a, datasetId, 'model-of-a', { ...KERAS_SPEC, epochs: 1 });
  const final = await waitForRun(a, run.id);
  const extraKey = await gqlOk(a, 'mutation { createApiKey(input: { name: "a-second-key", scopes: [PREDICT] }) { apiKey { id } } }');
  const model = await gqlOk(a, '{ model(name: "model-of-a") { id } apiKeys { id } }');
  victim = {
    ids: [datasetId, run.id, final.modelVersion.id, model.model.id, extraKey.createApiKey.apiKey.id, a.tenantId],
    modelName: 'model-of-a',
    datasetId,
  };
  secrets = [...victim.ids, ...model.apiKeys.map((k: { id: string }) => k.id), 'model-of-a', 'dataset-of-a', 'a-second-key', a.name];
  calls = probeCalls(await createSchema(), victim);
});
afterAll(() => app.stop());

it('covers every root field of the schema', async () => {
  const schema = await createSchema();
  const all = ['Query', 'Mutation', 'Subscription'].flatMap((r) => Object.keys((schema.getType(r) as any)?.getFields() ?? {}).map((f) => `${r}.${f}`));
  expect(new Set(calls.map((c) => `${c.root}.${c.field}`))).toEqual(new Set(all));
  expect(all.length).toBeGreaterThan(20);
});

it("returns none of A's data to B, and NOT_FOUND for each of A's resources", async () => {
  const problems: string[] = [];
  for (const c of calls) {
    const r = await call(c, b.token);
    const leaked = secrets.filter((s) => JSON.stringify(r.data ?? null).includes(s));
    if (leaked.length) problems.push(`${c.field}(${JSON.stringify(c.variables)}) leaked ${leaked.join(', ')}`);
    // The operator's fields (X-Admin-Secret) refuse a tenant's key before looking at the id.
    // node/nodes (Relay) answer null for A's ids, exactly as for ids that do not exist.
    if (c.targetsVictim && NULL_FOR_OTHERS.includes(`${c.root}.${c.field}`)) {
      if (JSON.stringify(r) !== JSON.stringify({ data: { [c.field]: c.field === 'nodes' ? [null] : null } }))
        problems.push(`${c.field}(${JSON.stringify(c.variables)}) answered ${JSON.stringify(r)} instead of null`);
      continue;
    }
    const expected = PUBLIC_FIELDS.includes(`${c.root}.${c.field}`) ? 'UNAUTHENTICATED' : 'NOT_FOUND';
    if (c.targetsVictim && codeOf(r) !== expected) problems.push(`${c.field}(${JSON.stringify(c.variables)}) answered ${codeOf(r) ?? 'data'} instead of ${expected}`);
  }
  expect(problems).toEqual([]);
});

it("answers B 404 on every V2 route naming A's model, exactly as for a model that does not exist", async () => {
  const mounted = app.server.routes.map((r) => `${r.method} ${r.path}`).filter((r) => r.startsWith('GET /v2/models') || r.startsWith('POST /v2/models'));
  expect(new Set(guardedV2Calls('model-of-a').map((c) => c.route))).toEqual(new Set(mounted));
  for (const [c, none] of guardedV2Calls('model-of-a').map((c, i) => [c, guardedV2Calls('no-such-model')[i]] as const)) {
    const r = await v2(app.server.url, c.path, { token: b.token, body: c.body });
    const absent = await v2(app.server.url, none.path, { token: b.token, body: none.body });
    expect([c.route, r.status, r.body]).toEqual([c.route, 404, { error: "Model 'model-of-a' not found", code: 'NOT_FOUND' }]);
    expect(JSON.stringify(r.body).replace('model-of-a', 'no-such-model')).toBe(JSON.stringify(absent.body));
    expect(secrets.filter((s) => s !== 'model-of-a' && JSON.stringify(r.body).includes(s))).toEqual([]);
    expect((await v2(app.server.url, c.path, { token: a.token, body: c.body })).status).toBe(200);
    if (c.body === undefined) continue;
    // The same infer call in the binary data extension: 404 alike, and A's own call answers.
    const tensor = (c.body as { inputs: BinaryTensor[] }).inputs[0]!;
    const bin = await postBinary(app.server.url, c.path, binaryRequest([tensor]), b.token);
    const binAbsent = await postBinary(app.server.url, none.path, binaryRequest([tensor]), b.token);
    expect([c.route, bin.status, bin.json]).toEqual([c.route, 404, { error: "Model 'model-of-a' not found", code: 'NOT_FOUND' }]);
    expect(JSON.stringify(bin.json).replace('model-of-a', 'no-such-model')).toBe(JSON.stringify(binAbsent.json));
    expect((await postBinary(app.server.url, c.path, binaryRequest([tensor]), a.token)).status).toBe(200);
  }
});

it("leaves A's data untouched", async () => {
  const data = await gqlOk(
    a,
    `query($d: ID!, $r: ID!) { dataset(id: $d) { name } trainingRun(id: $r) { status }
    model(name: "model-of-a") { versions { version } } apiKeys { name revokedAt } }`,
    { d: victim.datasetId, r: victim.ids[1] },
  );
  expect(data.dataset.name).toBe('dataset-of-a');
  expect(data.trainingRun.status).toBe('SUCCEEDED');
  expect(data.model.versions).toEqual([{ version: 1 }]);
  expect(data.apiKeys.every((k: { revokedAt: string | null }) => k.revokedAt === null)).toBe(true);
});

describe('without a valid credential', () => {
  const opts = { issuer: 'maas', audience: 'maas-api' };
  const cases: [string, () => Promise<string | undefined>][] = [
    ['no credential', async () => undefined],
    [
      'a revoked key',
      async () => {
        const k = await gqlOk(b, 'mutation { createApiKey(input: { name: "soon-revoked", scopes: [ADMIN] }) { key apiKey { id } } }');
        await gqlOk(b, 'mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: k.createApiKey.apiKey.id });
        return k.createApiKey.key;
      },
    ],
    ['an expired JWT', async () => jwt.sign({ tid: b.tenantId, scopes: ['admin'], exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET, { ...opts, subject: await keyIdOf(b) })],
    ['a JWT signed with another secret', async () => jwt.sign({ tid: b.tenantId, scopes: ['admin'] }, 'x'.repeat(40), { ...opts, subject: await keyIdOf(b) })],
    ['an unsigned JWT (alg none)', async () => jwt.sign({ tid: b.tenantId, scopes: ['admin'] }, '', { ...opts, algorithm: 'none', subject: await keyIdOf(b) })],
  ];

  it.each(cases)('%s gets UNAUTHENTICATED on every guarded field', async (_what, credential) => {
    const token = await credential();
    const problems: string[] = [];
    for (const c of calls) {
      if (PUBLIC_FIELDS.includes(`${c.root}.${c.field}`)) continue;
      const r = await call(c, token);
      if (codeOf(r) !== 'UNAUTHENTICATED' || r.data?.[c.field]) problems.push(`${c.root}.${c.field} -> ${codeOf(r) ?? JSON.stringify(r.data)}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(cases)('%s gets 401 UNAUTHENTICATED on every guarded V2 route', async (_what, credential) => {
    const token = await credential();
    for (const c of guardedV2Calls('model-of-a')) {
      const r = await v2(app.server.url, c.path, { token, body: c.body });
      expect([c.route, r.status, r.body.code, r.headers.get('www-authenticate')]).toEqual([c.route, 401, 'UNAUTHENTICATED', 'Bearer']);
    }
  });
});

it('a key without the needed scope gets FORBIDDEN', async () => {
  const k = await gqlOk(b, 'mutation { createApiKey(input: { name: "predict-only", scopes: [PREDICT] }) { key } }');
  const problems: string[] = [];
  let checked = 0;
  for (const c of calls) {
    const scopes = requiredScopes(c.root, c.field);
    if (!scopes?.length || scopes.includes('predict')) continue;
    checked++;
    const r = await call(c, k.createApiKey.key);
    if (codeOf(r) !== 'FORBIDDEN') problems.push(`${c.root}.${c.field} -> ${codeOf(r)}`);
    else expect(r.errors![0].message).toBe(`This credential lacks the ${scopeName(scopes[0] as Scope)} scope`);
  }
  expect(problems).toEqual([]);
  expect(checked).toBeGreaterThan(15);
});

async function keyIdOf(t: TenantBundle): Promise<string> {
  return (await app.db.prisma.apiKey.findFirstOrThrow({ where: { tenantId: t.tenantId }, orderBy: { createdAt: 'asc' } })).id;
}
