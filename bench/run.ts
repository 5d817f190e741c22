/**
 * `npm run bench`: serving and training figures as ratios measured in one run, written to
 * BENCHMARKS.md. Not a test: these machines are noisy, so only ratios from the same run mean much.
 *
 * Starts (as child processes, on loopback): the API with the no-op baseline resolver (bench/
 * api-server.ts) on DATABASE_URL or a throwaway embedded PostgreSQL, and a bare Node HTTP server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collect, gqlOk, wsClient, type Caller } from '../src/client/graphql-client';
import { KERAS_SPEC, PIMA_ROW as ROW } from '../src/client/reference-job';
import { freePort } from '../src/lib/net';
import { projectRoot } from '../src/lib/paths';
import { load } from './load';
import { anchorTables, type Target } from './anchors';
import { bareTrainingMs, inProcessFigures } from './in-process';
import { progressLatency } from './progress-latency';
import { runTrainingBench } from './training';
import { goalsTable } from './goals';
import { pickupLatency } from './pickup';
import { rssMiB, runMemoryBench } from './memory';
import { runTextBench } from './text';
import { runMfBench } from './matrix-factorization';
import { runImageBench } from './image';
import { runTreeBench } from './trees';
import { runV2Bench, runV2Compare, v2Body, v2InferUrl } from './v2';
import { runOnnxHostBench } from './onnx-host';
import { runOnnxMnistBench } from './onnx-mnist';
import { runOutputsBench } from './outputs';
import { runIsolationBench } from './isolation';
import { runRowsIsolationBench } from './rows-isolation';
import { runWsStormBench } from './ws-storm';
import { runBodiesBench } from './bodies';
import { bulkBodies, BULK_CONNECTIONS, runBulkBench, type BulkServer } from './bulk';
import { runTracingBench } from './tracing';
import { runTabularTrainBench } from './tabular-train';

const ROOT = projectRoot();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/**
 * `predict`: only the single-row predict figures against their anchors; `profile`: single-row predict
 * at concurrency 64 under --cpu-prof; `v2`: only the V2 REST figures; `onnx`: only the uploaded
 * mnist-8 figures; `outputs`: only the serving stalls a large infer answer causes another tenant
 * (bench/outputs.ts); `ws-storm`: another tenant's latency while one tenant bursts websocket subscribes,
 * the message rate at its default and lifted (bench/ws-storm.ts); `isolation`: another tenant's latency alone and while one tenant hammers
 * super-resolution, as same-run ratios (bench/isolation.ts); `isolation-rows`: the same while one tenant sends 20 × 10,000-row
 * GraphQL predicts, as `rows` objects and as `matrix` (bench/rows-isolation.ts); `bodies`: a 1 MB request body's event-loop
 * CPU parsed inline and on the answer threads, two API processes side by side (bench/bodies.ts); `bulk`: only the bulk predict table (bench/bulk.ts); `tracing`: single-row
 * predict with tracing off and on (bench/tracing.ts); `training`: the reference job
 * queued against a bare fit with its phases, and queue pick-up (bench/training.ts, bench/pickup.ts);
 * `progress`: progress latency with 1 and 1,000 subscribers; `tabular-train`: dense networks' training
 * samples/s against PyTorch on one thread (bench/tabular-train.ts), no server started; `memory`: RSS idle, per model, per
 * subscription (bench/memory.ts); then exit (BENCHMARKS.md untouched). With `profile`, BENCH_PROFILE_LOAD=bulk profiles the columnar bulk request at
 * concurrency 8 instead, BENCH_PROFILE_LOAD=v2 the V2 REST single-row infer call (bench/v2.ts) at BENCH_CONNECTIONS,
 * BENCH_PROFILE_LOAD=v2-server `GET /v2` (the V2 route alone: no credential, no model), and
 * BENCH_PROFILE_LOAD=noop the no-op resolver (bench/noop.resolver.ts) with predict's arguments and answer at BENCH_CONNECTIONS.
 * With `v2`, BENCH_BASE_ROOT (a built checkout of another commit) compares the V2 call of the two builds in one run.
 */
