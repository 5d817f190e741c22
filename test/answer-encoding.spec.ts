/**
 * Large `infer` outputs are encoded to JSON on an answer thread, not on the event loop every tenant
 * shares (issue 10; src/modules/serving/answer-encoder.ts): the answers are the same numbers over
 * GraphQL (HTTP and websocket) and V2 REST, a non-finite value in a large output is still refused
 * with NON_FINITE_OUTPUT naming the output and the index, and the values are the model's.
 */
import { gzipSync } from 'node:zlib';
import type { App } from '../src/app';
import { collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { ENCODED_FROM } from '../src/modules/serving/answer-encoder';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { graphModel } from './support/onnx-proto';
import { uploadModel, uploadModelOk } from './support/onnx-uploads';
import { v2 } from './support/v2';

const INFER = `query($model: String!, $inputs: [InferTensorInput!]!) { infer(model: $model, inputs: $inputs) { outputs { name datatype shape data } } }`;
/** Wider than ENCODED_FROM: encoded on the answer thread. */
const WIDTH = 20_000;

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false' });
  t = await createTenant(app, 'encoding');
  await uploadModelOk(t, 'superres', 'super-resolution-10.onnx');
  // y = log(x), [batch, WIDTH] floats: log(0) is -Infinity.
  const log = graphModel([{ op: 'Log', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', dims: ['batch', WIDTH] }], [{ name: 'y', dims: ['batch', WIDTH] }]);
  expect((await uploadModel(t, 'log', 'log.onnx', log)).errors).toBeUndefined();
}, 120_000);
afterAll(() => app.stop());

it('answers the same super-resolution numbers over GraphQL on HTTP and V2 REST, and a large output the same over the websocket', async () => {
  expect(ENCODED_FROM).toBeLessThan(451_584);
  const inputs = [{ name: 'input', datatype: 'FP32', shape: [1, 1, 224, 224], data: Array.from({ length: 224 * 224 }, (_, i) => ((i * 13) % 224) / 224) }];
  const http = (await gqlOk(t, INFER, { model: 'superres', inputs })).infer.outputs[0];
  expect([http.name, http.datatype, http.shape, http.data.length]).toEqual(['output', 'FP32', [1, 1, 672, 672], 451_584]);
  const rest = await v2(t.url, '/v2/models/superres/infer', { token: t.token, body: { inputs } });
  expect(rest.status).toBe(200);
  expect(rest.body.outputs[0].data).toEqual(http.data);
  // Over the websocket an answer is bounded lower (WEBSOCKET_MAX_OUTPUT_VALUES, test/onnx-output-size.spec.ts):
  // a large output within it, [1, WIDTH], is the same numbers as over HTTP.
  const x = [{ name: 'x', datatype: 'FP32', shape: [1, WIDTH], data: Array.from({ length: WIDTH }, (_, i) => 1 + (i % 97) / 7) }];
  const logHttp = (await gqlOk(t, INFER, { model: 'log', inputs: x })).infer.outputs[0];
  const client = wsClient(t.wsUrl, t.token);
  try {
    const [ws] = await collect(client, INFER, { model: 'log', inputs: x }).done;
    expect(ws!.errors).toBeUndefined();
    expect(ws!.data!.infer.outputs[0].data).toEqual(logHttp.data);
  } finally {
    await client.dispose();
  }
  // Float32 values written as doubles, as before: every value is a float32 exactly.
  expect(http.data.every((v: number) => Math.fround(v) === v)).toBe(true);
  // Encoded on the answer thread: once per call (HTTP, V2 and the websocket alike).
  expect(app.threads.answers.stats().completed).toBeGreaterThanOrEqual(4);
});

it('streams the same answer bytes on the GraphQL fast path and the express route (deferred-answer.ts, used by both)', async () => {
  const inputs = [{ name: 'input', datatype: 'FP32', shape: [1, 1, 224, 224], data: Array.from({ length: 224 * 224 }, (_, i) => ((i * 7) % 224) / 224) }];
  const body = JSON.stringify({ query: INFER, variables: { model: 'superres', inputs } });
  const headers = { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' };
  const fast = await fetch(t.url, { method: 'POST', headers, body });
  // A gzip body is left to express (fast-graphql.ts `takes`), which inflates it.
  const viaExpress = await fetch(t.url, { method: 'POST', headers: { ...headers, 'content-encoding': 'gzip' }, body: gzipSync(body) });
  expect([fast.status, viaExpress.status]).toEqual([200, 200]);
  expect([fast.headers.get('etag'), viaExpress.headers.get('etag')]).toEqual([null, null]); // streamed: express hashed nothing
  const [a, b] = [await fast.text(), await viaExpress.text()];
  expect(a.length).toBeGreaterThan(4_000_000);
  expect(b).toBe(a);
  expect(a).not.toContain('@@deferred-array');
  expect(JSON.parse(a).data.infer.outputs[0].data).toHaveLength(451_584);
});

it("answers a large output's values, and refuses one holding -Infinity with NON_FINITE_OUTPUT naming the output and the index", async () => {
  const x = Array.from({ length: 2 * WIDTH }, (_, i) => 1 + (i % 100) / 10);
  const ok = (await gqlOk(t, INFER, { model: 'log', inputs: [{ name: 'x', datatype: 'FP32', shape: [2, WIDTH], data: x }] })).infer.outputs[0];
  expect(ok.shape).toEqual([2, WIDTH]);
  expect(ok.data).toHaveLength(2 * WIDTH);
  for (const i of [0, 1, 12_345, 2 * WIDTH - 1]) expect(ok.data[i]).toBeCloseTo(Math.log(x[i]!), 5);

  const zero = [...x];
  zero[12_345] = 0;
  const body = { inputs: [{ name: 'x', datatype: 'FP32', shape: [2, WIDTH], data: zero }] };
  const message = "The model's output 'y' holds -Infinity at index 12345, not a finite number; no answer is given";
  const g = await gql(t, INFER, { model: 'log', ...body });
  expect(g.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NON_FINITE_OUTPUT', message]]);
  const r = await v2(t.url, '/v2/models/log/infer', { token: t.token, body });
  expect([r.status, r.body]).toEqual([422, { code: 'NON_FINITE_OUTPUT', error: message }]);
});
