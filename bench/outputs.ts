/**
 * BENCH_ONLY=outputs (issues 10 and 12): how long another tenant's tiny request waits while tenant A
 * fetches a large `infer` answer, super-resolution-10's [n, 1, 672, 672] floats (~9 MB of JSON per
 * image). Tenant B sends one tiny GraphQL query after another (closed loop, its own key); tenant A
 * fetches one answer after another over V2 REST, then over GraphQL. B's longest and p99 latency is
 * the stall A's answer causes (the API process's event loop is shared); B alone is the floor.
 * Measured at the default INFER_MAX_OUTPUT_VALUES (one image, the largest answer allowed) and with A's
 * `inferMaxOutputValues` raised to the old default (4,194,304: eight images, ~72 MB of JSON).
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { gqlOk } from '../src/client/graphql-client';
import { SLICE } from '../src/lib/json-stream';
import { sharedDataFile } from '../src/lib/paths';

const MODEL = 'bench-superres';

/** One phase's figures: B's latencies (ms) and A's calls. */
interface StallFigures {
  /** The API process's longest event-loop delay during the phase (prom-client's, from /metrics), ms. */
  loopMaxMs: number;
  bMaxMs: number;
  bP99Ms: number;
  bP50Ms: number;
  bCalls: number;
  aCalls: number;
  aMeanMs: number;
}

/** Uploads super-resolution-10 as `bench-superres` for the caller's tenant (GraphQL multipart). */
async function upload(apiUrl: string, token: string): Promise<void> {
  const bytes = fs.readFileSync(sharedDataFile('onnx-models', 'super-resolution-10.onnx'));
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: `mutation($file: Upload) { uploadModelVersion(model: "${MODEL}", file: $file) { version } }`, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), 'super-resolution-10.onnx');
  const res = await fetch(apiUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' }, body: form });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`super-resolution upload failed: ${JSON.stringify(body.errors)}`);
}

/** The API's `maas_nodejs_eventloop_lag_max_seconds` since the last read of /metrics, ms. */
async function loopLagMaxMs(apiUrl: string): Promise<number> {
  const text = await (await fetch(apiUrl.replace(/\/graphql$/, '/metrics'))).text();
  const m = /^maas_nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text);
  return m ? Number(m[1]) * 1000 : NaN;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * B's tiny requests for `seconds`, while `a` (when given) runs A's calls one after another.
 * @returns B's latency figures and A's call count and mean time.
 */
async function stall(apiUrl: string, tokenB: string, seconds: number, a?: () => Promise<void>): Promise<StallFigures> {
  await loopLagMaxMs(apiUrl); // each read of /metrics starts a new lag window
  let stop = false;
  const aTimes: number[] = [];
  const aLoop = (async () => {
    while (a && !stop) {
      const t0 = performance.now();
      await a();
      aTimes.push(performance.now() - t0);
    }
  })();
  const tiny = JSON.stringify({ query: '{ myLimits { predictionsPerMinute } }' });
  const bTimes: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    const res = await fetch(apiUrl, { method: 'POST', headers: { authorization: `Bearer ${tokenB}`, 'content-type': 'application/json' }, body: tiny });
    await res.text();
    bTimes.push(performance.now() - t0);
  }
  stop = true;
  await aLoop;
  const sorted = [...bTimes].sort((x, y) => x - y);
  return {
    loopMaxMs: await loopLagMaxMs(apiUrl),
    bMaxMs: sorted.at(-1) ?? 0,
    bP99Ms: quantile(sorted, 0.99),
    bP50Ms: quantile(sorted, 0.5),
    bCalls: bTimes.length,
    aCalls: aTimes.length,
    aMeanMs: aTimes.length ? aTimes.reduce((s, t) => s + t, 0) / aTimes.length : 0,
  };
}

/** CPU ms (this process, user + system) of `fn`. */
function cpuMs(fn: () => unknown): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/**
 * The longest synchronous piece of serialising an answer of `values` floats, CPU ms (so the
 * machine's load does not inflate it): one `JSON.stringify` of the whole answer (GraphQL before
 * streaming, Apollo's), and the largest of the slices the streamed writers encode per event-loop turn.
 */
