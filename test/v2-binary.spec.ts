/**
 * V2 `parameters` and Triton's binary tensor data extension on uploaded ONNX models (issue 12),
 * through the real server, PostgreSQL and the real models of the shared data: mnist-8 on real MNIST
 * test images sent in binary gives the JSON route's answers (and the request sizes compared), the
 * Titanic pipeline with INT64, BYTES and FP32 inputs in binary, binary answers (`binary_data_output`,
 * per-output `binary_data`), top-k classes (`classification`, with the version's labels), every
 * malformed binary body refused 400 naming what is wrong, and per-tenant security on the binary route.
 * The requests are built from the extension's text in test/support/v2-binary.ts (no npm client
 * library speaks it).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { graphModel } from './support/onnx-proto';
import { argmax, mnistTestImages, titanicTensors, uploadModel, uploadModelOk } from './support/onnx-uploads';
import { v2 } from './support/v2';
import { binaryRequest, postBinary, type BinaryTensor } from './support/v2-binary';

let app: App;
let a: TenantBundle;
let b: TenantBundle;
const MAX_BYTES = 300_000;
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const OUT = 'Plus214_Output_0';

const mnist = mnistTestImages(300);
const pixels = (i: number) => Float32Array.from(mnist.pixels(i));
const digit = (i: number): BinaryTensor => ({ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: pixels(i) });
const postA = (path: string, req: Parameters<typeof postBinary>[2], headers?: Record<string, string>) => postBinary(a.url, path, req, a.token, headers);

beforeAll(async () => {
  app = await startTestApp({ MAX_REQUEST_BYTES: String(MAX_BYTES) });
  a = await createTenant(app, 'v2bin-a');
  b = await createTenant(app, 'v2bin-b');
  await uploadModelOk(a, 'mnist', 'mnist-8.onnx', { labels: DIGITS });
  await uploadModelOk(a, 'titanic', 'pipeline_titanic_nozipmap.onnx');
}, 120_000);
afterAll(() => app.stop());

it('GET /v2 lists the binary_tensor_data and classification extensions', async () => {
  expect((await v2(a.url, '/v2')).body.extensions).toEqual(['binary_tensor_data', 'classification']);
});

it('mnist-8: 300 real MNIST images in binary give the JSON route’s scores; the sizes of both requests', async () => {
  let right = 0;
  let binaryBytes = 0;
  let jsonBytes = 0;
  for (let i = 0; i < 300; i++) {
    const req = binaryRequest([digit(i)]);
    const jsonBody = JSON.stringify({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(mnist.pixels(i)) }] });
    binaryBytes += req.body.length;
    jsonBytes += Buffer.byteLength(jsonBody);
    const [bin, json] = await Promise.all([postA('/v2/models/mnist/infer', req), v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: jsonBody })]);
    expect([bin.status, json.status]).toEqual([200, 200]);
    // A binary request without binary outputs asked is answered in JSON, as Triton does.
    expect(bin.headers.get('inference-header-content-length')).toBeNull();
    expect(bin.json).toEqual(json.body);
    if (argmax(bin.json.outputs[0].data) === mnist.label(i)) right++;
  }
  // Raw 0–255 pixels are short in JSON (mostly "0,"): binary's 4 bytes a float are larger here;
  // scaled floats (x / 255, as many clients send) are not.
  const scaledJson = Buffer.byteLength(
    JSON.stringify({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(pixels(0), (v) => Math.fround(v / 255)) }] }),
  );
  console.log(
    `mnist-8 request bodies, mean of 300: binary ${(binaryBytes / 300).toFixed(0)} bytes, JSON ${(jsonBytes / 300).toFixed(0)} bytes (raw 0-255 pixels); image 0 scaled to [0, 1] as float32 would be ${scaledJson} bytes of JSON; ${right} / 300 right`,
  );
  expect(right).toBeGreaterThanOrEqual(294); // ≥ 98 %
  expect(binaryBytes).toBe(300 * (binaryRequest([digit(0)]).headerLength + 784 * 4));
}, 120_000);

it('server CPU per mnist-8 request, binary vs JSON, over 300 requests each (figures printed, not asserted)', async () => {
  // The client runs in a child process, so this process' CPU time is the server's (and Jest's idle).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'v2bin-'));
  const url = a.url.replace(/\/graphql$/, '/v2/models/mnist/infer');
  const json = Buffer.from(JSON.stringify({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(mnist.pixels(0)) }] }));
  const bin = binaryRequest([digit(0)]);
  const binOut = binaryRequest([digit(0)], { parameters: { binary_data_output: true } });
  const cases: [string, Buffer, Record<string, string>][] = [
    ['JSON (fast path)', json, { 'content-type': 'application/json' }],
    ['JSON (express)', json, { 'content-type': 'application/json', origin: 'http://cpu.test' }],
    ['binary (express)', bin.body, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(bin.headerLength) }],
    ['binary in, binary out', binOut.body, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(binOut.headerLength) }],
  ];
  const lines: string[] = [];
  for (const [what, body, headers] of cases) {
    const file = path.join(dir, 'body');
    fs.writeFileSync(file, body);
    const script = `const b = require('fs').readFileSync(${JSON.stringify(file)}); const h = ${JSON.stringify({ ...headers, authorization: `Bearer ${a.token}` })};
      (async () => { for (let i = 0; i < 300; i++) { const r = await fetch(${JSON.stringify(url)}, { method: 'POST', headers: h, body: b }); await r.arrayBuffer(); if (r.status !== 200) throw new Error(String(r.status)); } })().catch((e) => { console.error(e); process.exit(1); });`;
    const before = process.cpuUsage();
    await new Promise<void>((resolve, reject) => execFile(process.execPath, ['-e', script], (err) => (err ? reject(err) : resolve())));
    const used = process.cpuUsage(before);
    lines.push(`${what}: ${((used.user + used.system) / 300).toFixed(0)} µs of server CPU per request (${body.length} bytes sent)`);
  }
  fs.rmSync(dir, { recursive: true });
  console.log(`mnist-8, 300 sequential requests each:\n${lines.join('\n')}`);
}, 120_000);

it('binary answers: binary_data_output, per-output binary_data, from a binary or a JSON request (the fast path)', async () => {
  const json = await v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: { inputs: [{ ...digit(0), data: Array.from(pixels(0)) }] } });
  const scores = json.body.outputs[0].data as number[];
  const all = await postA('/v2/models/mnist/infer', binaryRequest([digit(0)], { parameters: { binary_data_output: true }, id: 'r7' }));
  expect(all.status).toBe(200);
  expect(all.headers.get('content-type')).toBe('application/octet-stream');
  expect(all.json).toEqual({
    model_name: 'mnist',
    model_version: '1',
    id: 'r7',
    outputs: [{ name: OUT, datatype: 'FP32', shape: [1, 10], parameters: { binary_data_size: 40 } }],
  });
  expect(all.tensors[OUT]).toEqual(scores); // float32 both ways: the JSON numbers are the same float32 values
  // A JSON request (answered before express) may ask for a binary answer too.
  const fromJson = await fetch(a.url.replace(/\/graphql$/, '/v2/models/mnist/infer'), {
    method: 'POST',
    headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ ...digit(0), data: Array.from(pixels(0)) }], outputs: [{ name: OUT, parameters: { binary_data: true } }] }),
  });
  const body = Buffer.from(await fromJson.arrayBuffer());
  const n = Number(fromJson.headers.get('inference-header-content-length'));
  expect(JSON.parse(body.subarray(0, n).toString()).outputs[0].parameters).toEqual({ binary_data_size: 40 });
  expect(Array.from(new Float32Array(body.buffer.slice(body.byteOffset + n, body.byteOffset + n + 40)))).toEqual(scores);
  // binary_data false on the output overrides binary_data_output true.
  const off = await postA(
    '/v2/models/mnist/infer',
    binaryRequest([digit(0)], { parameters: { binary_data_output: true }, outputs: [{ name: OUT, parameters: { binary_data: false } }] }),
  );
  expect(off.headers.get('inference-header-content-length')).toBeNull();
  expect(off.json.outputs[0].data).toEqual(scores);
});

it('classification: the top k classes as "value:index:label", with the version’s labels; in JSON and binary', async () => {
  const input = (i: number) => ({ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(pixels(i)) });
  const plain = await v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: { inputs: [input(0)] } });
  const scores = plain.body.outputs[0].data as number[];
  const order = scores.map((_, c) => c).sort((x, y) => scores[y]! - scores[x]!);
  const top3 = order.slice(0, 3).map((c) => `${scores[c]}:${c}:${DIGITS[c]}`);
  const r = await v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: { inputs: [input(0)], outputs: [{ name: OUT, parameters: { classification: 3 } }] } });
  expect(r.status).toBe(200);
  expect(r.body.outputs).toEqual([{ name: OUT, datatype: 'BYTES', shape: [1, 3], data: top3 }]);
  expect(order[0]).toBe(mnist.label(0)); // image 0 is a 7
  expect(top3[0]).toMatch(/:7:seven$/);
  // More than there are classes: every class, as Triton does.
  const all = await v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: { inputs: [input(0)], outputs: [{ name: OUT, parameters: { classification: 50 } }] } });
  expect(all.body.outputs[0].shape).toEqual([1, 10]);
  // In binary: BYTES elements, 4-byte length-prefixed.
  const bin = await postA('/v2/models/mnist/infer', binaryRequest([digit(0)], { outputs: [{ name: OUT, parameters: { classification: 3, binary_data: true } }] }));
  expect(bin.json.outputs).toEqual([{ name: OUT, datatype: 'BYTES', shape: [1, 3], parameters: { binary_data_size: top3.reduce((n, s) => n + 4 + s.length, 0) } }]);
  expect(bin.tensors[OUT]).toEqual(top3);
});

it('the Titanic pipeline in binary: INT64, BYTES and FP32 inputs, INT64 and FP32 outputs in binary', async () => {
  const rows = [
    { pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' },
    { pclass: 3, sex: 'male', age: 25, fare: 7.9, embarked: 'S' },
  ];
  const tensors = titanicTensors(rows) as BinaryTensor[];
  const json = await v2(a.url, '/v2/models/titanic/infer', { token: a.token, body: { inputs: tensors } });
  // Three inputs in binary, two in JSON (mixed, as the extension allows).
  const r = await postA(
    '/v2/models/titanic/infer',
    binaryRequest(
      tensors.filter((t) => t.name !== 'age' && t.name !== 'fare'),
      { json: tensors.filter((t) => t.name === 'age' || t.name === 'fare'), parameters: { binary_data_output: true } },
    ),
  );
  expect(r.status).toBe(200);
  expect(r.tensors.label).toEqual([1, 0]);
  expect(r.tensors.probabilities).toEqual(json.body.outputs[1].data);
  const p = r.tensors.probabilities as number[];
  expect(p[1]).toBeCloseTo(0.886, 3);
  expect(p[3]).toBeCloseTo(0.09, 3);
});

describe('FP16 outputs in binary (IEEE 754 half, rounded to nearest even)', () => {
  /** ONNX TensorProto.DataType FLOAT16. */
  const ONNX_FLOAT16 = 10;

  it('an FP16 output of a model goes out as half floats, bit for bit', async () => {
    const identity = graphModel(
      [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
      [{ name: 'x', elemType: ONNX_FLOAT16, dims: [5] }],
      [{ name: 'y', elemType: ONNX_FLOAT16, dims: [5] }],
    );
    expect((await uploadModel(a, 'half', 'half.onnx', identity)).errors).toBeUndefined();
    const data = [1, 65504, -2, 2 ** -24, 0.0999755859375]; // halves 0x3C00, 0x7BFF, 0xC000, 0x0001, 0x2E66
    const body = JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP16', shape: [5], data }], outputs: [{ name: 'y', parameters: { binary_data: true } }] });
    const res = await fetch(a.url.replace(/\/graphql$/, '/v2/models/half/infer'), {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      body,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const n = Number(res.headers.get('inference-header-content-length'));
    expect(res.status).toBe(200);
    expect(JSON.parse(bytes.subarray(0, n).toString()).outputs).toEqual([{ name: 'y', datatype: 'FP16', shape: [5], parameters: { binary_data_size: 10 } }]);
    expect(bytes.subarray(n).toString('hex')).toBe('003cff7b00c00100662e');
    // The same answer in JSON: the same values as numbers.
    const json = await v2(a.url, '/v2/models/half/infer', { token: a.token, body: { inputs: [{ name: 'x', datatype: 'FP16', shape: [5], data }] } });
    expect(json.body.outputs[0]).toEqual({ name: 'y', datatype: 'FP16', shape: [5], data });
  });

  it('a client asks a float output as FP16 (parameters.datatype): half the bytes, each value the nearest half', async () => {
    const inputs = [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(pixels(3)) }];
    const json = await v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: { inputs } });
    const scores = json.body.outputs[0].data as number[];
    const half = await postA('/v2/models/mnist/infer', binaryRequest([digit(3)], { outputs: [{ name: OUT, parameters: { binary_data: true, datatype: 'FP16' } }] }));
    expect(half.status).toBe(200);
    expect(half.json.outputs).toEqual([{ name: OUT, datatype: 'FP16', shape: [1, 10], parameters: { binary_data_size: 20 } }]);
    const halves = half.tensors[OUT] as number[];
    expect(halves.map((h, i) => Math.abs(h - scores[i]!) <= Math.abs(scores[i]!) * 2 ** -11)).toEqual(Array(10).fill(true)); // within half a unit of the last place
    expect(halves.indexOf(Math.max(...halves))).toBe(scores.indexOf(Math.max(...scores)));
  });

  it('refuses datatype other than FP16, FP16 on a JSON output, and FP16 of an integer output, naming the parameter', async () => {
    const refused = async (model: string, inputs: object[], output: object, message: string) => {
      const r = await v2(a.url, `/v2/models/${model}/infer`, { token: a.token, body: { inputs, outputs: [output] } });
      expect([r.status, r.body.code, r.body.details?.field, r.body.error]).toEqual([400, 'BAD_USER_INPUT', 'outputs[0].parameters.datatype', message]);
    };
    const digitInputs = [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(pixels(0)) }];
    await refused(
      'mnist',
      digitInputs,
      { name: OUT, parameters: { binary_data: true, datatype: 'FP8' } },
      "outputs[0].parameters.datatype must be 'FP16' (the one conversion offered: a float output sent as half floats), got 'FP8' (string)",
    );
    await refused(
      'mnist',
      digitInputs,
      { name: OUT, parameters: { datatype: 'FP16' } },
      'outputs[0].parameters.datatype \'FP16\' applies to a binary output: add "binary_data": true to outputs[0].parameters (JSON carries no FP16 form)',
    );
    await refused(
      'titanic',
      titanicTensors([{ pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' }]),
      { name: 'label', parameters: { binary_data: true, datatype: 'FP16' } },
      "outputs[0].parameters.datatype: output 'label' is INT64; FP16 is offered for float outputs (FP32, FP64)",
    );
  });
});

