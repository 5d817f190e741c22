/**
 * mnist-8 (an uploaded ONNX model, the shared data's onnx-models/mnist-8.onnx) on one real MNIST
 * test image per call: GraphQL `infer` and V2 REST on the API, against onnxruntime-node called
 * in-process (the same bytes, one `session.run` per call: the ceiling). Issue 12: the ratio printed.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'fflate';
import type * as Ort from 'onnxruntime-node';
import { sharedDataFile } from '../src/lib/paths';
import { load, type LoadResult } from './load';

const MODEL = 'bench-mnist';

/** Uploads mnist-8 as `bench-mnist` for the caller's tenant (GraphQL multipart). */
async function upload(apiUrl: string, token: string, bytes: Buffer): Promise<void> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: `mutation($file: Upload) { uploadModelVersion(model: "${MODEL}", file: $file) { version } }`, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), 'mnist-8.onnx');
  const res = await fetch(apiUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' }, body: form });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`mnist-8 upload failed: ${JSON.stringify(body.errors)}`);
}

/** Calls per second of onnxruntime-node in-process on `pixels`, one image per call, for `seconds`. */
async function inProcessPerSec(bytes: Buffer, pixels: Float32Array, seconds: number): Promise<number> {
  const ort = require('onnxruntime-node') as typeof Ort;
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, executionProviders: ['cpu'] });
  try {
    let calls = 0;
    const end = performance.now() + seconds * 1000;
    const started = performance.now();
    while (performance.now() < end) {
      const input = new ort.Tensor('float32', pixels, [1, 1, 28, 28]);
      const out = await session.run({ Input3: input });
      input.dispose();
      Object.values(out).forEach((t) => t.dispose());
      calls++;
    }
    return calls / ((performance.now() - started) / 1000);
  } finally {
    await session.release();
  }
}

/**
 * @param apiUrl the API's /graphql URL (V2 on the same server).
 * @returns GraphQL infer, V2 infer (concurrency 1 and 16) and in-process calls per second.
 */
export async function runOnnxMnistBench(apiUrl: string, token: string, seconds: number, say: (s?: string) => void) {
  const bytes = fs.readFileSync(sharedDataFile('onnx-models', 'mnist-8.onnx'));
  const images = gunzipSync(fs.readFileSync(sharedDataFile('mnist', 't10k-images-idx3-ubyte.gz')));
  const pixels = Float32Array.from(images.subarray(16, 16 + 784));
  await upload(apiUrl, token, bytes);
  const input = { name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(pixels) };
  const gqlBody = JSON.stringify({
    query: `query($inputs: [InferTensorInput!]!) { infer(model: "${MODEL}", inputs: $inputs) { version outputs { name shape data } } }`,
    variables: { inputs: [input] },
  });
  const v2Body = JSON.stringify({ inputs: [input] });
  const v2Url = apiUrl.replace(/\/graphql$/, `/v2/models/${MODEL}/infer`);
  const auth = { authorization: `Bearer ${token}` };
  await load(apiUrl, gqlBody, auth, 4, 1); // warm-up: loads the model
  const gql: Record<number, LoadResult> = {};
  const v2: Record<number, LoadResult> = {};
  for (const c of [1, 16]) {
    gql[c] = await load(apiUrl, gqlBody, auth, c, seconds);
    v2[c] = await load(v2Url, v2Body, auth, c, seconds);
  }
  const inProcess = await inProcessPerSec(bytes, pixels, seconds);
  const fmt = (r: LoadResult) => `${Math.round(r.rps)} req/s, p50 ${r.p50ms} ms${r.errors || r.non2xx ? `, ${r.errors} errors, ${r.non2xx} non-2xx` : ''}`;
  say('## Uploaded ONNX model: mnist-8, one real MNIST image per call');
  say();
  say('| concurrency | GraphQL `infer` | V2 `POST /v2/models/{name}/infer` | (d) onnxruntime-node in-process, 1 caller | GraphQL / (d) | V2 / (d) |');
  say('|---|---|---|---|---|---|');
  for (const c of [1, 16]) {
    say(`| ${c} | ${fmt(gql[c]!)} | ${fmt(v2[c]!)} | ${Math.round(inProcess)} calls/s | **${(gql[c]!.rps / inProcess).toFixed(3)}×** | ${(v2[c]!.rps / inProcess).toFixed(3)}× |`);
  }
  say();
  return { gql, v2, inProcess };
}