const ONLY = process.env.BENCH_ONLY;
/** The values BENCH_ONLY takes (unset: the full run, which rewrites BENCHMARKS.md). */
const SECTIONS = [
  'predict',
  'v2',
  'bulk',
  'training',
  'progress',
  'memory',
  'tracing',
  'onnx',
  'tabular-train',
  'profile',
  'bodies',
  'outputs',
  'isolation',
  'isolation-rows',
  'ws-storm',
];
if (ONLY !== undefined && !SECTIONS.includes(ONLY)) {
  console.error(`BENCH_ONLY=${ONLY.slice(0, 50)} is not a section; one of: ${SECTIONS.join(', ')} (unset: the full run, which rewrites BENCHMARKS.md)`);
  process.exit(2);
}
/** Child processes still running and folders to remove, for a run stopped by a signal (Ctrl-C). */
const running = new Set<ChildProcess>();
/** Set by a signal: the run's own end (an error from a server that went) then leaves the exit to the signal's handler. */
let stopping = false;
const folders = new Set<string>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    console.error(`[bench] ${signal}: stopping ${running.size} servers and removing the bench's database`);
    for (const p of running) p.kill('SIGTERM');
    const exited = [...running].map((p) => new Promise((r) => p.once('exit', r)));
    void Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 10_000))]).then(() => {
      for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
/**
 * BENCH_ONLY=profile (concurrency BENCH_CONNECTIONS, default 64), or any section with BENCH_CPU_PROF=1: the API runs under
 * `--cpu-prof`, writing its profile here on exit (default /tmp/maas-profile); summarise it with bench/profile-top.ts.
 */
const PROFILE_DIR = ONLY === 'profile' || process.env.BENCH_CPU_PROF === '1' ? (process.env.BENCH_PROFILE_DIR ?? path.join(os.tmpdir(), 'maas-profile')) : undefined;
const singleRowBody = () =>
  JSON.stringify({
    query: 'query($rows: [JSONObject!]!) { predict(model: "bench", rows: $rows) { version predictions { label probability } } }',
    variables: { rows: [ROW] },
  });
/** BENCHMARKS.md from this heading on is written by hand and kept when the full run rewrites the file. */
const HAND_WRITTEN = '## Serving fast path (issue 15)';
const ADMIN = crypto.randomBytes(16).toString('hex');
/**
 * One tenant's load at concurrency 64 and more (with warm-ups and second servers) is what the
 * throughput sections measure: the per-tenant cap on requests in flight (TENANT_MAX_IN_FLIGHT, 64)
 * is lifted there, and kept at its default for the isolation section, which is about tenants.
 */
const NO_IN_FLIGHT_CAP: Record<string, string> = ONLY === 'isolation' ? {} : { TENANT_MAX_IN_FLIGHT: '1000000', ADDRESS_MAX_IN_FLIGHT_UNAUTHENTICATED: '1000000' };

function child(script: string, env: Record<string, string>, ready: RegExp, execArgv: string[] = [], root = ROOT): Promise<ChildProcess> {
  const p = spawn(process.execPath, [...execArgv, path.join(root, 'dist', script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(p);
  p.once('exit', () => running.delete(p));
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d) => {
      out += String(d);
      if (ready.test(out)) resolve(p);
    });
    p.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out.slice(-2000)}`)));
  });
}

/**
 * Another API process (bench/api-server.js, no in-process worker) on the bench's database, from
 * `root` (Default: this checkout), with `env` on top; profiled too under BENCH_CPU_PROF=1.
 */
const secondApi = (port: number, pgPort: number, env: Record<string, string> = {}, root = ROOT) =>
  child(
    'bench/api-server.js',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_SECRET: ADMIN,
      DATABASE_URL: process.env.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${pgPort}/maas`,
      WORKER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      QUOTA_PREDICTIONS_PER_MINUTE: String(2e9),
      ...NO_IN_FLIGHT_CAP,
      ...env,
    },
    /MaaS API ready/,
    PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    root,
  );

async function main() {
  const lines: string[] = [];
  const say = (s = '') => {
    console.log(s);
    lines.push(s);
  };
  const phase = (name: string) => console.error(`[bench] ${new Date().toISOString().slice(11, 19)} ${name}`);
  if (ONLY === 'tabular-train') return void (await runTabularTrainBench()).lines.forEach((l) => say(l));
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-bench-'));
  folders.add(pgDir);
  fs.chmodSync(pgDir, 0o777);
  const apiPort = await freePort();
  const barePort = await freePort();
  const pgPort = await freePort(); // known, so a second API process (BENCH_ONLY=predict) can share the embedded database
  const api = await child(
    'bench/api-server.js',
    {
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      ADMIN_SECRET: ADMIN,
      EMBEDDED_PG_DIR: path.join(pgDir, 'data'),
      EMBEDDED_PG_PORT: String(pgPort),
      LOG_LEVEL: 'warn',
      QUOTA_PREDICTIONS_PER_MINUTE: String(2e9),
      ...NO_IN_FLIGHT_CAP,
      // The progress-latency bench opens 1,000 sockets of one tenant.
      WS_MAX_SOCKETS_PER_TENANT: '2000',
      WS_MAX_UNAUTHENTICATED_PER_ADDRESS: '2000',
      // 1,000 sockets connecting at once on a loaded machine take longer than the default 3 s to say hello.
      WS_CONNECTION_INIT_TIMEOUT_MS: '60000',
    },
    /MaaS API ready/,
    PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  );
  const idleMiB = rssMiB(api.pid!);
  const bareHttp = await child('bench/bare-http.js', { PORT: String(barePort) }, /ready/);
  const url = `http://127.0.0.1:${apiPort}/graphql`;
  const v2Servers = () => ({ apiUrl: url, apiPid: api.pid!, bareUrl: `http://127.0.0.1:${barePort}/`, barePid: bareHttp.pid! });
  try {
    phase('setup: tenant, upload, reference training run');
    const info = await gqlOk({ url }, '{ serverInfo { tfBackend version } }');
    const created = await gqlOk({ url, headers: { 'x-admin-secret': ADMIN } }, `mutation { createTenant(name: "bench-${ADMIN.slice(0, 8)}") { apiKey } }`);
    const me: Caller = { url, token: created.createTenant.apiKey };
    if (ONLY === 'outputs') return void (await runOutputsBench(url, ADMIN, SECONDS, say));
    if (ONLY === 'isolation') return void (await runIsolationBench(url, ADMIN, SECONDS, say, api.pid!));
    if (ONLY === 'bodies') return await bodiesOnly(me, pgPort, say);
    if (ONLY === 'ws-storm') return await wsStormOnly(pgPort, say);
    if (ONLY === 'onnx') {
      await runOnnxMnistBench(url, me.token!, SECONDS, say);
      return void (await runOnnxHostBench(SECONDS, say));
    }
    const csv = fs.readFileSync(path.join(ROOT, 'data', 'pima-diabetes.csv'), 'utf8');
    const datasetId = (await gqlOk(me, 'mutation($csv: String!) { uploadDataset(name: "pima", csv: $csv) { id } }', { csv })).uploadDataset.id;
    /** ms from startTrainingRun to the FINAL event. */
    const queuedTraining = async (epochs = KERAS_SPEC.epochs) => {
      const started = performance.now();
      const run = await gqlOk(me, 'mutation($i: StartTrainingRunInput!) { startTrainingRun(input: $i) { id } }', {
        i: { datasetId, targetColumn: 'Outcome', modelName: 'bench', spec: { ...KERAS_SPEC, epochs } },
      });
      const client = wsClient(url.replace('http', 'ws'), me.token);
      await collect(client, 'subscription($id: ID!) { trainingProgress(runId: $id) { kind } }', { id: run.startTrainingRun.id }).done;
      await client.dispose();
      return performance.now() - started;
    };
    const queuedColdMs = await queuedTraining(); // the first run in a fresh API process
    if (ONLY === 'isolation-rows') return void (await runRowsIsolationBench(url, ADMIN, me, 'bench', csv, SECONDS, say, api.pid!));
    if (ONLY === 'profile' && process.env.BENCH_PROFILE_LOAD === 'bulk')
      return void (await load(url, bulkBodies().at(-1)!.body, { authorization: `Bearer ${me.token}` }, BULK_CONNECTIONS, SECONDS));
    if (ONLY === 'profile' && process.env.BENCH_PROFILE_LOAD === 'v2')
      return void (await load(v2InferUrl(url, 'bench'), v2Body(), { authorization: `Bearer ${me.token}` }, Number(process.env.BENCH_CONNECTIONS ?? 64), SECONDS));
    if (ONLY === 'profile' && process.env.BENCH_PROFILE_LOAD === 'v2-server')
      return void (await load(url.replace(/\/graphql$/, '/v2'), undefined, {}, Number(process.env.BENCH_CONNECTIONS ?? 64), SECONDS));
    if (ONLY === 'profile' && process.env.BENCH_PROFILE_LOAD === 'noop')
      return void (await load(url, singleRowBody().replace('predict(', 'benchNoopPredict('), {}, Number(process.env.BENCH_CONNECTIONS ?? 64), SECONDS));
    if (ONLY === 'profile') return void (await load(url, singleRowBody(), { authorization: `Bearer ${me.token}` }, Number(process.env.BENCH_CONNECTIONS ?? 64), SECONDS));
    if (ONLY === 'bulk') return await bulkOnly(me, url, api, pgPort, csv, say);
    if (ONLY === 'predict') return await predictOnly(me, url, api, bareHttp, barePort, pgPort, say);
    const databaseUrl = process.env.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${pgPort}/maas`;
    if (ONLY === 'training') return void (await trainingSection(me, datasetId, csv, databaseUrl, say));
    if (ONLY === 'progress') return void (await progressSection(me, datasetId, say, api.pid!));
    if (ONLY === 'memory') return void (await runMemoryBench(me, api.pid!, datasetId, idleMiB, say));
    if (ONLY === 'tracing') return await tracingOnly(me, pgPort, say);
    if (ONLY === 'v2' && process.env.BENCH_BASE_ROOT) return await v2Compare(me, pgPort, bareHttp, barePort, process.env.BENCH_BASE_ROOT, say);
    if (ONLY === 'v2') return void (await runV2Bench(v2Servers(), me.token!, 'bench', SECONDS, say));

    say(`# Benchmarks`);
    say();
    say(
      `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, TF.js backend '${info.serverInfo.tfBackend}', ${SECONDS} s per load point, client and servers on one machine (loopback).`,
    );
    say('Ratios compare figures from this same run; absolute numbers move ±30 % between runs on these machines.');
    say();
    say('## Single-row predict over GraphQL, against its anchors');
    say();
    say(
      'Bare Node HTTP (a constant answer), a bare Apollo Server 5 no-op resolver (standalone, no plugins: bench/bare-apollo.ts), our no-op resolver on our server (every layer of ours, no scoring) and our predict of the seed model. Server CPU µs/req: user + system time of the whole server process (all threads) per response, the steadiest figure on a shared machine.',
    );
    say();
    const predictBody = singleRowBody();
    const noopBody = JSON.stringify({
      query: 'query($rows: [JSONObject!]!) { benchNoopPredict(model: "bench", rows: $rows) { version predictions { label probability } } }',
      variables: { rows: [ROW] },
    });
    const apolloPort = await freePort();
    const apollo = await child('bench/bare-apollo.js', { PORT: String(apolloPort) }, /ready/);
    const targets: Target[] = [
      { name: 'bare Node HTTP', url: `http://127.0.0.1:${barePort}/`, body: predictBody, headers: {}, pid: bareHttp.pid! },
      { name: 'bare Apollo no-op', url: `http://127.0.0.1:${apolloPort}/`, body: noopBody, headers: {}, pid: apollo.pid! },
      { name: 'our no-op', url, body: noopBody, headers: {}, pid: api.pid! },
      { name: 'our predict', url, body: predictBody, headers: { authorization: `Bearer ${me.token}` }, pid: api.pid! },
    ];
    phase('single-row predict against its anchors');
    const anchors = await anchorTables(targets, [1, 64], SECONDS, say).finally(() => apollo.kill('SIGTERM'));
    phase('V2 REST single-row predict, concurrency 64');
    say();
    const v2 = await runV2Bench(v2Servers(), me.token!, 'bench', SECONDS, say);
    phase('tracing off and on');
    say();
    await tracingOnly(me, pgPort, say);
    phase('uploaded ONNX mnist-8: GraphQL infer and V2 against onnxruntime-node in-process');
    await runOnnxMnistBench(url, me.token!, SECONDS, say);
    phase('ONNX host process: added latency per call');
    await runOnnxHostBench(SECONDS, say);
    phase('in-process baselines');
    const inproc = await inProcessFigures(csv, KERAS_SPEC);
    say();
    say(
      `(c) The same model's \`predict\` called in-process, one row per call: ${Math.round(inproc.singleRowPerSec)} calls/s; predict over GraphQL at concurrency 64 is ${(anchors[64]!['our predict']!.rps / inproc.singleRowPerSec).toFixed(2)}× of that.`,
    );
    say();
    say('## Bulk predict: 1,000 rows per request, concurrency 8');
    say();
    phase('bulk predict');
    const columnar = (await runBulkBench([{ label: 'api', url, pid: api.pid! }], me.token!, SECONDS, say)).at(-1)![0]!;
    say(
      `In-process, the network alone scores ${Math.round(inproc.bulkRowsPerSec)} rows/s in 1,000-row calls (pipeline + network: ${Math.round(inproc.bulkPipelineRowsPerSec)} rows/s).`,
    );
    say();
    say('## Training through the queue vs a bare fit');
    say();
    phase('training: bare fits and queued runs, queue pick-up');
    const bareColdMs = await bareTrainingMs(csv); // the first fit in this process
    const training = await runTrainingBench(me, datasetId, csv, say);
    say(`The first run in a fresh API process (cold): queued ${Math.round(queuedColdMs)} ms, bare ${Math.round(bareColdMs)} ms (${(bareColdMs / queuedColdMs).toFixed(2)}×).`);
    say();
    const pickup = await pickupLatency(process.env.DATABASE_URL ?? `postgresql://postgres:postgres@127.0.0.1:${pgPort}/maas`);
    say(
      `Queue pick-up, \`enqueue\` called → handler called (NOTIFY in the enqueue transaction): p50 ${pickup.p50.toFixed(1)} ms, p99 ${pickup.p99.toFixed(1)} ms over ${pickup.samples} jobs.`,
    );
    say();
    say('## Memory (VmRSS of the API process)');
    say();
    phase('memory: idle, per model, per subscription');
    // Before the progress runs: their 1,000 sockets leave freed memory that later sockets reuse, and RSS would not grow.
    const memory = await runMemoryBench(me, api.pid!, datasetId, idleMiB, say);
    say();
    say('## Progress latency, epoch end to subscriber');
    say();
    const latency: Record<number, Awaited<ReturnType<typeof progressLatency>>> = {};
    for (const n of [1, 100, 1000]) {
      phase(`progress latency, ${n} subscribers`);
      const lat = (latency[n] = await progressLatency(me, datasetId, n, api.pid!));
      say(
        `- ${n} subscriber${n > 1 ? 's' : ''}: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms over ${lat.samples} live deliveries; ${lat.completed} of ${n} streams ended with FINAL within 60 s.`,
      );
    }
    say();
    say('## Cold load of a stored version');
    say();
    say(`Reading the version row and rebuilding the network (the seed model): median ${inproc.coldLoadMs.toFixed(1)} ms over ${inproc.coldLoads} loads (goal < 100 ms).`);
    say();
    phase('trees: ours and scikit-learn on the same matrices');
    say('## Trees: the histogram learner against scikit-learn (issue 9)');
    say();
    say(
      "Fit + scoring of the test split on the same matrices (the project's pipeline), one thread each, early stopping off (bench/trees.ts; `npm run bench:trees` runs it alone). Goals: within 3× of HistGradientBoosting and of RandomForest.",
    );
    say();
    for (const line of await runTreeBench()) say(line);
    say();
    phase('text: the text classifier, the TF-IDF route and scikit-learn on SMS spam');
    say('## Text classification: SMS spam (issue 11)');
    say();
    for (const line of await runTextBench()) say(line);
    phase('matrix factorisation: ours and a numpy SGD loop on MovieLens 100k');
    say();
    say('## Matrix factorisation: SGD epochs on MovieLens 100k (issue 11)');
    say();
    say('Training speed of the MATRIX_FACTORIZATION family per epoch (bench/matrix-factorization.ts; `npm run bench:mf` runs it alone).');
    say();
    for (const line of await runMfBench()) say(line);
    phase('images: CNN training samples/s and image predict');
    for (const line of await runImageBench(me, url.replace('http', 'ws'))) say(line);
    phase('tabular training: dense networks against PyTorch on one thread');
    say('## Tabular training against PyTorch (issue 15)');
    say();
    const tabular = await runTabularTrainBench();
    for (const line of tabular.lines) say(line);
    say();
    say(goalsTable({ anchors, v2, bulk: columnar, inproc, training, pickup, latency, idleMiB, memory, vsTorch: tabular.vsTorch }).join('\n'));
    // The hand-written sections from HAND_WRITTEN on (BENCH_ONLY=predict figures and profiles) are kept.
    const previous = fs.existsSync(path.join(ROOT, 'BENCHMARKS.md')) ? fs.readFileSync(path.join(ROOT, 'BENCHMARKS.md'), 'utf8') : '';
    const kept = previous.indexOf(HAND_WRITTEN);
    fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), lines.join('\n') + '\n' + (kept >= 0 ? '\n' + previous.slice(kept) : ''));
    console.log('\nwrote BENCHMARKS.md');
  } finally {
    api.kill('SIGTERM');
    bareHttp.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
}