it('refuses malformed binary bodies with 400 BAD_USER_INPUT naming the problem', async () => {
  const good = binaryRequest([digit(0)]);
  const refused = async (req: { body: Buffer; headerLength: number | string }, message: string | RegExp) => {
    const r = await postA('/v2/models/mnist/infer', req);
    expect([r.status, r.json.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(r.json.error).toMatch(message);
    return r.json;
  };
  // Truncated: the last 100 bytes of the pixels missing.
  const cut = await refused(
    { body: good.body.subarray(0, good.body.length - 100), headerLength: good.headerLength },
    'inputs[0].parameters.binary_data_size is 3136 bytes, but the body holds only 3036 more after the JSON header: the body is truncated',
  );
  expect(cut.details.field).toBe('inputs[0].parameters.binary_data_size');
  // Bytes left over after the declared inputs.
  await refused({ body: Buffer.concat([good.body, Buffer.alloc(8)]), headerLength: good.headerLength }, 'The body holds 8 bytes after the inputs');
  // A size that does not fit the shape × the element width (FP32: 4 bytes each).
  const short = binaryRequest([{ ...digit(0), data: pixels(0).subarray(0, 700) }]);
  await refused(short, "inputs[0].parameters.binary_data_size is 2800 bytes, but tensor 'Input3' of shape [1,1,28,28] FP32 holds 784 elements × 4 bytes = 3136");
  // The header says more JSON than the body holds; not a number; the JSON part not JSON.
  await refused({ body: good.body, headerLength: good.body.length + 1 }, /^The header Inference-Header-Content-Length says 3\d+ bytes of JSON, but the body holds only/);
  await refused({ body: good.body, headerLength: 'twelve' }, "The header Inference-Header-Content-Length must be the byte length of the JSON part, got 'twelve'");
  await refused({ body: good.body, headerLength: good.headerLength - 1 }, /^The request's JSON header \(the first \d+ bytes, Inference-Header-Content-Length\) is not valid JSON/);
  // data and binary_data_size both; binary_data_size that is no byte count.
  const both = JSON.parse(good.body.subarray(0, good.headerLength).toString());
  both.inputs[0].data = Array.from(pixels(0));
  const bothHeader = Buffer.from(JSON.stringify(both));
  await refused(
    { body: Buffer.concat([bothHeader, good.body.subarray(good.headerLength)]), headerLength: bothHeader.length },
    "inputs[0] (tensor 'Input3') has both data and parameters.binary_data_size: send one",
  );
  const negative = Buffer.from(JSON.stringify({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], parameters: { binary_data_size: -4 } }] }));
  await refused({ body: negative, headerLength: negative.length }, "inputs[0].parameters.binary_data_size must be a byte count (a non-negative integer), got '-4' (number)");
  // Larger than MAX_REQUEST_BYTES: 413, as the JSON route.
  const big = binaryRequest([{ ...digit(0), shape: [100, 1, 28, 28], data: new Float32Array(78_400) }]);
  const r = await postA('/v2/models/mnist/infer', big);
  expect([r.status, r.json.code, r.json.error]).toEqual([413, 'BAD_USER_INPUT', `The request body is larger than the limit of ${MAX_BYTES} bytes (MAX_REQUEST_BYTES)`]);
});

