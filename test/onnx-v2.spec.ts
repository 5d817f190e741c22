/**
 * Uploaded ONNX models (issue 12) end to end through the transports: the GraphQL `infer` and
 * `modelMetadata` queries and the V2 REST routes (GET /v2/models/{name}, .../ready, POST .../infer)
 * on the real models of the shared data (onnx-models/, mnist/), with the values checked: mnist-8's
 * accuracy on the first 1,000 real test images, the Titanic pipeline's probabilities, ultraface's
 * two outputs, rf_iris without its ZipMap, super-resolution's [1,1,672,672] output (and the longest
 * event-loop stall while it is answered), refusals named by input, and per-tenant security.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { App } from '../src/app';
import { gql, gqlOk, type Caller, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { argmax, mnistTestImages, titanicTensors, uploadModelOk } from './support/onnx-uploads';
import { v2 } from './support/v2';
import { binaryRequest, postBinary } from './support/v2-binary';

const INFER = `query($model: String!, $inputs: [InferTensorInput!]!, $outputs: [String!]) {
  infer(model: $model, inputs: $inputs, outputs: $outputs) { modelName version outputs { name datatype shape data } } }`;

let app: App;
let a: TenantBundle;
let b: TenantBundle;

type Tensor = { name: string; datatype: string; shape: number[]; data: unknown };
const errorOf = (r: GqlResult) => ({ code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message ?? '' });
const inferGql = (t: Caller, model: string, inputs: Tensor[], outputs?: string[]) => gql(t, INFER, { model, inputs, outputs: outputs ?? null });
const inferRest = (t: TenantBundle, model: string, inputs: Tensor[], outputs?: string[]) =>
  v2(t.url, `/v2/models/${model}/infer`, { token: t.token, body: { inputs, ...(outputs ? { outputs: outputs.map((name) => ({ name })) } : {}) } });

/** The output tensors of one call over both transports, checked to be the same. */
async function inferBoth(model: string, inputs: Tensor[], outputs?: string[]): Promise<Tensor[]> {
  const [g, r] = await Promise.all([inferGql(a, model, inputs, outputs), inferRest(a, model, inputs, outputs)]);
  if (g.errors) throw new Error(JSON.stringify(g.errors));
  expect(r.status).toBe(200);
  expect(r.body.outputs).toEqual(g.data!.infer.outputs);
  return r.body.outputs as Tensor[];
}

/** The same refusal over both transports: GraphQL's code and message, REST's status, code and message. */
async function refusedBoth(model: string, inputs: Tensor[], outputs: string[] | undefined, code: string, status: number): Promise<string> {
  const [g, r] = await Promise.all([inferGql(a, model, inputs, outputs), inferRest(a, model, inputs, outputs)]);
  expect(errorOf(g).code).toBe(code);
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({ code, error: errorOf(g).message });
  return errorOf(g).message;
}

beforeAll(async () => {
  app = await startTestApp();
  a = await createTenant(app, 'onnxv2-a');
  b = await createTenant(app, 'onnxv2-b');
  await uploadModelOk(a, 'mnist', 'mnist-8.onnx');
  await uploadModelOk(a, 'titanic', 'pipeline_titanic_nozipmap.onnx');
  await uploadModelOk(a, 'ultraface', 'ultraface-version-RFB-320.onnx');
  await uploadModelOk(a, 'iris', 'rf_iris.onnx');
  await uploadModelOk(a, 'superres', 'super-resolution-10.onnx');
}, 120_000);
afterAll(() => app.stop());