/**
 * BENCH_ONLY=predict: single-row predict side by side with its anchors at concurrency 1 and 64
 * (bench/anchors.ts): bare Node HTTP, a bare Apollo Server 5 no-op, our no-op, our predict and the V2
 * REST infer call on a second API process (no in-process worker) with the defaults and on a third
 * with INLINE_SCORING_MAX_MACS=0 (every call on the scoring thread, as before the inline JS scorer),
 * same database and model; requests/s,
 * p99 and server CPU µs per request. With BENCH_BASE_ROOT (a built checkout of another commit), that
 * build's no-op, predict and V2 infer too, on another API process.
 */
async function predictOnly(me: Caller, url: string, api: ChildProcess, bare: ChildProcess, barePort: number, pgPort: number, say: (s?: string) => void) {
  const threadPort = await freePort();
  const apolloPort = await freePort();
  const viaThread = await secondApi(threadPort, pgPort, { INLINE_SCORING_MAX_MACS: '0' });
  // The same build with the defaults, also without the in-process worker: the like-for-like pair of `viaThread`.
  const inlinePort = await freePort();
  const viaInline = await secondApi(inlinePort, pgPort);
  const baseRoot = process.env.BENCH_BASE_ROOT;
  const basePort = await freePort();
  const base = baseRoot ? await secondApi(basePort, pgPort, {}, baseRoot) : undefined;
  const apollo = await child('bench/bare-apollo.js', { PORT: String(apolloPort) }, /ready/);
  try {
    const threadUrl = `http://127.0.0.1:${threadPort}/graphql`;
    const inlineUrl = `http://127.0.0.1:${inlinePort}/graphql`;
    const predictBody = JSON.stringify({
      query: 'query($rows: [JSONObject!]!) { predict(model: "bench", rows: $rows) { version predictions { label probability } } }',
      variables: { rows: [ROW] },
    });
    const noopBody = JSON.stringify({
      query: 'query($rows: [JSONObject!]!) { benchNoopPredict(model: "bench", rows: $rows) { version predictions { label probability } } }',
      variables: { rows: [ROW] },
    });
    const auth = { authorization: `Bearer ${me.token}` };
    say(`# Predict against its anchors (BENCH_ONLY=predict, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version})`);
    say();
    const targets: Target[] = [
      { name: 'bare Node HTTP', url: `http://127.0.0.1:${barePort}/`, body: predictBody, headers: {}, pid: bare.pid! },
      { name: 'bare Apollo no-op', url: `http://127.0.0.1:${apolloPort}/`, body: noopBody, headers: {}, pid: apollo.pid! },
      { name: 'our no-op', url, body: noopBody, headers: {}, pid: api.pid! },
      { name: "our no-op, with predict's credential", url, body: noopBody, headers: auth, pid: api.pid! },
      { name: 'our predict', url, body: predictBody, headers: auth, pid: api.pid! },
      { name: 'second process: our no-op', url: inlineUrl, body: noopBody, headers: {}, pid: viaInline.pid! },
      { name: 'second process: our predict', url: inlineUrl, body: predictBody, headers: auth, pid: viaInline.pid! },
      { name: 'second process: our V2 infer', url: v2InferUrl(inlineUrl, 'bench'), body: v2Body(), headers: auth, pid: viaInline.pid! },
      { name: 'our predict, INLINE_SCORING_MAX_MACS=0', url: threadUrl, body: predictBody, headers: auth, pid: viaThread.pid! },
      { name: 'our V2 infer, INLINE_SCORING_MAX_MACS=0', url: v2InferUrl(threadUrl, 'bench'), body: v2Body(), headers: auth, pid: viaThread.pid! },
    ];
    const baseUrl = `http://127.0.0.1:${basePort}/graphql`;
    if (base)
      targets.push(
        { name: 'BENCH_BASE_ROOT: our no-op', url: baseUrl, body: noopBody, headers: {}, pid: base.pid! },
        { name: 'BENCH_BASE_ROOT: our predict', url: baseUrl, body: predictBody, headers: auth, pid: base.pid! },
        { name: 'BENCH_BASE_ROOT: our V2 infer', url: v2InferUrl(baseUrl, 'bench'), body: v2Body(), headers: auth, pid: base.pid! },
      );
    await anchorTables(targets, [1, 64], SECONDS, say);
    say('CPU µs/req: user + system time of the whole server process (all threads) over the run, per response.');
  } finally {
    viaThread.kill('SIGTERM');
    viaInline.kill('SIGTERM');
    base?.kill('SIGTERM');
    apollo.kill('SIGTERM');
    await new Promise((r) => viaThread.once('exit', r));
  }
}

