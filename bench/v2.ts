/**
 * V2 (Open Inference Protocol) REST single-row predict of the bench model, against the bare Node
 * HTTP server (the framework-free ceiling) and GraphQL predict, at concurrency 64, side by side in
 * one run, with each server's CPU µs per response (/proc: every thread of its process) — the
 * steadiest figure on a shared machine — and the load average. Issue 12's goal: V2 ≥ 0.5× the bare
 * server.
 */
import os from 'node:os';
import { PIMA_ROW as ROW } from '../src/client/reference-job';
import { measure, type Measured } from './anchors';
import { load } from './load';

/** The figures of one V2 bench run. */
export interface V2BenchResult {
  v2: Measured;
  graphql: Measured;
  bare: Measured;
  /** The same infer call with an Origin header, so express answers it (the fast path's baseline). */
  viaExpress: Measured;
  /** GET /v2/models/{name}: the same server, credential and version lookup, no scoring. */
  metadata: Measured;
  /** GET /v2 (server metadata): the same server, nothing else. */
  server: Measured;
}

/** Rows and calls of the micro-batcher so far (the API's /metrics, open outside production). */
async function batchCounts(metricsUrl: string): Promise<{ rows: number; calls: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { rows: read('maas_predict_batch_rows_sum'), calls: read('maas_predict_batch_rows_count') };
}

const CONCURRENCY = 64;
/** Rounds of the measurements, interleaved; each gets `seconds / ROUNDS` per round. */
const ROUNDS = 3;

/** The mean of several load results (rates, latencies and CPU per response averaged, errors summed). */
function mean(results: Measured[]): Measured {
  const avg = (f: (r: Measured) => number) => results.reduce((a, r) => a + f(r), 0) / results.length;
  return {
    rps: avg((r) => r.rps),
    p50ms: Math.round(avg((r) => r.p50ms)),
    p99ms: Math.round(avg((r) => r.p99ms)),
    errors: results.reduce((a, r) => a + r.errors, 0),
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
    total: results.reduce((a, r) => a + r.total, 0),
    cpuUsPerReq: avg((r) => r.cpuUsPerReq),
    mainCpuUsPerReq: avg((r) => r.mainCpuUsPerReq),
  };
}

/** The single-row V2 inference body of the bench model (one FP32 `[1, features]` tensor). */
export const v2Body = () => {
  const features = Object.keys(ROW);
  return JSON.stringify({ inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, features.length], data: features.map((f) => (ROW as Record<string, number>)[f]) }] });
};

/** The V2 infer URL of `model` on the API whose /graphql URL is `apiUrl`. */
export const v2InferUrl = (apiUrl: string, model: string) => apiUrl.replace(/\/graphql$/, `/v2/models/${model}/infer`);

/** Where the servers run: the API's /graphql URL and process id, the bare server's URL and process id. */
export interface V2BenchServers {
  apiUrl: string;
  apiPid: number;
  bareUrl: string;
  barePid: number;
}

/**
 * @param model a trained Pima model of the caller's tenant.
 */
