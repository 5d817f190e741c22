/**
 * BENCH_ONLY=isolation (issue 10: "one tenant can never slow down another"): tenant B's latency
 * alone and while tenant A hammers super-resolution-10 (~9 MB of JSON per answer, a ~1 MB request)
 * at concurrency 1 and 8, over V2 REST and over GraphQL (and 32 over GraphQL, the hostile review's). B runs two closed loops at once, one
 * request in flight each: a query that does no scoring (`myLimits`) and a tiny predict (an `infer`
 * of B's own mnist-8, one 28×28 image, in the ONNX lane A's calls use too). A's loops run on a
 * worker thread (bench/isolation-load.ts), so reading A's answers does not delay B's timing here.
 * The figure that matters is B's p50 and p99 with A against B alone, in the same run: the ratio.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { gqlOk } from '../src/client/graphql-client';
import { sharedDataFile } from '../src/lib/paths';
import { cpuMicros } from './anchors';
import type { LoadOrder, LoadResult } from './isolation-load';

/** A's model (super-resolution-10) and B's (mnist-8). */
const A_MODEL = 'bench-iso-superres';
const B_MODEL = 'bench-iso-mnist';

/** Latency figures of one loop, ms. */
export interface LoopFigures {
  p50: number;
  p99: number;
  max: number;
  calls: number;
  /** Answers other than 200 without errors. */
  failed: number;
}

/** One phase: B's two loops, and A's calls. */
export interface IsolationPhase {
  bQuery: LoopFigures;
  bPredict: LoopFigures;
  aCalls: number;
  /** A's answers other than 200 (e.g. 429 once an in-flight cap refuses them). */
  aRefused: number;
  aMeanMs: number;
  /** The API's event-loop delay during the phase, ms. */
  loop: { p99: number; max: number };
  /** CPU the API's main thread (its event loop) used during the phase, ms; NaN without the API's process id. */
  mainCpuMs: number;
}

/** Uploads an ONNX file from ../shared/data/onnx-models as `model` for the caller's tenant (GraphQL multipart). */
export async function upload(apiUrl: string, token: string, model: string, file: string): Promise<void> {
  const bytes = fs.readFileSync(sharedDataFile('onnx-models', file));
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: `mutation($file: Upload) { uploadModelVersion(model: "${model}", file: $file) { version } }`, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), file);
  const res = await fetch(apiUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' }, body: form });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`${file} upload failed: ${JSON.stringify(body.errors)}`);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** A POST of `body` to `url` as `token`. @returns the status and whether the answer was a success. */
async function post(url: string, token: string, body: string): Promise<boolean> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
  const text = await res.text();
  return res.status === 200 && !text.startsWith('{"errors"') && !text.includes('"errors":[');
}

/**
 * The API process' event-loop delay since the last read of /metrics (prom-client's monitorEventLoopDelay,
 * reset on each read): p99 and max, ms.
 */
async function loopDelay(apiUrl: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(apiUrl.replace(/\/graphql$/, '/metrics'))).text();
  const read = (name: string) => Number(new RegExp(`^maas_nodejs_eventloop_lag_${name}_seconds (\\S+)`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  return { p99: read('p99'), max: read('max') };
}

/** Runs `call` one after another until `stop()`. @returns each call's ms and how many failed. */
async function closedLoop(call: () => Promise<boolean>, stop: () => boolean): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  while (!stop()) {
    const t0 = performance.now();
    if (!(await call())) failed++;
    times.push(performance.now() - t0);
  }
  return { times, failed };
}

function figures({ times, failed }: { times: number[]; failed: number }): LoopFigures {
  const sorted = [...times].sort((x, y) => x - y);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? 0, calls: times.length, failed };
}

/** One of A's calls: where it goes and what it sends. */
export interface ACall {
  url: string;
  body: string;
}

/** The tenants and request bodies of the bench, set up once. */
export interface IsolationSetup {
  apiUrl: string;
  aToken: string;
  bToken: string;
  /** A's call over V2 REST and over GraphQL: one super-resolution image. */
  aRest: ACall;
  aGraphql: ACall;
  bQuery: () => Promise<boolean>;
  bPredict: () => Promise<boolean>;
}