/** BENCH_ONLY=tracing (bench/tracing.ts): single-row predict with tracing off and on, from API processes on the same database and model. */
async function tracingOnly(me: Caller, pgPort: number, say: (s?: string) => void) {
  await runTracingBench({
    body: singleRowBody(),
    headers: { authorization: `Bearer ${me.token}` },
    sinkPort: await freePort(),
    seconds: SECONDS,
    say,
    startSink: (port) => child('bench/otlp-sink.js', { PORT: String(port) }, /ready/),
    startApi: async (env, root) => {
      const port = await freePort();
      return { url: `http://127.0.0.1:${port}/graphql`, process: await secondApi(port, pgPort, env, root) };
    },
  });
}

/**
 * BENCH_ONLY=bulk: the bulk predict table alone and the in-process ceiling. With BENCH_BASE_ROOT (a
 * built checkout of a commit from before `columns(fields)`, e.g. the base branch), a second API process from it, on the same
 * database and model, takes turns with this one shape by shape: before and after in one run.
 */
async function bulkOnly(me: Caller, url: string, api: ChildProcess, pgPort: number, csv: string, say: (s?: string) => void) {
  const baseRoot = process.env.BENCH_BASE_ROOT;
  const servers: BulkServer[] = [];
  let base: ChildProcess | undefined;
  if (baseRoot) {
    const basePort = await freePort();
    base = await secondApi(basePort, pgPort, {}, baseRoot);
    servers.push({ label: `base (${path.basename(baseRoot)})`, url: `http://127.0.0.1:${basePort}/graphql`, pid: base.pid!, before: 'fields' });
  }
  servers.push({ label: baseRoot ? 'this branch' : 'api', url, pid: api.pid! });
  try {
    say(`# Bulk predict (BENCH_ONLY=bulk): ${BULK_CONNECTIONS} connections, 1,000 rows per request, ${SECONDS} s per shape and server`);
    say();
    await runBulkBench(servers, me.token!, SECONDS, say);
    const inproc = await inProcessFigures(csv, KERAS_SPEC);
    say();
    say(`In-process: the network alone ${Math.round(inproc.bulkRowsPerSec)} rows/s, pipeline + network ${Math.round(inproc.bulkPipelineRowsPerSec)} rows/s (1,000-row calls).`);
  } finally {
    if (base) {
      base.kill('SIGTERM');
      await new Promise((r) => base.once('exit', r));
    }
  }
}

