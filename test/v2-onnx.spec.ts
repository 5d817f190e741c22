/**
 * @jest-environment ./test/setup/onnx-environment.js
 *
 * The V2 routes and GraphQL `infer` on uploaded ONNX models (the family's `tensorSpecs` and
 * `inferTensors`): metadata is the model's declaration, and inference equals the family called
 * directly (ServedModel.query) — mnist-8 on a real MNIST test image, the Titanic pipeline (INT64,
 * BYTES and FP32 inputs) with the probabilities of the data README, rf_iris without its ZipMap
 * output. A wrong datatype, shape or output name is a 400 naming it.
 */
import fs from 'node:fs';
import { gunzipSync } from 'fflate';
import type { App } from '../src/app';
import { gqlOk, type Caller } from '../src/client/graphql-client';
import { sharedDataFile } from '../src/lib/paths';
import { INFER_TENSORS_METHOD, type NamedTensor } from '../src/ml/tensor-io';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { v2 } from './support/v2';

let app: App;
let t: TenantBundle;

/** uploadModelVersion through the GraphQL multipart request. */
async function upload(caller: Caller, model: string, filename: string): Promise<void> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({ query: 'mutation($model: String!, $file: Upload) { uploadModelVersion(model: $model, file: $file) { version } }', variables: { model, file: null } }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(fs.readFileSync(sharedDataFile('onnx-models', filename)))]), filename);
  const res = await fetch(caller.url, { method: 'POST', headers: { authorization: `Bearer ${caller.token}`, 'apollo-require-preflight': 'true' }, body: form });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

/** The family called directly, outputs as plain arrays. */
async function direct(model: string, inputs: NamedTensor[]) {
  const { served } = await app.services.predict.load(t.tenantId, model, {});
  const out = (await served.query(INFER_TENSORS_METHOD, [inputs])) as NamedTensor[];
  return out.map((o) => ({ ...o, data: Array.from(o.data as ArrayLike<unknown>) }));
}

const infer = (model: string, body: unknown) => v2(t.url, `/v2/models/${model}/infer`, { token: t.token, body });

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'v2-onnx');
  await upload(t, 'mnist', 'mnist-8.onnx');
  await upload(t, 'titanic', 'pipeline_titanic_nozipmap.onnx');
  await upload(t, 'iris', 'rf_iris.onnx');
}, 120_000);
afterAll(() => app.stop());

it('mnist-8: metadata from the model, a real test image classified as the family answers it', async () => {
  const meta = await v2(t.url, '/v2/models/mnist', { token: t.token });
  expect(meta.status).toBe(200);
  expect(meta.body).toMatchObject({
    name: 'mnist',
    versions: ['1'],
    platform: 'onnx',
    inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28] }],
    outputs: [{ name: 'Plus214_Output_0', datatype: 'FP32', shape: [1, 10] }],
  });
  const images = gunzipSync(fs.readFileSync(sharedDataFile('mnist', 't10k-images-idx3-ubyte.gz')));
  const pixels = Array.from(images.subarray(16, 16 + 784)); // the first test image, a 7
  const input = { name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: pixels };
  const r = await infer('mnist', { id: 'm1', inputs: [input] });
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ model_name: 'mnist', model_version: '1', id: 'm1', outputs: await direct('mnist', [{ ...input, datatype: 'FP32' }]) });
  const scores = r.body.outputs[0].data as number[];
  expect(scores.indexOf(Math.max(...scores))).toBe(7);
  const g = await gqlOk(t, 'query($i: [InferTensorInput!]!) { infer(model: "mnist", inputs: $i) { outputs { name datatype shape data } } }', { i: [input] });
  expect(g.infer.outputs).toEqual(r.body.outputs);
  const wrong = await infer('mnist', { inputs: [{ ...input, shape: [1, 28, 28] }] });
  expect([wrong.status, wrong.body]).toEqual([
    400,
    { error: "inputs[0] ('Input3') has shape [1, 28, 28]; the model takes [1, 1, 28, 28] (-1: any size)", code: 'BAD_USER_INPUT', details: { field: 'inputs[0].shape' } },
  ]);
}, 120_000);

it('the Titanic pipeline: INT64, BYTES and FP32 inputs give the data README probabilities', async () => {
  const col = (name: string, datatype: string, data: unknown[]) => ({ name, datatype, shape: [2, 1], data });
  const inputs = [
    col('pclass', 'INT64', [1, 3]),
    col('sex', 'BYTES', ['female', 'male']),
    col('age', 'FP32', [29, 25]),
    col('fare', 'FP32', [211.3, 7.9]),
    col('embarked', 'BYTES', ['S', 'S']),
  ];
  const r = await infer('titanic', { inputs });
  expect(r.status).toBe(200);
  expect(r.body.outputs).toEqual(await direct('titanic', inputs as NamedTensor[]));
  const [label, probabilities] = r.body.outputs;
  expect(label).toEqual({ name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] });
  expect(probabilities.data[1]).toBeCloseTo(0.886, 3);
  expect(probabilities.data[3]).toBeCloseTo(0.09, 3);
  const wrongType = await infer('titanic', { inputs: [inputs[0], { ...inputs[1], datatype: 'INT64', data: [0, 1] }, ...inputs.slice(2)] });
  expect([wrongType.status, wrongType.body.error]).toEqual([400, "inputs[1] ('sex') is INT64; the model takes BYTES"]);
}, 120_000);

it('rf_iris: the label tensor is served, the ZipMap output refused by name', async () => {
  const input = { name: 'float_input', datatype: 'FP32', shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6.0, 2.5] };
  const r = await infer('iris', { inputs: [input] });
  expect(r.body.outputs).toEqual([{ name: 'output_label', datatype: 'INT64', shape: [2], data: [0, 2] }]);
  const zipmap = await infer('iris', { inputs: [input], outputs: [{ name: 'output_probability' }] });
  expect([zipmap.status, zipmap.body.code]).toEqual([400, 'BAD_USER_INPUT']);
  expect(zipmap.body.error).toBe("outputs[0] names 'output_probability', which the model does not serve; it serves output_label");
}, 120_000);
