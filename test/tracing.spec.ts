/**
 * OpenTelemetry tracing (src/lib/tracing/), end to end: the real server exports over OTLP/HTTP
 * (JSON) to a receiver started here, as it would to a collector. With tracing on: a predict's span
 * tree (request → predict → model cache → micro-batch → its scorer call → scoring thread) over the
 * fast path and the express path, a caller's `traceparent` continued, a V2 infer's tree, and a
 * training run's spans (the request, the queue hand-off, the run with its epochs, the thread's
 * phases and the version write) linked to the request that started it. With tracing off
 * (OTEL_TRACES_EXPORTER=none, even with an endpoint set): no span is recorded and nothing is sent.
 * Spans carry no credential and no request data.
 */
import zlib from 'node:zlib';
import { trace } from '@opentelemetry/api';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { tracingOn } from '../src/lib/tracing/tracer';
import { startTestApp } from './support/app';
import { KERAS_SPEC, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { startRun, trainVersion, waitForRun } from './support/training';
import { matrixTensor, v2 } from './support/v2';

const ROW = PIMA_ROWS[0]!;
const FEATURES = PIMA_COLUMNS.slice(0, 8);
const SCORE = 'query Score($rows: [JSONObject!]!) { predict(model: "traced", rows: $rows) { version predictions { label } } }';

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan, name?: string) =>
  spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId && (name === undefined || s.name === name));
/** The one span matching: fails naming what was there otherwise. */
function one(spans: ReceivedSpan[], what: string): ReceivedSpan {
  expect({ what, count: spans.length, names: spans.map((s) => s.name) }).toMatchObject({ count: 1 });
  return spans[0]!;
}

describe('tracing off', () => {
  let app: App;
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    app = await startTestApp({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  });
  afterAll(async () => {
    if (!stopped) await app.stop();
    await receiver.close().catch(() => undefined); // closed by the last test already
  });
  let stopped = false;

  it('records no span and sends nothing, while predict and training answer as ever', async () => {
    expect(app.tracing.on).toBe(false);
    expect(tracingOn()).toBe(false);
    // No tracer provider is registered: the API's tracer hands out non-recording spans only.
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    const t = await createTenant(app, 'untraced');
    const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
    await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'traced', spec: { ...KERAS_SPEC, epochs: 1 } });
    const answer = await gqlOk(t, SCORE, { rows: [ROW] });
    expect(answer.predict.version).toBe(1);
    const runs = await app.db.prisma.trainingRun.findMany({ where: { tenantId: t.tenantId }, select: { traceParent: true } });
    expect(runs).toEqual([{ traceParent: null }]);
    await app.tracing.flush();
    await app.stop();
    stopped = true;
    expect(receiver.requests).toBe(0);
  });
});

