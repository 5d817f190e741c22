/**
 * V2 (Open Inference Protocol) REST single-row predict of the bench model, against the bare Node
 * HTTP server (the framework-free ceiling) and GraphQL predict, at concurrency 64, side by side in
 * one run. Issue 12's goal: V2 ≥ 0.5× the bare server.
 */
import { PIMA_ROW as ROW } from '../src/client/reference-job';
import { load, type LoadResult } from './load';

/** The figures of one V2 bench run. */
export interface V2BenchResult {
  v2: LoadResult;
  graphql: LoadResult;
  bare: LoadResult;
  /** The same infer call with an Origin header, so express answers it (the fast path's baseline). */
  viaExpress: LoadResult;
  /** GET /v2/models/{name}: the same server, credential and version lookup, no scoring. */
  metadata: LoadResult;
  /** GET /v2 (server metadata): the same server, nothing else. */
  server: LoadResult;
}

const CONCURRENCY = 64;
/** Rounds of the three measurements, interleaved; each gets `seconds / ROUNDS` per round. */
const ROUNDS = 3;

/** The mean of several load results (rates and latencies averaged, errors summed). */
function mean(results: LoadResult[]): LoadResult {
  const avg = (f: (r: LoadResult) => number) => results.reduce((a, r) => a + f(r), 0) / results.length;
  return {
    rps: avg((r) => r.rps),
    p50ms: Math.round(avg((r) => r.p50ms)),
    p99ms: Math.round(avg((r) => r.p99ms)),
    errors: results.reduce((a, r) => a + r.errors, 0),
    non2xx: results.reduce((a, r) => a + r.non2xx, 0),
    total: results.reduce((a, r) => a + r.total, 0),
  };
}

/**
 * @param apiUrl the API's /graphql URL (the V2 routes are on the same server).
 * @param model a trained Pima model of the caller's tenant.
 */
export async function runV2Bench(apiUrl: string, token: string, bareUrl: string, model: string, seconds: number, say: (s?: string) => void): Promise<V2BenchResult> {
  const features = Object.keys(ROW);
  const v2Url = apiUrl.replace(/\/graphql$/, `/v2/models/${model}/infer`);
  const metadataUrl = apiUrl.replace(/\/graphql$/, `/v2/models/${model}`);
  const serverUrl = apiUrl.replace(/\/graphql$/, '/v2');
  const v2Body = JSON.stringify({ inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, features.length], data: features.map((f) => (ROW as Record<string, number>)[f]) }] });
  const gqlBody = JSON.stringify({
    query: 'query($rows: [JSONObject!]!, $m: String!) { predict(model: $m, rows: $rows) { version predictions { label probability } } }',
    variables: { rows: [ROW], m: model },
  });
  const auth = { authorization: `Bearer ${token}` };
  await load(v2Url, v2Body, auth, 8, 2); // warm-up
  // Interleaved rounds, so a burst of load from elsewhere on the machine falls on all three alike.
  const rounds: V2BenchResult[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    rounds.push({
      v2: await load(v2Url, v2Body, auth, CONCURRENCY, seconds / ROUNDS),
      viaExpress: await load(v2Url, v2Body, { ...auth, origin: 'http://bench.example' }, CONCURRENCY, seconds / ROUNDS),
      bare: await load(bareUrl, v2Body, {}, CONCURRENCY, seconds / ROUNDS),
      graphql: await load(apiUrl, gqlBody, auth, CONCURRENCY, seconds / ROUNDS),
      metadata: await load(metadataUrl, undefined, auth, CONCURRENCY, seconds / ROUNDS),
      server: await load(serverUrl, undefined, {}, CONCURRENCY, seconds / ROUNDS),
    });
  }
  const [v2, viaExpress, bare, graphql, metadata, server] = (['v2', 'viaExpress', 'bare', 'graphql', 'metadata', 'server'] as const).map((k) => mean(rounds.map((r) => r[k])));
  const fmt = (r: LoadResult) => `${Math.round(r.rps)} req/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms${r.errors || r.non2xx ? `, ${r.errors} errors, ${r.non2xx} non-2xx` : ''}`;
  say('## V2 REST (Open Inference Protocol) single-row predict, concurrency 64');
  say();
  say('| V2 `POST /v2/models/{name}/infer` | (b) bare Node HTTP | GraphQL predict | V2 / (b) | V2 / GraphQL |');
  say('|---|---|---|---|---|');
  say(`| ${fmt(v2)} | ${fmt(bare)} | ${fmt(graphql)} | **${(v2.rps / bare.rps).toFixed(2)}×** | ${(v2.rps / graphql.rps).toFixed(2)}× |`);
  say();
  say(`The same V2 call answered by express (an Origin header, as a browser sends): ${fmt(viaExpress)}, ${(viaExpress.rps / bare.rps).toFixed(2)}× (b).`);
  say();
  say(
    `Same server, no scoring: \`GET /v2/models/{name}\` (credential + version lookup) ${fmt(metadata)}; \`GET /v2\` (express only) ${fmt(server)}, ${(server.rps / bare.rps).toFixed(2)}× (b).`,
  );
  say();
  say(`Goal (issue 12): V2 ≥ 0.5× the bare server: ${v2.rps / bare.rps >= 0.5 ? 'met' : 'not met'}.`);
  return { v2, viaExpress, graphql, bare, metadata, server };
}
