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
}

const CONCURRENCY = 64;

/**
 * @param apiUrl the API's /graphql URL (the V2 routes are on the same server).
 * @param model a trained Pima model of the caller's tenant.
 */
export async function runV2Bench(apiUrl: string, token: string, bareUrl: string, model: string, seconds: number, say: (s?: string) => void): Promise<V2BenchResult> {
  const features = Object.keys(ROW);
  const v2Url = apiUrl.replace(/\/graphql$/, `/v2/models/${model}/infer`);
  const v2Body = JSON.stringify({ inputs: [{ name: 'input-0', datatype: 'FP32', shape: [1, features.length], data: features.map((f) => (ROW as Record<string, number>)[f]) }] });
  const gqlBody = JSON.stringify({
    query: 'query($rows: [JSONObject!]!, $m: String!) { predict(model: $m, rows: $rows) { version predictions { label probability } } }',
    variables: { rows: [ROW], m: model },
  });
  const auth = { authorization: `Bearer ${token}` };
  await load(v2Url, v2Body, auth, 8, 2); // warm-up
  const v2 = await load(v2Url, v2Body, auth, CONCURRENCY, seconds);
  const bare = await load(bareUrl, v2Body, {}, CONCURRENCY, seconds);
  const graphql = await load(apiUrl, gqlBody, auth, CONCURRENCY, seconds);
  const fmt = (r: LoadResult) => `${Math.round(r.rps)} req/s, p50 ${r.p50ms} ms, p99 ${r.p99ms} ms${r.errors || r.non2xx ? `, ${r.errors} errors, ${r.non2xx} non-2xx` : ''}`;
  say('## V2 REST (Open Inference Protocol) single-row predict, concurrency 64');
  say();
  say('| V2 `POST /v2/models/{name}/infer` | (b) bare Node HTTP | GraphQL predict | V2 / (b) | V2 / GraphQL |');
  say('|---|---|---|---|---|');
  say(`| ${fmt(v2)} | ${fmt(bare)} | ${fmt(graphql)} | **${(v2.rps / bare.rps).toFixed(2)}×** | ${(v2.rps / graphql.rps).toFixed(2)}× |`);
  say();
  say(`Goal (issue 12): V2 ≥ 0.5× the bare server: ${v2.rps / bare.rps >= 0.5 ? 'met' : 'not met'}.`);
  return { v2, graphql, bare };
}