describe('tracing on', () => {
  let app: App;
  let receiver: OtlpReceiver;
  let t: TenantBundle;
  let runId: string;

  /** The spans received once `done` holds of them, flushing the exporter until it does (bounded). */
  async function spansWhen(done: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
    for (let i = 0; i < 200; i++) {
      await app.tracing.flush();
      if (done(receiver.spans)) return receiver.spans;
      await new Promise((r) => setImmediate(r)); // a response's span ends when its socket closes, just after the client has the answer
    }
    throw new Error(`the expected spans never arrived; received: ${receiver.spans.map((s) => s.name).join(', ')}`);
  }

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // The scoring thread's spans are what these traces check: small calls would otherwise score on the
    // API thread (INLINE_SCORING_MAX_MACS: a `micro-batch.score` span with `maas.batch.inline`, no thread call).
    app = await startTestApp({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'maas-test', INLINE_SCORING_MAX_MACS: '0' });
    t = await createTenant(app, 'traced');
    const datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
    runId = (await startRun(t, datasetId, 'traced', { ...KERAS_SPEC, epochs: 3 })).id;
    expect((await waitForRun(t, runId)).status).toBe('SUCCEEDED');
  });
  let stopped = false;
  afterAll(async () => {
    if (!stopped) await app.stop();
    await receiver.close().catch(() => undefined); // closed by the last test already
  });

  it('is on, exporting to the configured endpoint', () => {
    expect(app.tracing).toMatchObject({ on: true, endpoint: `${receiver.url}/v1/traces` });
    expect(tracingOn()).toBe(true);
  });

  it('traces a predict over the fast path: request → predict → model cache (miss, then hit) → micro-batch → scorer call → scoring thread', async () => {
    for (let i = 0; i < 2; i++) expect((await gqlOk(t, SCORE, { rows: [ROW] })).predict.version).toBe(1);
    const spans = await spansWhen((all) => all.filter((s) => s.name === 'query Score').length === 2);
    const requests = spans.filter((s) => s.name === 'query Score').sort((a, b) => a.startMs - b.startMs);
    const hits: unknown[] = [];
    for (const request of requests) {
      expect(request).toMatchObject({ kind: 2, parentSpanId: undefined, service: 'maas-test', status: 0 });
      expect(request.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.route': '/graphql',
        'http.response.status_code': 200,
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'Score',
        'maas.graphql.field': 'predict',
        'maas.tenant.id': t.tenantId,
      });
      const predict = one(childrenOf(spans, request, 'predict'), 'predict under the request');
      expect(predict.attributes).toMatchObject({ 'maas.tenant.id': t.tenantId, 'maas.model.name': 'traced', 'maas.rows': 1, 'maas.model.version': 1 });
      const cache = one(childrenOf(spans, predict, 'model-cache.get'), 'the cache lookup under predict');
      hits.push(cache.attributes['maas.cache.hit']);
      const batch = one(childrenOf(spans, predict, 'micro-batch'), 'the micro-batch under predict');
      expect(batch.attributes).toMatchObject({ 'maas.rows': 1 });
      const scored = one(childrenOf(spans, batch, 'micro-batch.score'), "the batch's scorer call");
      expect(scored.attributes).toMatchObject({ 'maas.batch.rows': 1, 'maas.batch.requests': 1 });
      const thread = one(childrenOf(spans, scored, 'scoring-thread.call'), 'the scoring-thread call');
      expect(thread.attributes).toMatchObject({ 'maas.scoring.method': 'score', 'maas.scoring.lane': 'thread', 'maas.scoring.shard': 0 });
      expect(thread.events.map((e) => e.name)).toEqual(['dispatched']);
      // No credential, document or row value in any span of the request's trace.
      const text = JSON.stringify(spans.filter((s) => s.traceId === request.traceId));
      for (const secret of [t.apiKey, 'JSONObject', 'Glucose']) expect(text).not.toContain(secret);
      const values = spans.filter((s) => s.traceId === request.traceId).flatMap((s) => Object.values(s.attributes));
      expect(values).not.toContain(ROW.Glucose);
      expect(values).not.toContain(String(ROW.Glucose));
    }
    expect(hits).toEqual([false, true]);
  });

  it('traces concurrent predicts: each batch’s scorer call is under its first request and links every other request in it', async () => {
    const answers = await Promise.all(Array.from({ length: 16 }, () => gqlOk(t, SCORE.replace('Score', 'Concurrent'), { rows: [ROW] })));
    expect(answers.map((a) => a.predict.version)).toEqual(Array(16).fill(1));
    const spans = await spansWhen((all) => all.filter((s) => s.name === 'query Concurrent').length === 16);
    const requests = new Set(spans.filter((s) => s.name === 'query Concurrent').map((s) => s.traceId));
    const waits = spans.filter((s) => s.name === 'micro-batch' && requests.has(s.traceId));
    expect(waits).toHaveLength(16);
    const batches = spans.filter((s) => s.name === 'micro-batch.score' && requests.has(s.traceId));
    expect(batches.reduce((n, b) => n + Number(b.attributes['maas.batch.requests']), 0)).toBe(16);
    const waitIds = new Set(waits.map((w) => w.spanId));
    for (const b of batches) {
      expect(waitIds.has(b.parentSpanId!)).toBe(true);
      expect(b.links).toHaveLength(Number(b.attributes['maas.batch.requests']) - 1);
      for (const l of b.links) expect(waitIds.has(l.spanId)).toBe(true);
    }
  });

  it('traces the express path (a gzip body) the same way, and continues a caller’s traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${t.token}`, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: zlib.gzipSync(JSON.stringify({ query: SCORE.replace('Score', 'ScoreViaExpress'), variables: { rows: [ROW] } })),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).data.predict.version).toBe(1);
    const spans = await spansWhen((all) => all.some((s) => s.name === 'query ScoreViaExpress'));
    const request = one(
      spans.filter((s) => s.name === 'query ScoreViaExpress'),
      'the request',
    );
    expect(request).toMatchObject({ kind: 2, traceId, parentSpanId: callerSpan });
    expect(request.attributes).toMatchObject({
      'http.route': '/graphql',
      'http.response.status_code': 200,
      'graphql.operation.name': 'ScoreViaExpress',
      'maas.tenant.id': t.tenantId,
    });
    const predict = one(childrenOf(spans, request, 'predict'), 'predict under the request');
    expect(
      childrenOf(spans, predict)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['micro-batch', 'model-cache.get']);
  });

  it('traces a V2 REST infer: request → infer → model cache → micro-batch → scoring thread', async () => {
    const r = await v2(t.url, '/v2/models/traced/infer', { token: t.token, body: { inputs: [matrixTensor([ROW], FEATURES)] } });
    expect(r.status).toBe(200);
    const spans = await spansWhen((all) => all.some((s) => s.name === 'POST /v2/models/{name}/infer'));
    const request = one(
      spans.filter((s) => s.name === 'POST /v2/models/{name}/infer'),
      'the V2 request',
    );
    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/v2/models/{name}/infer', 'http.response.status_code': 200 });
    const infer = one(childrenOf(spans, request, 'infer'), 'infer under the request');
    expect(infer.attributes).toMatchObject({ 'maas.tenant.id': t.tenantId, 'maas.model.name': 'traced' });
    const names = spans.filter((s) => s.traceId === request.traceId).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['model-cache.get', 'micro-batch', 'micro-batch.score', 'scoring-thread.call']));
    expect(one(childrenOf(spans, infer, 'model-cache.get'), 'the cache lookup').attributes['maas.cache.hit']).toBe(true);
  });

  it('traces a training run: the starting request and queue hand-off, then the run (linked to them) with its epochs, phases and version write', async () => {
    const spans = await spansWhen((all) => all.some((s) => s.name === 'training-run' && s.attributes['maas.run.id'] === runId));
    const start = one(
      spans.filter((s) => s.name === 'training-run.start'),
      'the start',
    );
    expect(start.attributes).toMatchObject({ 'maas.tenant.id': t.tenantId, 'maas.model.name': 'traced', 'maas.run.id': runId });
    const request = one(
      spans.filter((s) => s.spanId === start.parentSpanId),
      'the request that started it',
    );
    expect(request).toMatchObject({ name: 'mutation startTrainingRun', kind: 2 });
    expect(one(childrenOf(spans, start, 'training-run.enqueue'), 'the hand-off')).toMatchObject({ kind: 4, attributes: { 'messaging.destination.name': 'training-run' } });
    const stored = await app.db.prisma.trainingRun.findUniqueOrThrow({ where: { id: runId }, select: { traceParent: true } });
    expect(stored.traceParent).toBe(`00-${start.traceId}-${start.spanId}-01`);

    const run = one(
      spans.filter((s) => s.name === 'training-run' && s.attributes['maas.run.id'] === runId),
      'the run',
    );
    expect(run).toMatchObject({ kind: 5, parentSpanId: undefined, status: 0, service: 'maas-test' });
    expect(run.traceId).not.toBe(start.traceId);
    expect(run.links).toEqual([{ traceId: start.traceId, spanId: start.spanId, attributes: { 'maas.link': 'started-by' } }]);
    expect(run.attributes).toMatchObject({ 'maas.claimed': true, 'maas.tenant.id': t.tenantId, 'maas.model.name': 'traced', 'maas.epochs': 3, 'maas.run.attempt': 1 });
    expect(run.events.filter((e) => e.name === 'epoch').map((e) => e.attributes['maas.epoch'])).toEqual([1, 2, 3]);
    const children = childrenOf(spans, run);
    expect(children.map((s) => s.name).sort()).toEqual(['publish-version', 'training.evaluate', 'training.fit', 'training.prepare']);
    const phase = (name: string) => children.find((s) => s.name === name)!;
    // The thread's phases follow one another, and the version is written after them.
    expect(phase('training.fit').startMs).toBeGreaterThanOrEqual(phase('training.prepare').startMs);
    expect(phase('training.evaluate').startMs).toBeGreaterThanOrEqual(phase('training.fit').startMs);
    expect(phase('publish-version').startMs).toBeGreaterThanOrEqual(phase('training.evaluate').startMs);
  });

  it('loses spans, never a request or the process, when the collector is gone: predict answers and the app stops', async () => {
    await receiver.close();
    expect((await gqlOk(t, SCORE, { rows: [ROW] })).predict.version).toBe(1);
    await app.tracing.flush(); // the export fails: logged, not thrown
    await app.stop();
    stopped = true;
    expect(tracingOn()).toBe(false);
  });
});