it('metadata over REST and GraphQL: the declared inputs and outputs, dynamic dimensions -1', async () => {
  const titanic = await v2(a.url, '/v2/models/titanic', { token: a.token });
  expect(titanic.status).toBe(200);
  expect(titanic.body).toEqual({
    name: 'titanic',
    versions: ['1'],
    platform: 'onnx',
    inputs: [
      { name: 'pclass', datatype: 'INT64', shape: [-1, 1] },
      { name: 'sex', datatype: 'BYTES', shape: [-1, 1] },
      { name: 'age', datatype: 'FP32', shape: [-1, 1] },
      { name: 'fare', datatype: 'FP32', shape: [-1, 1] },
      { name: 'embarked', datatype: 'BYTES', shape: [-1, 1] },
    ],
    outputs: [
      { name: 'label', datatype: 'INT64', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
    ],
  });
  const sr = (await gqlOk(a, '{ modelMetadata(model: "superres") { platform inputs { name datatype shape } outputs { name datatype shape } } }')).modelMetadata;
  expect(sr).toEqual({
    platform: 'onnx',
    inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 1, 224, 224] }],
    outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 1, 672, 672] }],
  });
  expect((await v2(a.url, '/v2/models/iris/versions/1', { token: a.token })).body.outputs).toEqual([{ name: 'output_label', datatype: 'INT64', shape: [-1] }]);
  expect(await v2(a.url, '/v2/models/mnist/ready', { token: a.token })).toMatchObject({ status: 200, body: { name: 'mnist', ready: true } });
});

it('mnist-8: >= 98 % on the first 1,000 real MNIST test images through GraphQL infer and V2 REST', async () => {
  const mnist = mnistTestImages(1000);
  let gqlRight = 0;
  let restRight = 0;
  for (let i = 0; i < 1000; i++) {
    const input = [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(mnist.pixels(i)) }];
    const [g, r] = await Promise.all([inferGql(a, 'mnist', input), inferRest(a, 'mnist', input)]);
    const gOut = g.data!.infer.outputs[0] as Tensor;
    const rOut = r.body.outputs[0] as Tensor;
    expect([gOut.name, gOut.shape, rOut.name, rOut.shape]).toEqual(['Plus214_Output_0', [1, 10], 'Plus214_Output_0', [1, 10]]);
    if (argmax(gOut.data as number[]) === mnist.label(i)) gqlRight++;
    if (argmax(rOut.data as number[]) === mnist.label(i)) restRight++;
  }
  console.log(`mnist-8 through GraphQL infer: ${gqlRight} / 1000 right; through V2 REST: ${restRight} / 1000`);
  expect(gqlRight).toBeGreaterThanOrEqual(980);
  expect(restRight).toBe(gqlRight);
}, 300_000);

it('the Titanic pipeline: BYTES, INT64 and FP32 [N,1] inputs give the data README probabilities', async () => {
  const [label, probabilities] = await inferBoth(
    'titanic',
    titanicTensors([
      { pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' },
      { pclass: 3, sex: 'male', age: 25, fare: 7.9, embarked: 'S' },
    ]),
  );
  expect(label).toEqual({ name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] });
  expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [2, 2] });
  const p = probabilities!.data as number[];
  expect(p[1]).toBeCloseTo(0.886, 3);
  expect(p[3]).toBeCloseTo(0.09, 3);
  expect(p[0]! + p[1]!).toBeCloseTo(1, 5);
});

it('ultraface: scores [1,4420,2] and boxes [1,4420,4] as tensors, or one of them via outputs', async () => {
  const input = [{ name: 'input', datatype: 'FP32', shape: [1, 3, 240, 320], data: new Array(3 * 240 * 320).fill(0) }];
  const both = await inferBoth('ultraface', input);
  expect(both.map((t) => [t.name, t.datatype, t.shape, (t.data as number[]).length])).toEqual([
    ['scores', 'FP32', [1, 4420, 2], 8840],
    ['boxes', 'FP32', [1, 4420, 4], 17680],
  ]);
  // Each anchor's two scores are a softmax: they sum to 1.
  const scores = both[0]!.data as number[];
  expect(scores[0]! + scores[1]!).toBeCloseTo(1, 5);
  const boxes = await inferBoth('ultraface', input, ['boxes']);
  expect(boxes).toEqual([both[1]]);
});

