/**
 * Per-tenant limits (issue #10): the operator sets a tenant's limits with setTenantLimits (admin
 * secret, audited); each limit applies to that tenant only, at its next request; a tenant reads its
 * own with myLimits; the concurrent batch-prediction quota.
 */
import type { App } from '../src/app';
import { codeOf, gql, gqlOk, wsClient, type Caller } from '../src/client/graphql-client';
import { DEFAULT_COST_LIMITS } from '../src/ml/cost-limits';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { ADMIN_SECRET } from './support/secrets';
import { START_RUN, startRun, waitForRun } from './support/training';

const FIELDS =
  'tenantId maxConcurrentRuns maxRunningRuns maxConcurrentBatches maxDatasetBytes predictionsPerMinute trainingMaxParameters trainingMaxActivations trainingMaxMemoryBytes trainingMaxWork trainingMaxRunSeconds inferMaxOutputValues maxRequestsInFlight defaults';
const SET = `mutation($t: ID!, $l: TenantLimitsInput!) { setTenantLimits(tenantId: $t, limits: $l) { ${FIELDS} } }`;
const GET = `query($t: ID!) { tenantLimits(tenantId: $t) { ${FIELDS} } }`;
const MINE = `{ myLimits { ${FIELDS} } }`;
const ALL = [
  'maxConcurrentRuns',
  'maxRunningRuns',
  'maxConcurrentBatches',
  'maxDatasetBytes',
  'predictionsPerMinute',
  'trainingMaxParameters',
  'trainingMaxActivations',
  'trainingMaxMemoryBytes',
  'trainingMaxWork',
  'trainingMaxRunSeconds',
  'inferMaxOutputValues',
  'maxRequestsInFlight',
];

let app: App;
let admin: Caller;
const setLimits = (tenantId: string, limits: object) => gql(admin, SET, { t: tenantId, l: limits });

beforeAll(async () => {
  app = await startTestApp({ QUOTA_CONCURRENT_BATCHES: '3' });
  admin = { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } };
});
afterAll(() => app.stop());