/**
 * BENCH_ONLY=v2 with BENCH_BASE_ROOT (a built checkout of another commit, e.g. main): two more API
 * processes without a worker, one of this build and one of that, on the same database and model,
 * take turns on the V2 single-row call (bench/v2.ts runV2Compare): before and after in one run.
 */
async function v2Compare(me: Caller, pgPort: number, bare: ChildProcess, barePort: number, baseRoot: string, say: (s?: string) => void) {
  const [basePort, headPort] = [await freePort(), await freePort()];
  const base = await secondApi(basePort, pgPort, {}, baseRoot);
  const head = await secondApi(headPort, pgPort);
  try {
    const servers = [
      { label: `base (${path.basename(baseRoot)})`, url: `http://127.0.0.1:${basePort}/graphql`, pid: base.pid! },
      { label: 'this build', url: `http://127.0.0.1:${headPort}/graphql`, pid: head.pid! },
    ];
    await runV2Compare(servers, { url: `http://127.0.0.1:${barePort}/`, pid: bare.pid! }, me.token!, 'bench', SECONDS, say);
  } finally {
    for (const p of [base, head]) {
      p.kill('SIGTERM');
      await new Promise((r) => p.once('exit', r));
    }
  }
}

/** BENCH_ONLY=bodies: two API processes of this build, bodies parsed inline and on the answer threads (bench/bodies.ts). */
async function bodiesOnly(me: Caller, pgPort: number, say: (s?: string) => void) {
  const [inlinePort, threadPort] = [await freePort(), await freePort()];
  const inline = await secondApi(inlinePort, pgPort, { JSON_BODY_THREAD_BYTES: '0' });
  const threaded = await secondApi(threadPort, pgPort);
  try {
    await runBodiesBench(
      [
        { label: 'inline (JSON_BODY_THREAD_BYTES=0)', url: `http://127.0.0.1:${inlinePort}/graphql`, pid: inline.pid! },
        { label: 'on an answer thread (default)', url: `http://127.0.0.1:${threadPort}/graphql`, pid: threaded.pid! },
      ],
      me.token!,
      SECONDS,
      say,
    );
  } finally {
    for (const p of [inline, threaded]) {
      p.kill('SIGTERM');
      await new Promise((r) => p.once('exit', r));
    }
  }
}