function serialisationPieces(values: number): { wholeMs: number; sliceMs: number; bytes: number } {
  const data = Array.from({ length: values }, (_, i) => Math.fround(Math.sin(i) * 0.5 + 0.5));
  let bytes = 0;
  const wholeMs = cpuMs(() => (bytes = JSON.stringify({ data: { infer: { outputs: [{ shape: [values], data }] } } }).length));
  let sliceMs = 0;
  for (let at = 0; at < values; at += SLICE)
    sliceMs = Math.max(
      sliceMs,
      cpuMs(() => JSON.stringify(data.slice(at, at + SLICE))),
    );
  return { wholeMs, sliceMs, bytes };
}

/**
 * @param apiUrl the API's /graphql URL (V2 on the same server).
 * @param adminSecret the API's ADMIN_SECRET (raises A's limit for the eight-image rows).
 */
export async function runOutputsBench(apiUrl: string, adminSecret: string, seconds: number, say: (s?: string) => void): Promise<void> {
  const admin = { url: apiUrl, headers: { 'x-admin-secret': adminSecret } };
  const tenant = async (name: string) => {
    const r = await gqlOk(admin, `mutation { createTenant(name: "${name}") { apiKey tenant { id } } }`);
    return { token: r.createTenant.apiKey as string, id: r.createTenant.tenant.id as string };
  };
  const a = await tenant('bench-outputs-a');
  const b = await tenant('bench-outputs-b');
  await upload(apiUrl, a.token);
  const base = apiUrl.replace(/\/graphql$/, '');
  const inputs = (n: number) => [{ name: 'input', datatype: 'FP32', shape: [n, 1, 224, 224], data: Array.from({ length: n * 224 * 224 }, (_, i) => (i % 224) / 224) }];
  const fetchText = async (url: string, body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' }, body });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`A's call failed (${res.status}): ${text.slice(0, 300)}`);
  };
  const rest = (n: number) => {
    const body = JSON.stringify({ inputs: inputs(n) });
    return () => fetchText(`${base}/v2/models/${MODEL}/infer`, body);
  };
  const graphql = (n: number) => {
    const body = JSON.stringify({ query: `query($i: [InferTensorInput!]!) { infer(model: "${MODEL}", inputs: $i) { outputs { shape data } } }`, variables: { i: inputs(n) } });
    return () => fetchText(apiUrl, body);
  };
  await rest(1)(); // loads the model
  const row = (label: string, f: StallFigures) =>
    say(
      `| ${label} | ${f.loopMaxMs.toFixed(0)} | ${f.bMaxMs.toFixed(0)} | ${f.bP99Ms.toFixed(0)} | ${f.bP50Ms.toFixed(1)} | ${f.bCalls} | ${f.aCalls} | ${f.aMeanMs.toFixed(0)} |`,
    );

  say(`## Serving stalls: another tenant's tiny request while tenant A fetches a large infer answer (BENCH_ONLY=outputs, ${seconds} s per row)`);
  say();
  say('| tenant A fetches, one call after another | API event loop: longest stall ms | B longest ms | B p99 ms | B p50 ms | B calls | A calls | A ms per call |');
  say('|---|---|---|---|---|---|---|---|');
  row('nothing (B alone)', await stall(apiUrl, b.token, seconds));
  row('1 image (451,584 values, the default limit) over V2 REST', await stall(apiUrl, b.token, seconds, rest(1)));
  row('1 image over GraphQL', await stall(apiUrl, b.token, seconds, graphql(1)));
  await gqlOk(admin, 'mutation($t: ID!) { setTenantLimits(tenantId: $t, limits: { inferMaxOutputValues: 4194304 }) { inferMaxOutputValues } }', { t: a.id });
  row('8 images (3,612,672 values: the old 4,194,304 default) over V2 REST', await stall(apiUrl, b.token, seconds, rest(8)));
  row('8 images over GraphQL', await stall(apiUrl, b.token, seconds, graphql(8)));
  say();
  say(
    `Load average during the run: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${os.cpus().length} CPUs (wall-clock figures above grow with it).`,
  );
  say();
  say(`The longest synchronous piece of serialising the answer, CPU ms of this process (load-independent; ${SLICE} values per slice):`);
  say();
  say('| answer | JSON bytes | one JSON.stringify of the whole answer (GraphQL before streaming) | longest slice (V2 REST and GraphQL, streamed) |');
  say('|---|---|---|---|');
  for (const [label, values] of [
    ['1 image (451,584 values)', 451_584],
    ['8 images (3,612,672 values)', 8 * 451_584],
  ] as const) {
    const p = serialisationPieces(values);
    say(`| ${label} | ${(p.bytes / 1e6).toFixed(1)} MB | ${p.wholeMs.toFixed(0)} | ${p.sliceMs.toFixed(1)} |`);
  }
  say();
}
