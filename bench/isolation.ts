/**
 * BENCH_ONLY=isolation (issue 10: "one tenant can never slow down another"): tenant B's latency
 * alone and while tenant A hammers super-resolution-10 (~9 MB of JSON per answer, a ~1 MB request)
 * at concurrency 1 and 8, over V2 REST and over GraphQL (and 32 over GraphQL, the hostile review's). B runs two closed loops at once, one
 * request in flight each: a query that does no scoring (`myLimits`) and a tiny predict (an `infer`
 * of B's own mnist-8, one 28×28 image, in the ONNX lane A's calls use too). The figure that matters
 * is B's p50 and p99 with A against B alone, in the same run: the ratio.
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { gqlOk } from '../src/client/graphql-client';
import { sharedDataFile } from '../src/lib/paths';

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
}

/** Uploads an ONNX file from ../shared/data/onnx-models as `model` for the caller's tenant (GraphQL multipart). */
async function upload(apiUrl: string, token: string, model: string, file: string): Promise<void> {
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

/** The tenants and request bodies of the bench, set up once. */
export interface IsolationSetup {
  apiUrl: string;
  aToken: string;
  bToken: string;
  /** A's call over V2 REST and over GraphQL: one super-resolution image. */
  aRest: () => Promise<boolean>;
  aGraphql: () => Promise<boolean>;
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
  const restBody = JSON.stringify({ inputs: aInputs });
  const graphqlBody = JSON.stringify({ query: `query($i: [InferTensorInput!]!) { infer(model: "${A_MODEL}", inputs: $i) { outputs { shape data } } }`, variables: { i: aInputs } });
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
    aRest: () => post(`${base}/v2/models/${A_MODEL}/infer`, aToken, restBody),
    aGraphql: () => post(apiUrl, aToken, graphqlBody),
    bQuery: () => post(apiUrl, bToken, bQueryBody),
    bPredict: () => post(apiUrl, bToken, bPredictBody),
  };
  for (const call of [setup.aRest, setup.aGraphql, setup.bQuery, setup.bPredict]) if (!(await call())) throw new Error('a warm-up call failed');
  return setup;
}

/**
 * B's two loops for `seconds`, while `concurrency` loops of `a` (none: B alone) run.
 * @returns B's figures per loop and A's calls.
 */
export async function isolationPhase(s: IsolationSetup, seconds: number, a?: () => Promise<boolean>, concurrency = 0): Promise<IsolationPhase> {
  const end = performance.now() + seconds * 1000;
  let over = false;
  const stop = () => over || performance.now() >= end;
  const aLoops = a ? Array.from({ length: concurrency }, () => closedLoop(a, () => over)) : [];
  const [bQuery, bPredict] = await Promise.all([closedLoop(s.bQuery, stop), closedLoop(s.bPredict, stop)]);
  over = true;
  const aResults = await Promise.all(aLoops);
  const aTimes = aResults.flatMap((r) => r.times);
  return {
    bQuery: figures(bQuery),
    bPredict: figures(bPredict),
    aCalls: aTimes.length,
    aRefused: aResults.reduce((n, r) => n + r.failed, 0),
    aMeanMs: aTimes.length ? aTimes.reduce((x, y) => x + y, 0) / aTimes.length : 0,
  };
}

/**
 * The section: B alone, then with A at concurrency 1 and 8 over V2 REST and GraphQL, each row
 * with B's p50 and p99 as multiples of B alone (same run).
 * @param apiUrl the API's /graphql URL (V2 on the same server).
 * @param adminSecret the API's ADMIN_SECRET (creates the two tenants).
 */
export async function runIsolationBench(apiUrl: string, adminSecret: string, seconds: number, say: (s?: string) => void): Promise<void> {
  const s = await setUpIsolation(apiUrl, adminSecret, String(Date.now()));
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ');
  say(`## Tenant isolation: tenant B's latency while tenant A hammers super-resolution (BENCH_ONLY=isolation, ${seconds} s per row)`);
  say();
  say(
    "B runs two closed loops, one request in flight each: `myLimits` (no scoring) and an `infer` of its own mnist-8 (one image, the ONNX lane A uses too). A sends one super-resolution image per call (a ~1 MB request, a ~9 MB JSON answer) from 1 or 8 loops. × is B's figure over B alone's, from this run.",
  );
  say();
  say(
    '| tenant A | B query p50 ms | p99 ms | B predict p50 ms | p99 ms | B query p50 / p99 × alone | B predict p50 / p99 × alone | A calls (refused) | A ms per call | load average |',
  );
  say('|---|---|---|---|---|---|---|---|---|---|');
  await isolationPhase(s, Math.min(3, seconds)); // warm-up (connections, JIT), not reported
  const alone = await isolationPhase(s, seconds);
  const x = (v: number, base: number) => `${(v / Math.max(base, 0.1)).toFixed(1)}×`;
  const row = (label: string, p: IsolationPhase) =>
    say(
      `| ${label} | ${p.bQuery.p50.toFixed(1)} | ${p.bQuery.p99.toFixed(1)} | ${p.bPredict.p50.toFixed(1)} | ${p.bPredict.p99.toFixed(1)} | ${x(p.bQuery.p50, alone.bQuery.p50)} / ${x(p.bQuery.p99, alone.bQuery.p99)} | ${x(p.bPredict.p50, alone.bPredict.p50)} / ${x(p.bPredict.p99, alone.bPredict.p99)} | ${p.aCalls} (${p.aRefused}) | ${p.aMeanMs.toFixed(0)} | ${load()} |`,
    );
  row('nothing (B alone)', alone);
  for (const [label, call, levels] of [
    ['V2 REST', s.aRest, [1, 8]],
    ['GraphQL', s.aGraphql, [1, 8, 32]],
  ] as const)
    for (const c of levels) row(`${label}, ${c} at a time`, await isolationPhase(s, seconds, call, c));
  row('nothing again (B alone)', await isolationPhase(s, seconds));
  say();
  say(`${os.cpus().length} CPUs; client and server on one machine (the client's own work counts in the wall-clock figures).`);
  say();
}