/** Creates tenants A and B (names suffixed by `tag`), uploads their models and warms both up. */
export async function setUpIsolation(apiUrl: string, adminSecret: string, tag: string): Promise<IsolationSetup> {
  const admin = { url: apiUrl, headers: { 'x-admin-secret': adminSecret } };
  const tenant = async (name: string) => (await gqlOk(admin, `mutation { createTenant(name: "${name}") { apiKey } }`)).createTenant.apiKey as string;
  const aToken = await tenant(`bench-iso-a-${tag}`);
  const bToken = await tenant(`bench-iso-b-${tag}`);
  await upload(apiUrl, aToken, A_MODEL, 'super-resolution-10.onnx');
  await upload(apiUrl, bToken, B_MODEL, 'mnist-8.onnx');
  const base = apiUrl.replace(/\/graphql$/, '');
  const image = Array.from({ length: 224 * 224 }, (_, i) => (i % 224) / 224);
  const aInputs = [{ name: 'input', datatype: 'FP32', shape: [1, 1, 224, 224], data: image }];
  const digit = Array.from({ length: 28 * 28 }, (_, i) => ((i * 7) % 255) / 255);
  const bPredictBody = JSON.stringify({
    query: `query($i: [InferTensorInput!]!) { infer(model: "${B_MODEL}", inputs: $i) { outputs { data } } }`,
    variables: { i: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: digit }] },
  });
  const bQueryBody = JSON.stringify({ query: '{ myLimits { predictionsPerMinute } }' });
  const setup: IsolationSetup = {
    apiUrl,
    aToken,
    bToken,
    aRest: { url: `${base}/v2/models/${A_MODEL}/infer`, body: JSON.stringify({ inputs: aInputs }) },
    aGraphql: {
      url: apiUrl,
      body: JSON.stringify({ query: `query($i: [InferTensorInput!]!) { infer(model: "${A_MODEL}", inputs: $i) { outputs { shape data } } }`, variables: { i: aInputs } }),
    },
    bQuery: () => post(apiUrl, bToken, bQueryBody),
    bPredict: () => post(apiUrl, bToken, bPredictBody),
  };
  for (const call of [setup.aRest, setup.aGraphql]) if (!(await post(call.url, aToken, call.body))) throw new Error(`A's warm-up call to ${call.url} failed`);
  for (const call of [setup.bQuery, setup.bPredict]) if (!(await call())) throw new Error("B's warm-up call failed");
  return setup;
}

/** Starts A's `concurrency` loops of `call` on a worker thread (bench/isolation-load.ts). @returns a function that stops them and gives their figures. */
function startLoad(s: IsolationSetup, call: ACall, concurrency: number): () => Promise<LoadResult> {
  const order: LoadOrder = { url: call.url, token: s.aToken, body: call.body, concurrency };
  const worker = new Worker(path.join(__dirname, 'isolation-load.js'), { workerData: order });
  const result = new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return async () => {
    worker.postMessage('stop');
    const r = await result;
    await worker.terminate();
    return r;
  };
}

/**
 * B's two loops for `seconds`, while `concurrency` loops of A's `call` (none: B alone) run.
 * @returns B's figures per loop and A's calls.
 */
export async function isolationPhase(s: IsolationSetup, seconds: number, call?: ACall, concurrency = 0, apiPid?: number): Promise<IsolationPhase> {
  const mainBefore = apiPid === undefined ? NaN : cpuMicros(apiPid, true);
  const end = performance.now() + seconds * 1000;
  const stop = () => performance.now() >= end;
  await loopDelay(s.apiUrl); // starts a new window
  const stopLoad = call ? startLoad(s, call, concurrency) : undefined;
  const [bQuery, bPredict] = await Promise.all([closedLoop(s.bQuery, stop), closedLoop(s.bPredict, stop)]);
  const loop = await loopDelay(s.apiUrl);
  const mainCpuMs = apiPid === undefined ? NaN : (cpuMicros(apiPid, true) - mainBefore) / 1000;
  const a = (await stopLoad?.()) ?? { times: [], refused: 0 };
  return {
    loop,
    mainCpuMs,
    bQuery: figures(bQuery),
    bPredict: figures(bPredict),
    aCalls: a.times.length,
    aRefused: a.refused,
    aMeanMs: a.times.length ? a.times.reduce((x, y) => x + y, 0) / a.times.length : 0,
  };
}

