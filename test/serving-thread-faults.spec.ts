/**
 * A model whose scoring crashes its runtime does not take down other tenants' predictions (issue
 * #10, item 1, serving side, SERVING_ISOLATION=thread). The faults are real (SCORING_FAULT_INJECTION:
 * a WebAssembly abort, a V8 heap exhausted past SERVING_THREAD_HEAP_MB), not mocks.
 *
 * Versions are trained by a first API process; a second one, on the same database, is started with
 * the injection naming them (their ids are known only once trained).
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { PIMA_ROW } from '../src/client/reference-job';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_CSV } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { trainVersion } from './support/training';

const EXPLAIN = `query($model: String!, $rows: [JSONObject!]!) {
  explain(model: $model, rows: $rows) { method explanations { prediction { label } attributions { feature attribution } } }
}`;
const SPEC = { ...KERAS_SPEC, epochs: 2 };

let a: TenantBundle;
let b: TenantBundle;
const ids: Record<string, string> = {};
const datasets: Record<string, string> = {};

/** The same tenant, calling `app`. */
const on = (app: App, t: TenantBundle): TenantBundle => ({ ...t, url: app.server.url, wsUrl: app.server.wsUrl });

beforeAll(async () => {
  const trainer = await startTestApp();
  try {
    a = await createTenant(trainer, 'crashing');
    b = await createTenant(trainer, 'healthy');
    datasets.a = await uploadCsv(a, PIMA_CSV, 'pima');
    datasets.b = await uploadCsv(b, PIMA_CSV, 'pima');
    ids.crasher = (await trainVersion(a, { datasetId: datasets.a, targetColumn: 'Outcome', modelName: 'crasher', spec: SPEC })).id;
    ids.hog = (await trainVersion(a, { datasetId: datasets.a, targetColumn: 'Outcome', modelName: 'hog', spec: SPEC })).id;
    ids.b = (await trainVersion(b, { datasetId: datasets.b, targetColumn: 'Outcome', modelName: 'diabetes', spec: SPEC })).id;
  } finally {
    await trainer.stop();
  }
});

describe('on scoring threads', () => {
  let app: App;
  let ta: TenantBundle;
  let tb: TenantBundle;
  beforeAll(async () => {
    app = await startAppOnWorkerDatabase({ SCORING_FAULT_INJECTION: `${ids.crasher}:abort,${ids.hog}:oom`, SERVING_THREAD_HEAP_MB: '256' });
    ta = on(app, a);
    tb = on(app, b);
  });
  afterAll(() => app.stop());

  const predictB = () => gqlOk(tb, PREDICT, { model: 'diabetes', rows: [PIMA_ROW] }).then((r) => r.predict.predictions);
  const health = async () => {
    const res = await fetch(app.server.url.replace('/graphql', '/healthz'));
    return { status: res.status, body: await res.json() };
  };

  it('fails only the crashing version (RUNTIME_FAULT), quarantines it, and keeps the other tenant predicting', async () => {
    const expectedB = await predictB();
    // The crasher loaded, so its first call is the one that crashes the thread, with B's calls around it.
    const before = gql(ta, PREDICT, { model: 'crasher', rows: [PIMA_ROW] });
    const bs = Array.from({ length: 8 }, () => predictB());
    const crashed = await before;
    expect(codeOf(crashed)).toBe('MODEL_NOT_READY');
    expect(crashed.errors![0].extensions).toMatchObject({ fault: 'RUNTIME_FAULT', modelVersionId: ids.crasher, retryAfterSeconds: 300 });
    expect(crashed.errors![0].message).toMatch(new RegExp(`^Model version '${ids.crasher}' crashed its scoring runtime \\(Aborted\\(injected scoring fault\\)`));
    for (const p of await Promise.all(bs)) expect(p).toEqual(expectedB); // in flight or queued meanwhile: run on the fresh thread

    // Quarantined: refused at once, without crashing another thread.
    const refused = await gql(ta, PREDICT, { model: 'crasher', rows: [PIMA_ROW] });
    expect(codeOf(refused)).toBe('MODEL_NOT_READY');
    expect(refused.errors![0].extensions).toMatchObject({ fault: 'RUNTIME_FAULT', modelVersionId: ids.crasher });
    expect(refused.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(300);
    expect(refused.errors![0].message).toMatch(/it is quarantined for \d+ more seconds$/);
    const explained = await gql(ta, EXPLAIN, { model: 'crasher', rows: [PIMA_ROW] });
    expect(explained.errors![0].extensions).toMatchObject({ code: 'MODEL_NOT_READY', fault: 'RUNTIME_FAULT' });

    // The other tenant: predictions and explanations after the fault.
    expect(await predictB()).toEqual(expectedB);
    const explanation = (await gqlOk(tb, EXPLAIN, { model: 'diabetes', rows: [PIMA_ROW] })).explain;
    expect(explanation.method).toBe('exact');
    expect(explanation.explanations[0].attributions).toHaveLength(8);

    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body).toEqual({ status: 'ok', scoring: { isolation: 'thread', threads: 1, running: 1, faults: 1, retries: expect.any(Number), quarantined: 1 } });
    const metrics = await (await fetch(app.server.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/^maas_scoring_runtime_faults_total 1$/m);
    expect(metrics).toMatch(/^maas_scoring_quarantined_versions 1$/m);
    expect(metrics).not.toContain(a.tenantId);
  });

  it('keeps the scoring thread’s tensor count flat across predictions and explanations', async () => {
    await predictB();
    await gqlOk(tb, EXPLAIN, { model: 'diabetes', rows: [PIMA_ROW] });
    const [before] = await app.threads.scoring!.threadInfo();
    for (let i = 0; i < 10; i++) {
      await Promise.all([predictB(), predictB(), gqlOk(tb, EXPLAIN, { model: 'diabetes', rows: [PIMA_ROW] })]);
    }
    const [after] = await app.threads.scoring!.threadInfo();
    expect(after.threadId).toBe(before.threadId);
    expect(after.tensors).toBe(before.tensors);
  });

  /** Starts a batch prediction and waits for its last event. */
  async function batch(t: TenantBundle, model: string, datasetId: string) {
    const id = (await gqlOk(t, 'mutation($m: String!, $d: ID!) { startBatchPrediction(model: $m, datasetId: $d) { id } }', { m: model, d: datasetId })).startBatchPrediction.id;
    const client = wsClient(t.wsUrl, t.token);
    await collect(client, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status } }', { id }).done;
    await client.dispose();
    return (await gqlOk(t, 'query($id: ID!) { batchPrediction(id: $id) { status processedRows failureMessage } }', { id })).batchPrediction;
  }

  it('fails only the batch whose version exhausts its thread’s memory, with the reason', async () => {
    const failed = await batch(ta, 'hog', datasets.a);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureMessage).toMatch(new RegExp(`^Model version '${ids.hog}' crashed its scoring runtime \\(.*memory.*\\); it is quarantined for 300 seconds$`, 'i'));
    const ok = await batch(tb, 'diabetes', datasets.b);
    expect(ok).toEqual({ status: 'SUCCEEDED', processedRows: 768, failureMessage: null });
    expect(await predictB()).toHaveLength(1);
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body.scoring).toMatchObject({ faults: 2, quarantined: 2 });
  });
});