describe('defaults and access', () => {
  it('a new tenant has the global defaults, every one marked as default', async () => {
    const t = await createTenant(app, 'plain');
    const mine = (await gqlOk(t, MINE)).myLimits;
    expect(mine).toEqual({
      tenantId: t.tenantId,
      maxConcurrentRuns: 4,
      maxRunningRuns: 2,
      maxConcurrentBatches: 3,
      maxDatasetBytes: 1024 ** 3,
      predictionsPerMinute: 1_000_000,
      trainingMaxParameters: DEFAULT_COST_LIMITS.maxParameters,
      trainingMaxActivations: DEFAULT_COST_LIMITS.maxActivations,
      trainingMaxMemoryBytes: DEFAULT_COST_LIMITS.maxMemoryBytes,
      trainingMaxWork: DEFAULT_COST_LIMITS.maxWork,
      trainingMaxRunSeconds: DEFAULT_COST_LIMITS.maxRunSeconds,
      inferMaxOutputValues: 524_288,
      maxRequestsInFlight: 64,
      defaults: ALL,
    });
    expect((await gqlOk(admin, GET, { t: t.tenantId })).tenantLimits).toEqual(mine);
  });

  it("only the operator may set or read a tenant's limits: a tenant key gets UNAUTHENTICATED, a wrong secret FORBIDDEN", async () => {
    const t = await createTenant(app, 'sneaky');
    const asTenant = await gql(t, SET, { t: t.tenantId, l: { maxConcurrentRuns: 100 } });
    expect(asTenant.errors?.[0]).toMatchObject({ message: 'setTenantLimits needs the X-Admin-Secret header', extensions: { code: 'UNAUTHENTICATED' } });
    const read = await gql(t, GET, { t: t.tenantId });
    expect(read.errors?.[0]).toMatchObject({ message: 'tenantLimits needs the X-Admin-Secret header', extensions: { code: 'UNAUTHENTICATED' } });
    const wrong = await gql({ ...t, headers: { 'x-admin-secret': 'not-the-secret-at-all' } }, SET, { t: t.tenantId, l: { maxConcurrentRuns: 100 } });
    expect(wrong.errors?.[0]).toMatchObject({ message: 'The X-Admin-Secret header is not valid', extensions: { code: 'FORBIDDEN' } });
    // Over the websocket there is no admin header at all.
    const client = wsClient(t.wsUrl, t.token);
    const overWs = await new Promise<any>((resolve) => {
      let got: any;
      client.subscribe({ query: SET, variables: { t: t.tenantId, l: { maxConcurrentRuns: 100 } } }, { next: (v) => (got = v), error: resolve, complete: () => resolve(got) });
    });
    await client.dispose();
    expect(overWs.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Nothing was changed.
    expect((await gqlOk(t, MINE)).myLimits.maxConcurrentRuns).toBe(4);
    // myLimits needs a credential.
    expect(codeOf(await gql({ url: app.server.url }, MINE))).toBe('UNAUTHENTICATED');
  });

  it('refuses values that are not whole numbers within their caps, naming the field and the value; an unknown tenant is NOT_FOUND', async () => {
    const t = await createTenant(app, 'bad');
    const cases: [object, string][] = [
      [{ maxConcurrentRuns: 0 }, 'limits.maxConcurrentRuns must be a whole number from 1 to 10000, not 0'],
      [{ maxConcurrentBatches: 10_001 }, 'limits.maxConcurrentBatches must be a whole number from 1 to 10000, not 10001'],
      [{ maxRunningRuns: 0 }, 'limits.maxRunningRuns must be a whole number from 1 to 10000, not 0'],
      [{ maxDatasetBytes: 1.5 }, 'limits.maxDatasetBytes must be a whole number from 1 to 9007199254740991, not 1.5'],
      [{ trainingMaxWork: 1e300 }, 'limits.trainingMaxWork must be a whole number from 1 to 9007199254740991, not 1e+300'],
      [{ predictionsPerMinute: -5 }, 'limits.predictionsPerMinute must be a whole number from 1 to 2000000000, not -5'],
      [{ maxRequestsInFlight: 0 }, 'limits.maxRequestsInFlight must be a whole number from 1 to 1000000, not 0'],
    ];
    for (const [limits, message] of cases) {
      const res = await setLimits(t.tenantId, limits);
      expect(res.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    }
    // 1e400 in the JSON body is Infinity once parsed: refused while coercing the variable.
    const res = await fetch(app.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-secret': ADMIN_SECRET },
      body: `{"query":${JSON.stringify(SET)},"variables":{"t":"${t.tenantId}","l":{"trainingMaxWork":1e400}}}`,
    });
    expect(codeOf((await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] })).toBe('BAD_USER_INPUT');
    const missing = await setLimits('00000000-0000-0000-0000-000000000000', { maxConcurrentRuns: 2 });
    expect(missing.errors?.[0]).toMatchObject({ message: "Tenant '00000000-0000-0000-0000-000000000000' not found", extensions: { code: 'NOT_FOUND' } });
    expect(codeOf(await setLimits('x\u0000y', { maxConcurrentRuns: 2 }))).toBe('BAD_USER_INPUT'); // an id never holds a NUL (common/id.scalar.ts)
    expect((await gqlOk(t, MINE)).myLimits.defaults).toEqual(ALL);
  });

  it("records the change in the tenant's audit log, and setting replaces every override", async () => {
    const t = await createTenant(app, 'audited');
    const set = (await gqlOk(admin, SET, { t: t.tenantId, l: { maxConcurrentRuns: 7, trainingMaxWork: 5e12 } })).setTenantLimits;
    expect(set).toMatchObject({ maxConcurrentRuns: 7, trainingMaxWork: 5e12, maxConcurrentBatches: 3 });
    expect(set.defaults).toEqual(ALL.filter((n) => n !== 'maxConcurrentRuns' && n !== 'trainingMaxWork'));
    expect((await gqlOk(t, MINE)).myLimits).toEqual(set);
    const log = (await gqlOk(t, '{ auditLog(action: "tenantLimits.set") { action actorKind actorId targetType targetId details } }')).auditLog;
    expect(log).toEqual([
      {
        action: 'tenantLimits.set',
        actorKind: 'system',
        actorId: 'admin-secret',
        targetType: 'Tenant',
        targetId: t.tenantId,
        details: { ...Object.fromEntries(ALL.map((n) => [n, null])), maxConcurrentRuns: 7, trainingMaxWork: 5e12 },
      },
    ]);
    const cleared = (await gqlOk(admin, SET, { t: t.tenantId, l: { maxConcurrentBatches: 2 } })).setTenantLimits;
    expect(cleared).toMatchObject({ maxConcurrentRuns: 4, maxConcurrentBatches: 2, trainingMaxWork: DEFAULT_COST_LIMITS.maxWork });
  });
});