it('rf_iris: output_label served; asking for the ZipMap output says how to export without it', async () => {
  const input = [{ name: 'float_input', datatype: 'FP32', shape: [3, 4], data: [5.1, 3.5, 1.4, 0.2, 5.9, 3.0, 4.2, 1.5, 6.3, 3.3, 6.0, 2.5] }];
  expect(await inferBoth('iris', input)).toEqual([{ name: 'output_label', datatype: 'INT64', shape: [3], data: [0, 1, 2] }]);
  const message = await refusedBoth('iris', input, ['output_probability'], 'BAD_USER_INPUT', 400);
  expect(message).toMatch(/^outputs\[0\]: output 'output_probability' is not served: /);
  expect(message).toContain("options={id(model): {'zipmap': False}}");
});

it('a wrong input name, datatype or shape: BAD_USER_INPUT (HTTP 400) naming the input, expected vs got', async () => {
  const pixels = new Array(784).fill(0);
  const name = await refusedBoth('mnist', [{ name: 'Input_3', datatype: 'FP32', shape: [1, 1, 28, 28], data: pixels }], undefined, 'BAD_USER_INPUT', 400);
  expect(name).toBe("inputs[0] names 'Input_3', which is no input of the model (did you mean 'Input3'?); its inputs are Input3");
  const datatype = await refusedBoth('mnist', [{ name: 'Input3', datatype: 'FP64', shape: [1, 1, 28, 28], data: pixels }], undefined, 'BAD_USER_INPUT', 400);
  expect(datatype).toBe("inputs[0] ('Input3') is FP64; the model takes FP32");
  const shape = await refusedBoth('mnist', [{ name: 'Input3', datatype: 'FP32', shape: [1, 784], data: pixels }], undefined, 'BAD_USER_INPUT', 400);
  expect(shape).toBe("inputs[0] ('Input3') has shape [1, 784]; the model takes [1, 1, 28, 28] (-1: any size)");
  const rows = await refusedBoth('mnist', [{ name: 'Input3', datatype: 'FP32', shape: [2, 1, 28, 28], data: [...pixels, ...pixels] }], undefined, 'BAD_USER_INPUT', 400);
  expect(rows).toBe("inputs[0] ('Input3') has shape [2, 1, 28, 28]; the model takes [1, 1, 28, 28] (-1: any size)");
  const missing = titanicTensors([{ pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' }]).slice(0, 4);
  expect(await refusedBoth('titanic', missing, undefined, 'BAD_USER_INPUT', 400)).toBe(
    "inputs lacks the model's input 'embarked'; its inputs are pclass, sex, age, fare, embarked",
  );
  const sexAsNumber = titanicTensors([{ pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' }]).map((t) =>
    t.name === 'sex' ? { ...t, datatype: 'INT64', data: [0] } : t,
  );
  expect(await refusedBoth('titanic', sexAsNumber, undefined, 'BAD_USER_INPUT', 400)).toBe("inputs[1] ('sex') is INT64; the model takes BYTES");
});

it('super-resolution-10: the [1,1,672,672] output, and the longest event-loop stall while it is answered', async () => {
  // A real-ish image: a gradient, so the 3x upscale has something to keep.
  const data = Array.from({ length: 224 * 224 }, (_, i) => ((i % 224) + Math.floor(i / 224)) / 446);
  const body = { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 1, 224, 224], data }] };
  await v2(a.url, '/v2/models/superres/infer', { token: a.token, body }); // loads the model
  const stall = monitorEventLoopDelay({ resolution: 1 });
  let small = 0;
  let stop = false;
  const meanwhile = (async () => {
    while (!stop) {
      const r = await fetch(a.url.replace(/\/graphql$/, '/v2/health/live'));
      await r.text();
      small++;
    }
  })();
  stall.enable();
  // Until the whole answer is received (the body as text: this client's JSON.parse comes after).
  const res = await fetch(a.url.replace(/\/graphql$/, '/v2/models/superres/infer'), {
    method: 'POST',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  stall.disable();
  const restStallMs = stall.max / 1e6;
  const answer = JSON.parse(text) as { outputs: Tensor[] };
  stall.reset();
  stall.enable();
  const g = await inferGql(a, 'superres', body.inputs);
  stall.disable();
  const gqlStallMs = stall.max / 1e6; // includes this client's JSON.parse of the GraphQL answer
  stop = true;
  await meanwhile;
  console.log(
    `super-resolution-10: longest event-loop stall answering V2 REST ${restStallMs.toFixed(1)} ms, GraphQL infer ${gqlStallMs.toFixed(1)} ms; ${small} small requests answered meanwhile`,
  );
  expect(res.status).toBe(200);
  const [out] = answer.outputs;
  expect([out!.name, out!.datatype, out!.shape, (out!.data as number[]).length]).toEqual(['output', 'FP32', [1, 1, 672, 672], 451_584]);
  expect(g.data!.infer.outputs[0].data).toEqual(out!.data);
  // The express route (a browser's request, with an Origin header) streams the same answer.
  const viaExpress = await v2(a.url, '/v2/models/superres/infer', { token: a.token, body, headers: { origin: 'http://example.test' } });
  expect(viaExpress.status).toBe(200);
  expect(viaExpress.body.outputs[0].data).toEqual(out!.data);
  // In binary (binary_data_output): 451,584 float32 = 1,806,336 bytes after the JSON header, the same values.
  const bin = await postBinary(
    a.url,
    '/v2/models/superres/infer',
    binaryRequest([{ ...body.inputs[0]!, datatype: 'FP32' }], { parameters: { binary_data_output: true } }),
    a.token,
  );
  expect(bin.json.outputs).toEqual([{ name: 'output', datatype: 'FP32', shape: [1, 1, 672, 672], parameters: { binary_data_size: 1_806_336 } }]);
  expect(bin.tensors.output).toEqual(out!.data);
  // The output is the input upscaled 3x: the pixel at (3y+1, 3x+1) is close to input (y, x).
  const o = out!.data as number[];
  for (const [y, x] of [
    [10, 10],
    [100, 50],
    [200, 220],
  ] as const)
    expect(Math.abs(o[(3 * y + 1) * 672 + 3 * x + 1]! - data[y * 224 + x]!)).toBeLessThan(0.1);
  expect(small).toBeGreaterThan(0);
}, 120_000);

it('per-tenant security on V2 for an uploaded model: another tenant 404, no PREDICT 403, no key 401', async () => {
  const body = { inputs: [{ name: 'float_input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] };
  const calls = [{ path: '/v2/models/iris' }, { path: '/v2/models/iris/ready' }, { path: '/v2/models/iris/versions/1' }, { path: '/v2/models/iris/infer', body }];
  const readOnly = (await gqlOk(a, 'mutation { createApiKey(input: { name: "no-predict", scopes: [MODELS_READ] }) { key } }')).createApiKey.key as string;
  for (const c of calls) {
    const other = await v2(b.url, c.path, { token: b.token, body: c.body });
    expect([c.path, other.status, other.body.code]).toEqual([c.path, 404, 'NOT_FOUND']);
    expect(other.body.error).toContain("'iris'");
    const scoped = await v2(a.url, c.path, { token: readOnly, body: c.body });
    expect([c.path, scoped.status, scoped.body.code]).toEqual([c.path, 403, 'FORBIDDEN']);
    const anonymous = await v2(a.url, c.path, { body: c.body });
    expect([c.path, anonymous.status, anonymous.body.code]).toEqual([c.path, 401, 'UNAUTHENTICATED']);
  }
  expect(errorOf(await inferGql(b, 'iris', body.inputs)).code).toBe('NOT_FOUND');
  expect(errorOf(await inferGql({ url: a.url, token: readOnly }, 'iris', body.inputs)).code).toBe('FORBIDDEN');
});