export async function runV2Bench(servers: V2BenchServers, token: string, model: string, seconds: number, say: (s?: string) => void): Promise<V2BenchResult> {
  const { apiUrl, apiPid, bareUrl, barePid } = servers;
  const v2Url = v2InferUrl(apiUrl, model);
  const metadataUrl = apiUrl.replace(/\/graphql$/, `/v2/models/${model}`);
  const serverUrl = apiUrl.replace(/\/graphql$/, '/v2');
  const body = v2Body();
  const gqlBody = JSON.stringify({
    query: 'query($rows: [JSONObject!]!, $m: String!) { predict(model: $m, rows: $rows) { version predictions { label probability } } }',
    variables: { rows: [ROW], m: model },
  });
  const auth = { authorization: `Bearer ${token}` };
  await load(v2Url, body, auth, 8, 2); // warm-up
  const loadBefore = os.loadavg()[0];
  // Interleaved rounds, so a burst of load from elsewhere on the machine falls on all of them alike.
  const rounds: V2BenchResult[] = [];
  const t = (url: string, b: string | undefined, headers: Record<string, string>, pid: number) => ({ name: url, url, body: b as string, headers, pid });
  const metricsUrl = apiUrl.replace(/\/graphql$/, '/metrics');
  const batches = { rows: 0, calls: 0 };
  /** The V2 run, counting its micro-batches. */
  const v2Run = async () => {
    const before = await batchCounts(metricsUrl);
    const m = await measure(t(v2Url, body, auth, apiPid), CONCURRENCY, seconds / ROUNDS);
    const after = await batchCounts(metricsUrl);
    batches.rows += after.rows - before.rows;
    batches.calls += after.calls - before.calls;
    return m;
  };
  for (let i = 0; i < ROUNDS; i++) {
    rounds.push({
      v2: await v2Run(),
      viaExpress: await measure(t(v2Url, body, { ...auth, origin: 'http://bench.example' }, apiPid), CONCURRENCY, seconds / ROUNDS),
      bare: await measure(t(bareUrl, body, {}, barePid), CONCURRENCY, seconds / ROUNDS),
      graphql: await measure(t(apiUrl, gqlBody, auth, apiPid), CONCURRENCY, seconds / ROUNDS),
      metadata: await measure(t(metadataUrl, undefined, auth, apiPid), CONCURRENCY, seconds / ROUNDS),
      server: await measure(t(serverUrl, undefined, {}, apiPid), CONCURRENCY, seconds / ROUNDS),
    });
  }
  const loadAfter = os.loadavg()[0];
  const [v2, viaExpress, bare, graphql, metadata, server] = (['v2', 'viaExpress', 'bare', 'graphql', 'metadata', 'server'] as const).map((k) => mean(rounds.map((r) => r[k])));
  const fmt = (r: Measured) =>
    `${Math.round(r.rps)} req/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms, ${Math.round(r.cpuUsPerReq)} µs CPU/req (main thread ${Math.round(r.mainCpuUsPerReq)})${r.errors || r.non2xx ? `, ${r.errors} errors, ${r.non2xx} non-2xx` : ''}`;
  say('## V2 REST (Open Inference Protocol) single-row predict, concurrency 64');
  say();
  say(
    `Load average (1 min) ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after, on ${os.cpus().length} cores; server CPU µs/req: user + system time of the whole server process (all threads) per response.`,
  );
  say();
  say('| V2 `POST /v2/models/{name}/infer` | (b) bare Node HTTP | GraphQL predict | V2 / (b) | V2 / GraphQL |');
  say('|---|---|---|---|---|');
  say(`| ${fmt(v2)} | ${fmt(bare)} | ${fmt(graphql)} | **${(v2.rps / bare.rps).toFixed(2)}×** | ${(v2.rps / graphql.rps).toFixed(2)}× |`);
  say();
  say(
    batches.calls > 0
      ? `V2 rows per scoring call (micro-batch): ${(batches.rows / batches.calls).toFixed(1)} (${batches.calls} calls).`
      : 'V2 rows per scoring call (micro-batch): no batched call; every call was small enough to be scored inline on the API thread (INLINE_SCORING_MAX_MACS).',
  );
  say();
  say(`The same V2 call answered by express (an Origin header, as a browser sends): ${fmt(viaExpress)}, ${(viaExpress.rps / bare.rps).toFixed(2)}× (b).`);
  say();
  say(
    `Same server, no scoring: \`GET /v2/models/{name}\` (credential + version lookup) ${fmt(metadata)}, CPU ${(metadata.cpuUsPerReq / bare.cpuUsPerReq).toFixed(1)}× (b)'s; \`GET /v2\` (the route alone) ${fmt(server)}, CPU ${(server.cpuUsPerReq / bare.cpuUsPerReq).toFixed(1)}× (b)'s, ${(server.rps / bare.rps).toFixed(2)}× (b)'s req/s.`,
  );
  say();
  say(`Goal (issue 12): V2 ≥ 0.5× the bare server: ${v2.rps / bare.rps >= 0.5 ? 'met' : 'not met'}.`);
  return { v2, viaExpress, graphql, bare, metadata, server };
}

/** One API process under comparison (BENCH_BASE_ROOT): its label, /graphql URL and process id. */
export interface V2Server {
  label: string;
  url: string;
  pid: number;
}

/**
 * Before and after in one run: the same V2 call on API processes of two builds (the same database
 * and model), taking turns with the bare server round by round, in alternating order.
 */