it('known parameters of the wrong type: 400 naming the parameter; unknown ones are accepted and ignored', async () => {
  const body = (extra: object) => ({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: Array.from(pixels(0)) }], ...extra });
  const refused = async (extra: object, field: string, message: string) => {
    const r = await v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: body(extra) });
    expect([r.status, r.body.code, r.body.details?.field, r.body.error]).toEqual([400, 'BAD_USER_INPUT', field, message]);
  };
  await refused({ parameters: { binary_data_output: 'yes' } }, 'parameters.binary_data_output', "parameters.binary_data_output must be true or false, got 'yes' (string)");
  await refused(
    { outputs: [{ name: OUT, parameters: { binary_data: 1 } }] },
    'outputs[0].parameters.binary_data',
    "outputs[0].parameters.binary_data must be true or false, got '1' (number)",
  );
  await refused(
    { outputs: [{ name: OUT, parameters: { classification: '3' } }] },
    'outputs[0].parameters.classification',
    "outputs[0].parameters.classification must be the number of classes to return (an integer ≥ 1), got '3' (string)",
  );
  await refused(
    { outputs: [{ name: OUT, parameters: { classification: 0 } }] },
    'outputs[0].parameters.classification',
    "outputs[0].parameters.classification must be the number of classes to return (an integer ≥ 1), got '0' (number)",
  );
  const sized = body({});
  (sized.inputs[0] as Record<string, unknown>).parameters = { binary_data_size: 3136 };
  const r = await v2(a.url, '/v2/models/mnist/infer', { token: a.token, body: sized });
  expect([r.status, r.body.details?.field]).toEqual([400, 'inputs[0].parameters.binary_data_size']);
  expect(r.body.error).toMatch(/^inputs\[0\]\.parameters\.binary_data_size is only read in a binary request/);
  // A BYTES output has no scores to rank.
  const titanic = await v2(a.url, '/v2/models/titanic/infer', {
    token: a.token,
    body: { inputs: titanicTensors([{ pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' }]), outputs: [{ name: 'label', parameters: { classification: 1 } }] },
  });
  expect(titanic.status).toBe(200); // INT64 labels are numbers: ranked like scores
  const unknown = await v2(a.url, '/v2/models/mnist/infer', {
    token: a.token,
    body: body({ parameters: { priority: 1, sequence_id: 'x', custom: true }, outputs: [{ name: OUT, parameters: { foo: 'bar' } }] }),
  });
  expect(unknown.status).toBe(200);
  expect(unknown.body.outputs[0].shape).toEqual([1, 10]);
});

it('per-tenant security on the binary route: another tenant 404 as for no model, no PREDICT 403, no key 401', async () => {
  const req = binaryRequest([digit(0)]);
  const other = await postBinary(b.url, '/v2/models/mnist/infer', req, b.token);
  const none = await postBinary(b.url, '/v2/models/no-such-model/infer', req, b.token);
  expect([other.status, other.json]).toEqual([404, { error: "Model 'mnist' not found", code: 'NOT_FOUND' }]);
  expect(JSON.stringify(other.json).replace("'mnist'", "'no-such-model'")).toBe(JSON.stringify(none.json));
  // Even a malformed binary body of another tenant's model answers 404: the model is resolved first.
  const truncated = await postBinary(b.url, '/v2/models/mnist/versions/1/infer', { body: req.body.subarray(0, req.body.length - 10), headerLength: req.headerLength }, b.token);
  expect([truncated.status, truncated.json.code]).toEqual([404, 'NOT_FOUND']);
  const readOnly = (await gqlOk(a, 'mutation { createApiKey(input: { name: "no-predict-bin", scopes: [MODELS_READ] }) { key } }')).createApiKey.key as string;
  const scoped = await postBinary(a.url, '/v2/models/mnist/infer', req, readOnly);
  expect([scoped.status, scoped.json.code]).toEqual([403, 'FORBIDDEN']);
  const predictOnly = (await gqlOk(a, 'mutation { createApiKey(input: { name: "predict-bin", scopes: [PREDICT] }) { key } }')).createApiKey.key as string;
  expect((await postBinary(a.url, '/v2/models/mnist/infer', req, predictOnly)).status).toBe(200);
  const anonymous = await postBinary(a.url, '/v2/models/mnist/infer', req);
  expect([anonymous.status, anonymous.json.code, anonymous.headers.get('www-authenticate')]).toEqual([401, 'UNAUTHENTICATED', 'Bearer']);
});
