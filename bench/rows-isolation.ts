/**
 * BENCH_ONLY=isolation-rows (issue 10, hostile review F3): tenant B's latency alone and while
 * tenant A sends 20 GraphQL `predict` calls at a time of 10,000 rows each, as `rows: [JSONObject!]`
 * (what the review sent: 1.47 MB, one object per row in and out) and, for comparison, as `matrix`.
 * B runs `myLimits` (no scoring) and a one-row predict of its own model in two closed loops;
 * A's loops run on a worker thread (bench/isolation-load.ts). Same phases and figures as
 * bench/isolation.ts: B alone, then B with A, back to back, with the API's event-loop delay and
 * its main thread's CPU per A call.
 */
import os from 'node:os';
import { gqlOk, type Caller } from '../src/client/graphql-client';
import { KERAS_SPEC, PIMA_ROW as ROW } from '../src/client/reference-job';
import { isolationPhase, type IsolationPhase, type IsolationSetup, type LoopFigures } from './isolation';

/** Rows per call of A and A's loops (the review's figures). */
const A_ROWS = 10_000;
const A_LOOPS = 20;

/** A POST of `body` as `token`: whether it was answered 200 with data. */
async function post(url: string, token: string, body: string): Promise<boolean> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
  const text = await res.text();
  return res.status === 200 && text.startsWith('{"data":{') && !text.includes('"errors":[');
}

/** Trains `model` on `csv` for the caller (the reference spec, 1 epoch) and waits for it. */
async function train(caller: Caller, csv: string, model: string): Promise<void> {
  const datasetId = (await gqlOk(caller, 'mutation($csv: String!) { uploadDataset(name: "iso-rows", csv: $csv) { id } }', { csv })).uploadDataset.id as string;
  const run = await gqlOk(caller, 'mutation($i: StartTrainingRunInput!) { startTrainingRun(input: $i) { id } }', {
    i: { datasetId, targetColumn: 'Outcome', modelName: model, spec: { ...KERAS_SPEC, epochs: 1 } },
  });
  for (;;) {
    const { status } = (await gqlOk(caller, 'query($id: ID!) { trainingRun(id: $id) { status } }', { id: run.startTrainingRun.id })).trainingRun;
    if (status === 'SUCCEEDED') return;
    if (status === 'FAILED' || status === 'CANCELLED') throw new Error(`B's training run ${status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * The section.
 * @param a tenant A (its model `aModel` trained on the Pima columns).
 * @param csv the Pima CSV (B trains its own model on it).
 * @param apiPid the API's process id (its main thread's CPU per A call).
 */
export async function runRowsIsolationBench(
  apiUrl: string,
  adminSecret: string,
  a: Caller,
  aModel: string,
  csv: string,
  seconds: number,
  say: (s?: string) => void,
  apiPid: number,
) {
  const admin = { url: apiUrl, headers: { 'x-admin-secret': adminSecret } };
  const bToken = (await gqlOk(admin, `mutation { createTenant(name: "bench-iso-rows-b-${Date.now()}") { apiKey } }`)).createTenant.apiKey as string;
  await train({ url: apiUrl, token: bToken }, csv, 'b-model');
  const rows = Array.from({ length: A_ROWS }, (_, i) => ({ ...ROW, Glucose: 80 + (i % 120) }));
  const columns = Object.keys(ROW);
  const rowsBody = JSON.stringify({ query: `query($r: [JSONObject!]) { predict(model: "${aModel}", rows: $r) { predictions { label probability } } }`, variables: { r: rows } });
  const matrixBody = JSON.stringify({
    query: `query($m: FeatureMatrix) { predict(model: "${aModel}", matrix: $m) { columns(fields: [LABEL, PROBABILITY]) } }`,
    variables: { m: { columns, rows: rows.map((r) => columns.map((c) => (r as Record<string, number>)[c])) } },
  });
  const bPredictBody = JSON.stringify({ query: 'query($r: [JSONObject!]) { predict(model: "b-model", rows: $r) { predictions { label probability } } }', variables: { r: [ROW] } });
  const bQueryBody = JSON.stringify({ query: '{ myLimits { predictionsPerMinute } }' });
  const s: IsolationSetup = {
    apiUrl,
    aToken: a.token!,
    bToken,
    aRest: { url: apiUrl, body: matrixBody },
    aGraphql: { url: apiUrl, body: rowsBody },
    bQuery: () => post(apiUrl, bToken, bQueryBody),
    bPredict: () => post(apiUrl, bToken, bPredictBody),
  };
  for (const body of [rowsBody, matrixBody]) if (!(await post(apiUrl, a.token!, body))) throw new Error("A's warm-up call failed");
  for (const call of [s.bQuery, s.bPredict]) if (!(await call())) throw new Error("B's warm-up call failed");
  say(`## Tenant isolation: B while A sends ${A_LOOPS} × ${A_ROWS.toLocaleString('en')}-row GraphQL predicts (BENCH_ONLY=isolation-rows, ${seconds} s per phase)`);
  say();
  say(
    '| tenant A | B query p50 / p99 ms, alone → with A | B predict p50 / p99 ms, alone → with A | event-loop delay p99 / max ms, alone → with A | A calls (refused) | A ms per call | API main-thread CPU ms per A call | load average |',
  );
  say('|---|---|---|---|---|---|---|---|');
  await isolationPhase(s, Math.min(3, seconds)); // warm-up, not reported
  const ms = (f: LoopFigures) => `${f.p50.toFixed(1)} / ${f.p99.toFixed(0)}`;
  for (const [label, call] of [
    ['`rows: [JSONObject!]` → `predictions { label probability }`', s.aGraphql],
    ['`matrix` → `columns(fields: [LABEL, PROBABILITY])`', s.aRest],
  ] as const) {
    const alone = await isolationPhase(s, seconds, undefined, 0, apiPid);
    const p: IsolationPhase = await isolationPhase(s, seconds, call, A_LOOPS, apiPid);
    const bCalls = (f: IsolationPhase) => f.bQuery.calls + f.bPredict.calls;
    const perA = p.aCalls ? (p.mainCpuMs - (alone.mainCpuMs / bCalls(alone)) * bCalls(p)) / p.aCalls : NaN;
    say(
      `| ${label}, ${A_LOOPS} at a time | ${ms(alone.bQuery)} → ${ms(p.bQuery)} | ${ms(alone.bPredict)} → ${ms(p.bPredict)} | ${alone.loop.p99.toFixed(0)} / ${alone.loop.max.toFixed(0)} → ${p.loop.p99.toFixed(0)} / ${p.loop.max.toFixed(0)} | ${p.aCalls} (${p.aRefused}) | ${p.aMeanMs.toFixed(0)} | ${Number.isNaN(perA) ? '—' : perA.toFixed(0)} | ${os.loadavg()[0]!.toFixed(1)} |`,
    );
  }
  say();
}