export async function runV2Compare(
  servers: V2Server[],
  bare: { url: string; pid: number },
  token: string,
  model: string,
  seconds: number,
  say: (s?: string) => void,
): Promise<void> {
  const body = v2Body();
  const auth = { authorization: `Bearer ${token}` };
  for (const s of servers) await load(v2InferUrl(s.url, model), body, auth, 8, 2); // warm-up
  const loadBefore = os.loadavg()[0];
  const runs = new Map<string, Measured[]>([...servers.map((s) => [s.label, []] as [string, Measured[]]), ['bare', []]]);
  /** GET /v2/models/{name} on each build: the credential, the version resolution and the version list, no scoring. */
  const metadata = new Map<string, Measured[]>(servers.map((s) => [s.label, []]));
  /** GET /v2 (server metadata) on each build: the route alone, no credential. */
  const server = new Map<string, Measured[]>(servers.map((s) => [s.label, []]));
  const batches = new Map(servers.map((s) => [s.label, { rows: 0, calls: 0 }]));
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 ? [...servers].reverse() : servers;
    for (const s of order) {
      const metricsUrl = s.url.replace(/\/graphql$/, '/metrics');
      const before = await batchCounts(metricsUrl);
      runs.get(s.label)!.push(await measure({ name: s.label, url: v2InferUrl(s.url, model), body, headers: auth, pid: s.pid }, CONCURRENCY, seconds / ROUNDS));
      const after = await batchCounts(metricsUrl);
      const b = batches.get(s.label)!;
      b.rows += after.rows - before.rows;
      b.calls += after.calls - before.calls;
      const metadataUrl = s.url.replace(/\/graphql$/, `/v2/models/${model}`);
      metadata
        .get(s.label)!
        .push(await measure({ name: `${s.label} metadata`, url: metadataUrl, body: undefined as unknown as string, headers: auth, pid: s.pid }, CONCURRENCY, seconds / ROUNDS));
      const serverUrl = s.url.replace(/\/graphql$/, '/v2');
      server
        .get(s.label)!
        .push(await measure({ name: `${s.label} GET /v2`, url: serverUrl, body: undefined as unknown as string, headers: {}, pid: s.pid }, CONCURRENCY, seconds / ROUNDS));
    }
    runs.get('bare')!.push(await measure({ name: 'bare', url: bare.url, body, headers: {}, pid: bare.pid }, CONCURRENCY, seconds / ROUNDS));
  }
  const loadAfter = os.loadavg()[0];
  const b = mean(runs.get('bare')!);
  say(`## V2 REST single-row infer, concurrency ${CONCURRENCY}: builds side by side (BENCH_BASE_ROOT)`);
  say();
  say(
    `Load average (1 min) ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after, on ${os.cpus().length} cores; ${ROUNDS} rounds of ${(seconds / ROUNDS).toFixed(1)} s per server.`,
  );
  say();
  say('| server | req/s | p50 | p99 | server CPU µs/req (main thread) | req/s ÷ bare | rows per scoring call |');
  say('|---|---|---|---|---|---|---|');
  for (const [label, rs] of runs) {
    const m = mean(rs);
    const batch = batches.get(label);
    say(
      `| ${label} | ${Math.round(m.rps)} | ${m.p50ms} ms | ${m.p99ms} ms | ${Math.round(m.cpuUsPerReq)} (${Math.round(m.mainCpuUsPerReq)}) | ${(m.rps / b.rps).toFixed(2)}× | ${batch ? (batch.rows / batch.calls).toFixed(1) : '—'} |${m.errors || m.non2xx ? ` ${m.errors} errors, ${m.non2xx} non-2xx` : ''}`,
    );
  }
  say();
  say(
    'The reads on the same servers, same rounds: `GET /v2/models/{name}` (model metadata: credential, version resolution and list, no scoring) and `GET /v2` (server metadata, no credential):',
  );
  say();
  say("| server | route | req/s | p50 | p99 | server CPU µs/req (main thread) | CPU ÷ bare | req/s ÷ bare | CPU ÷ the same build's infer |");
  say('|---|---|---|---|---|---|---|---|---|');
  for (const [route, byServer] of [
    ['`GET /v2/models/{name}`', metadata],
    ['`GET /v2`', server],
  ] as const) {
    for (const [label, rs] of byServer) {
      const m = mean(rs);
      const infer = mean(runs.get(label)!);
      say(
        `| ${label} | ${route} | ${Math.round(m.rps)} | ${m.p50ms} ms | ${m.p99ms} ms | ${Math.round(m.cpuUsPerReq)} (${Math.round(m.mainCpuUsPerReq)}) | ${(m.cpuUsPerReq / b.cpuUsPerReq).toFixed(1)}× | ${(m.rps / b.rps).toFixed(2)}× | ${(m.cpuUsPerReq / infer.cpuUsPerReq).toFixed(2)}× |${m.errors || m.non2xx ? ` ${m.errors} errors, ${m.non2xx} non-2xx` : ''}`,
      );
    }
  }
}