describe('each limit applies to its tenant only, from the next request', () => {
  let limited: TenantBundle;
  let other: TenantBundle;
  beforeEach(async () => {
    limited = await createTenant(app, 'limited');
    other = await createTenant(app, 'other');
  });

  it('maxDatasetBytes', async () => {
    expect((await setLimits(limited.tenantId, { maxDatasetBytes: 1000 })).errors).toBeUndefined();
    const res = await gql(limited, 'mutation($csv: String!) { uploadDataset(name: "pima", csv: $csv) { id } }', { csv: PIMA_CSV });
    expect(res.errors?.[0]).toMatchObject({
      message: `Storing ${Buffer.byteLength(PIMA_CSV)} more bytes would exceed the storage quota of 1000 bytes (0 used: datasets 0, model artifacts 0, batch results 0); delete datasets, model versions or batch predictions first`,
      extensions: { code: 'QUOTA_EXCEEDED', reason: 'STORAGE', limit: 1000, used: 0 },
    });
    await uploadCsv(other, PIMA_CSV, 'pima');
    await setLimits(limited.tenantId, {});
    await uploadCsv(limited, PIMA_CSV, 'pima'); // the default again, at once
  });

  it('the training cost limits (weights here), at startTrainingRun', async () => {
    expect((await setLimits(limited.tenantId, { trainingMaxParameters: 50 })).errors).toBeUndefined();
    const data = await uploadCsv(limited, PIMA_CSV, 'pima');
    const res = await gql(limited, START_RUN, { input: { datasetId: data, targetColumn: 'Outcome', modelName: 'm', spec: KERAS_SPEC } });
    expect(codeOf(res)).toBe('QUOTA_EXCEEDED');
    expect(res.errors?.[0]?.message).toMatch(/^NEURAL_NETWORK with \d+ weights is too large: the limit is 50 weights \(parameters\) per network; /);
    const otherData = await uploadCsv(other, PIMA_CSV, 'pima');
    expect((await gql(other, START_RUN, { input: { datasetId: otherData, targetColumn: 'Outcome', modelName: 'm', spec: { ...KERAS_SPEC, epochs: 1 } } })).errors).toBeUndefined();
  });

  it('maxConcurrentRuns', async () => {
    expect((await setLimits(limited.tenantId, { maxConcurrentRuns: 1 })).errors).toBeUndefined();
    const data = await uploadCsv(limited, PIMA_CSV, 'pima');
    const spec = { ...KERAS_SPEC, epochs: 1 };
    const both = await Promise.all([0, 1].map((i) => gql(limited, START_RUN, { input: { datasetId: data, targetColumn: 'Outcome', modelName: `m${i}`, spec } })));
    const refused = both.filter((r) => r.errors);
    expect(refused).toHaveLength(1);
    expect(refused[0].errors?.[0]).toMatchObject({ message: '1 training runs are already queued or running; the quota is 1 at once', extensions: { code: 'QUOTA_EXCEEDED' } });
    const started = both.find((r) => !r.errors)!.data!.startTrainingRun.id;
    await waitForRun(limited, started);
  });

  it('predictionsPerMinute, and a change takes effect for the next request', async () => {
    const data = await uploadCsv(limited, PIMA_CSV, 'pima');
    expect((await waitForRun(limited, (await startRun(limited, data, 'diabetes', { ...KERAS_SPEC, epochs: 1 })).id)).status).toBe('SUCCEEDED');
    const rows = PIMA_ROWS.slice(0, 3).map(({ Outcome: _o, ...r }) => r);
    expect((await gql(limited, PREDICT, { model: 'diabetes', rows })).errors).toBeUndefined(); // cached at the default
    expect((await setLimits(limited.tenantId, { predictionsPerMinute: 2 })).errors).toBeUndefined();
    const refused = await gql(limited, PREDICT, { model: 'diabetes', rows });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'This call needs 3 predictions (rows, or model evaluations for explain), more than the rate limit of 2 per minute allows at all: send fewer rows',
      extensions: { code: 'QUOTA_EXCEEDED' },
    });
    expect((await setLimits(limited.tenantId, { predictionsPerMinute: 1000 })).errors).toBeUndefined();
    expect((await gql(limited, PREDICT, { model: 'diabetes', rows })).errors).toBeUndefined();
  });
});