describe('inline (SERVING_ISOLATION=inline)', () => {
  let app: App;
  beforeAll(async () => (app = await startAppOnWorkerDatabase({ SERVING_ISOLATION: 'inline', SCORING_FAULT_INJECTION: ids.crasher, WORKER_ENABLED: 'false' })));
  afterAll(() => app.stop());

  it('fails the call with RUNTIME_FAULT, quarantines the version as the threads do, and the aborted runtime fails /healthz', async () => {
    const failed = await gql(on(app, a), PREDICT, { model: 'crasher', rows: [PIMA_ROW] });
    expect(codeOf(failed)).toBe('MODEL_NOT_READY');
    expect(failed.errors![0].extensions).toMatchObject({ fault: 'RUNTIME_FAULT', modelVersionId: ids.crasher, retryAfterSeconds: 300 });
    expect(failed.errors![0].message).toMatch(
      new RegExp(`^Model version '${ids.crasher}' crashed its scoring runtime \\(Aborted\\(injected scoring fault\\).*; it is quarantined for 300 seconds$`),
    );

    // Refused at once, before loading or scoring it again ("more seconds": the quarantine's answer, not a new fault's).
    for (const query of [PREDICT, EXPLAIN]) {
      const refused = await gql(on(app, a), query, { model: 'crasher', rows: [PIMA_ROW] });
      expect(codeOf(refused)).toBe('MODEL_NOT_READY');
      expect(refused.errors![0].extensions).toMatchObject({ fault: 'RUNTIME_FAULT', modelVersionId: ids.crasher });
      expect(refused.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(300);
      expect(refused.errors![0].message).toMatch(/it is quarantined for \d+ more seconds$/);
    }
    // The injected abort leaves the runtime usable (a real one would not: hence /healthz), so the other tenant still predicts.
    expect((await gqlOk(on(app, b), PREDICT, { model: 'diabetes', rows: [PIMA_ROW] })).predict.predictions).toHaveLength(1);

    const res = await fetch(app.server.url.replace('/graphql', '/healthz'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'runtime aborted',
      reason: expect.stringMatching(/^Aborted\(injected scoring fault\)/),
      scoring: { isolation: 'inline', quarantined: 1 },
    });
  });
});
