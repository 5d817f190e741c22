/**
 * BENCH_ONLY=tracing: what OpenTelemetry tracing costs single-row predict (src/lib/tracing/). The
 * same request against two API processes started alike (no in-process worker) on one database and
 * model, measured in turn: tracing off (no endpoint configured: the SDK is not loaded), and tracing
 * on with every trace sampled and exported over OTLP/HTTP to a local sink (bench/otlp-sink.ts). With BENCH_BASE_ROOT (a built
 * checkout from before tracing, e.g. main), a third process from it gives the "before" of the
 * tracing-off path. Requests/s, p99 and server CPU µs per request (the steadiest figure), as ratios
 * against the tracing-off process from the same run.
 */
import type { ChildProcess } from 'node:child_process';
import { measure, type Measured, type Target } from './anchors';

/** Starts an API process (bench/api-server.js) with `env`, from `root` (Default: this checkout). */
export type StartApi = (env: Record<string, string>, root?: string) => Promise<{ url: string; process: ChildProcess }>;

/** Starts the OTLP sink on `port`. */
export type StartSink = (port: number) => Promise<ChildProcess>;

export interface TracingBenchOptions {
  /** The single-row predict body and its headers. */
  body: string;
  headers: Record<string, string>;
  startApi: StartApi;
  startSink: StartSink;
  sinkPort: number;
  seconds: number;
  say: (s?: string) => void;
}

/** Rounds per concurrency: the servers take turns, so drift on a shared machine hits each alike; the median is shown. */
const ROUNDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median round of `runs` by CPU µs per request. */
const medianRun = (runs: Measured[]) => {
  const answered = runs.filter((r) => Number.isFinite(r.cpuUsPerReq));
  if (answered.length === 0) return runs[0]!; // the server answered nothing: its row says so
  const cpu = median(answered.map((r) => r.cpuUsPerReq));
  return answered.find((r) => r.cpuUsPerReq === cpu)!;
};

const row = (name: string, m: Measured, off: Measured) =>
  `| ${name} | ${Math.round(m.rps)} | ${m.p99ms} ms | ${Math.round(m.cpuUsPerReq)} | ${(m.rps / off.rps).toFixed(2)}× | **${(m.cpuUsPerReq / off.cpuUsPerReq).toFixed(2)}×** |${m.errors || m.non2xx ? ` ${m.errors} errors, ${m.non2xx} non-2xx` : ''}`;

export async function runTracingBench(o: TracingBenchOptions): Promise<void> {
  const sink = await o.startSink(o.sinkPort);
  const sinkUrl = `http://127.0.0.1:${o.sinkPort}`;
  const started: ChildProcess[] = [sink];
  try {
    // Every server alike (no in-process worker), differing only in tracing.
    const off = await o.startApi({});
    started.push(off.process);
    const on = await o.startApi({ OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'maas-bench' });
    started.push(on.process);
    const target = (name: string, api: { url: string; process: ChildProcess }): Target => ({ name, url: api.url, body: o.body, headers: o.headers, pid: api.process.pid! });
    const targets: Target[] = [target('tracing off (no endpoint)', off), target('tracing on, every trace exported (OTLP/HTTP to a local sink)', on)];
    const baseRoot = process.env.BENCH_BASE_ROOT;
    if (baseRoot) {
      const base = await o.startApi({}, baseRoot);
      started.push(base.process);
      targets.push(target(`before tracing (BENCH_BASE_ROOT ${baseRoot.split('/').pop()})`, base));
    }
    console.error(`[bench] tracing: sink ${sinkUrl}; ${targets.map((t) => `${t.name}: ${t.url} (pid ${t.pid})`).join('; ')}`);
    o.say(`# Tracing overhead on single-row predict (BENCH_ONLY=tracing; ${o.seconds} s per server, concurrency and round; median of ${ROUNDS} rounds taken in turn)`);
    o.say();
    for (const c of [1, 64]) {
      for (const t of targets) await measure(t, c, 1); // warm-up (JIT, model load)
      const runs = new Map<string, Measured[]>(targets.map((t) => [t.name, []]));
      for (let round = 0; round < ROUNDS; round++) for (const t of targets) runs.get(t.name)!.push(await measure(t, c, o.seconds));
      const figures = new Map([...runs].map(([name, r]) => [name, medianRun(r)]));
      const offFigures = figures.get(targets[0]!.name)!;
      o.say(`Concurrency ${c}:`);
      o.say();
      o.say('| server | req/s | p99 | server CPU µs/req | req/s ÷ off | CPU µs ÷ off |');
      o.say('|---|---|---|---|---|---|');
      for (const t of targets) o.say(row(t.name, figures.get(t.name)!, offFigures));
      o.say();
    }
    const stats = (await (await fetch(`${sinkUrl}/stats`)).json()) as { requests: number; spans: number };
    o.say(`The sink received ${stats.spans} spans in ${stats.requests} export requests (the exporter's batches).`);
    o.say('CPU µs/req: user + system time of the whole server process (all threads) over the run, per response.');
  } finally {
    // Each gone before the bench's own API (and its embedded database) stops.
    await Promise.all(started.reverse().map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(null) : (p.once('exit', resolve), p.kill('SIGTERM'))))));
  }
}