/**
 * The section: for each of A's loads (V2 REST at concurrency 1 and 8, GraphQL at 1, 8 and 32), B
 * alone, then B with A, back to back, so each ratio compares figures taken seconds apart (the
 * machine's other load drifts over a run).
 * @param apiUrl the API's /graphql URL (V2 on the same server).
 * @param adminSecret the API's ADMIN_SECRET (creates the two tenants).
 * @param apiPid the API's process id: its main thread's CPU per A call is reported (its event loop's
 *   share of A's calls: what A's requests take from every other tenant).
 */
export async function runIsolationBench(apiUrl: string, adminSecret: string, seconds: number, say: (s?: string) => void, apiPid?: number): Promise<void> {
  const s = await setUpIsolation(apiUrl, adminSecret, String(Date.now()));
  const load = () => os.loadavg()[0]!.toFixed(1);
  say(`## Tenant isolation: tenant B's latency while tenant A hammers super-resolution (BENCH_ONLY=isolation, ${seconds} s per phase)`);
  say();
  say(
    "B runs two closed loops, one request in flight each: `myLimits` (no scoring) and an `infer` of its own mnist-8 (one image, in the ONNX host lane A's calls use too). A sends one super-resolution image per call (a ~1 MB request, a ~9 MB JSON answer) from 1 to 32 loops. Each row measures B alone, then B with A, back to back; × is B with A over B alone (p50 / p99).",
  );
  say();
  say(
    '| tenant A | B query alone p50 / p99 ms | with A | × | B predict alone p50 / p99 ms | with A | × | B calls alone / with A (query + predict) | API event loop delay p99 / max ms, alone → with A | A calls (refused) | A ms per call | API main-thread CPU ms per A call | load average |',
  );
  say('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  await isolationPhase(s, Math.min(3, seconds)); // warm-up (connections, JIT), not reported
  const ms = (f: LoopFigures) => `${f.p50.toFixed(1)} / ${f.p99.toFixed(0)}`;
  const x = (f: LoopFigures, base: LoopFigures) => `${(f.p50 / Math.max(base.p50, 0.1)).toFixed(1)}× / ${(f.p99 / Math.max(base.p99, 0.1)).toFixed(1)}×`;
  for (const [label, call, levels] of [
    ['V2 REST', s.aRest, [1, 8]],
    ['GraphQL', s.aGraphql, [1, 8, 32]],
  ] as const)
    for (const c of levels) {
      const alone = await isolationPhase(s, seconds, undefined, 0, apiPid);
      const p = await isolationPhase(s, seconds, call, c, apiPid);
      // The event loop's CPU with A, less what B's calls in that phase cost (at B alone's CPU per call), per call of A.
      const bCalls = (f: IsolationPhase) => f.bQuery.calls + f.bPredict.calls;
      const perA = p.aCalls ? (p.mainCpuMs - (alone.mainCpuMs / bCalls(alone)) * bCalls(p)) / p.aCalls : NaN;
      say(
        `| ${label}, ${c} at a time | ${ms(alone.bQuery)} | ${ms(p.bQuery)} | ${x(p.bQuery, alone.bQuery)} | ${ms(alone.bPredict)} | ${ms(p.bPredict)} | ${x(p.bPredict, alone.bPredict)} | ${alone.bQuery.calls} + ${alone.bPredict.calls} / ${p.bQuery.calls} + ${p.bPredict.calls} | ${alone.loop.p99.toFixed(0)} / ${alone.loop.max.toFixed(0)} → ${p.loop.p99.toFixed(0)} / ${p.loop.max.toFixed(0)} | ${p.aCalls} (${p.aRefused}) | ${p.aMeanMs.toFixed(0)} | ${Number.isNaN(perA) ? '—' : perA.toFixed(1)} | ${load()} |`,
      );
    }
  say();
  say(`${os.cpus().length} CPUs; client and server on one machine; A's client loops on a worker thread of the bench process, B's on its main thread.`);
  say();
}
