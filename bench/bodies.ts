/**
 * BENCH_ONLY=bodies: what a large JSON request body costs the API's event loop, parsed inline
 * (JSON_BODY_THREAD_BYTES=0) and on the answer threads (the default), as same-run figures of two API
 * processes of this build on one database, taking turns round by round. The request is
 * super-resolution's input (one 1×1×224×224 FP32 image, ~0.9 MB of JSON) over V2 REST and GraphQL,
 * naming an output the model does not have: the body is read, parsed and its tensors checked, then
 * the call is refused (400) before scoring, so the figure is the body's cost alone, not the model's
 * or the answer's. The main thread's CPU per request is the event-loop time one such request takes
 * from every other tenant.
 */
import os from 'node:os';
import { measure, type Measured } from './anchors';
import { upload } from './isolation';

const MODEL = 'bench-bodies-superres';
const CONCURRENCY = 8;
const ROUNDS = 3;

/** One API process under comparison. */
export interface BodiesServer {
  label: string;
  /** Its /graphql URL. */
  url: string;
  pid: number;
}

const mean = (rs: Measured[], f: (r: Measured) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;

/**
 * @param servers the processes to compare (same database; the model is uploaded through the first).
 * @param token an API key of the tenant.
 */
export async function runBodiesBench(servers: BodiesServer[], token: string, seconds: number, say: (s?: string) => void): Promise<void> {
  await upload(servers[0]!.url, token, MODEL, 'super-resolution-10.onnx');
  const image = Array.from({ length: 224 * 224 }, (_, i) => ((i * 13) % 224) / 224 + i * 1e-7);
  const inputs = [{ name: 'input', datatype: 'FP32', shape: [1, 1, 224, 224], data: image }];
  const rest = JSON.stringify({ inputs, outputs: [{ name: 'not-an-output' }] });
  const graphql = JSON.stringify({
    query: `query($i: [InferTensorInput!]!) { infer(model: "${MODEL}", inputs: $i, outputs: ["not-an-output"]) { version } }`,
    variables: { i: inputs },
  });
  const auth = { authorization: `Bearer ${token}` };
  const calls = [
    { kind: 'V2 REST', body: rest, url: (s: BodiesServer) => s.url.replace(/\/graphql$/, `/v2/models/${MODEL}/infer`) },
    { kind: 'GraphQL', body: graphql, url: (s: BodiesServer) => s.url },
  ];
  const figures = new Map<string, Measured[]>();
  for (const s of servers) for (const c of calls) await measure({ name: '', url: c.url(s), body: c.body, headers: auth, pid: s.pid }, 2, 1); // warm-up
  const loadBefore = os.loadavg()[0]!;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...servers].reverse() : servers;
    for (const c of calls)
      for (const s of order) {
        const key = `${c.kind}\u0000${s.label}`;
        const m = await measure({ name: key, url: c.url(s), body: c.body, headers: auth, pid: s.pid }, CONCURRENCY, seconds / ROUNDS);
        figures.set(key, [...(figures.get(key) ?? []), m]);
      }
  }
  const loadAfter = os.loadavg()[0]!;
  say(`## A large request body's cost to the event loop (BENCH_ONLY=bodies)`);
  say();
  say(
    `One super-resolution image as JSON (${(Buffer.byteLength(rest) / 1e6).toFixed(2)} MB over V2, ${(Buffer.byteLength(graphql) / 1e6).toFixed(2)} MB over GraphQL), refused after its tensors are read (an output the model does not have), concurrency ${CONCURRENCY}, ${ROUNDS} rounds of ${(seconds / ROUNDS).toFixed(1)} s per server and transport, taking turns. Load average (1 min) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, ${os.cpus().length} cores.`,
  );
  say();
  say('| transport | body parsed | requests/s | p50 / p99 ms | API main-thread CPU ms per request | all threads ms per request |');
  say('|---|---|---|---|---|---|');
  for (const c of calls)
    for (const s of servers) {
      const rs = figures.get(`${c.kind}\u0000${s.label}`)!;
      const total = rs.reduce((a, r) => a + r.total, 0);
      say(
        `| ${c.kind} | ${s.label} | ${(total / seconds).toFixed(0)} | ${mean(rs, (r) => r.p50ms).toFixed(0)} / ${mean(rs, (r) => r.p99ms).toFixed(0)} | ${(mean(rs, (r) => r.mainCpuUsPerReq) / 1000).toFixed(2)} | ${(mean(rs, (r) => r.cpuUsPerReq) / 1000).toFixed(2)} |`,
      );
    }
  say();
}