/**
 * BENCH_ONLY=ws-storm (bench/ws-storm.ts): two more API processes of this build on the bench's
 * database, the websocket message rate at its default and lifted, each with the default in-flight cap.
 */
async function wsStormOnly(pgPort: number, say: (s?: string) => void) {
  const limitedPort = await freePort();
  const liftedPort = await freePort();
  const cap = { TENANT_MAX_IN_FLIGHT: '64' };
  const limited = await secondApi(limitedPort, pgPort, cap);
  const lifted = await secondApi(liftedPort, pgPort, { ...cap, WS_TENANT_MESSAGES_PER_SECOND: '1000000', WS_TENANT_MESSAGE_BURST: '1000000' });
  try {
    await runWsStormBench(
      [
        { label: 'default rate (100/s, burst 200)', url: `http://127.0.0.1:${limitedPort}/graphql` },
        { label: 'rate lifted', url: `http://127.0.0.1:${liftedPort}/graphql` },
      ],
      ADMIN,
      say,
    );
  } finally {
    limited.kill('SIGTERM');
    lifted.kill('SIGTERM');
  }
}

/** BENCH_ONLY=training: the reference job queued vs bare with its phases, then queue pick-up. */
async function trainingSection(me: Caller, datasetId: string, csv: string, databaseUrl: string, say: (s?: string) => void) {
  say(
    `# Training through the queue (BENCH_ONLY=training, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)})`,
  );
  say();
  await runTrainingBench(me, datasetId, csv, say, Number(process.env.BENCH_RUNS ?? 5));
  const pickup = await pickupLatency(databaseUrl);
  say(
    `Queue pick-up, \`enqueue\` called → handler called (NOTIFY in the enqueue transaction, polling every 5 s as the fallback): p50 ${pickup.p50.toFixed(1)} ms, p99 ${pickup.p99.toFixed(1)} ms over ${pickup.samples} jobs.`,
  );
}

/** BENCH_ONLY=progress: epoch end → subscriber with 1 and 1,000 subscribers on one run. */
async function progressSection(me: Caller, datasetId: string, say: (s?: string) => void, apiPid: number) {
  say(`# Progress latency (BENCH_ONLY=progress, load average ${os.loadavg()[0].toFixed(1)})`);
  say();
  for (const n of [1, 1000]) {
    const lat = await progressLatency(me, datasetId, n, apiPid);
    say(
      `- ${n} subscriber${n > 1 ? 's' : ''}: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms over ${lat.samples} live deliveries; ${lat.completed} of ${n} streams ended with FINAL; ${lat.delivered} messages, API main thread ${lat.apiUsPerMessage.toFixed(1)} µs CPU per message (training included), the clients (this process) ${lat.clientUsPerMessage.toFixed(1)} µs.`,
    );
  }
  say();
  say(`Load average after: ${os.loadavg()[0].toFixed(1)}.`);
}

main().then(
  () => stopping || process.exit(0),
  (err) => {
    if (stopping) return;
    console.error(err);
    process.exit(1);
  },
);