describe('concurrent batch predictions (QUOTA_CONCURRENT_BATCHES)', () => {
  const START = 'mutation($d: ID!) { startBatchPrediction(model: "diabetes", datasetId: $d) { id } }';
  const waitForBatch = async (t: TenantBundle, id: string) => {
    for (;;) {
      const b = (await gqlOk(t, 'query($id: ID!) { batchPrediction(id: $id) { status } }', { id })).batchPrediction;
      if (b.status !== 'QUEUED' && b.status !== 'RUNNING') return b.status;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it("refuses a batch past the tenant's limit (default, then set per tenant) in the writing transaction", async () => {
    const t = await createTenant(app, 'batcher');
    const data = await uploadCsv(t, PIMA_CSV, 'pima');
    expect((await waitForRun(t, (await startRun(t, data, 'diabetes', { ...KERAS_SPEC, epochs: 1 })).id)).status).toBe('SUCCEEDED');

    // The default (3 here): 4 at once, one is refused.
    const four = await Promise.all([0, 1, 2, 3].map(() => gql(t, START, { d: data })));
    const refused = four.filter((r) => r.errors);
    expect(refused).toHaveLength(1);
    expect(refused[0].errors?.[0]).toMatchObject({ message: '3 batch predictions are already queued or running; the quota is 3 at once', extensions: { code: 'QUOTA_EXCEEDED' } });
    for (const r of four.filter((x) => !x.errors)) expect(await waitForBatch(t, r.data!.startBatchPrediction.id)).toBe('SUCCEEDED');

    // Set to 1 for this tenant: 2 at once, one is refused.
    expect((await setLimits(t.tenantId, { maxConcurrentBatches: 1 })).errors).toBeUndefined();
    const two = await Promise.all([0, 1].map(() => gql(t, START, { d: data })));
    expect(two.filter((r) => r.errors).map((r) => r.errors?.[0]?.message)).toEqual(['1 batch predictions are already queued or running; the quota is 1 at once']);
    expect(await waitForBatch(t, two.find((r) => !r.errors)!.data!.startBatchPrediction.id)).toBe('SUCCEEDED');
    // Once it ended, the next one is accepted.
    const next = await gql(t, START, { d: data });
    expect(next.errors).toBeUndefined();
    expect(await waitForBatch(t, next.data!.startBatchPrediction.id)).toBe('SUCCEEDED');
  });
});
