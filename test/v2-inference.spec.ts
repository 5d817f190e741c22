/**
 * The Open Inference Protocol (KServe V2) over REST and GraphQL `infer`, for the platform's own
 * models (a Pima network, a decision tree, a regression tree): health, server and model metadata,
 * readiness and inference as the protocol's REST spec describes them, values equal to GraphQL
 * `predict` for the same rows, and every refusal with its HTTP status, `code` and a message naming
 * the field and the value.
 * (No V2 client library installs from npm: the registry lists none for KServe, Triton or the
 * Open Inference Protocol, so the calls are plain fetch, checked against the spec's shapes.)
 */
import zlib from 'node:zlib';
import type { App } from '../src/app';
import { codeOf, gql, gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { KERAS_SPEC, SLOW_NETWORK, PIMA_COLUMNS, PIMA_CSV, PIMA_ROWS } from './support/data';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PREDICT } from './support/predict';
import { startRun, trainVersion, waitForRun } from './support/training';
import { matrixTensor, v2 } from './support/v2';
import { binaryRequest, postBinary, type BinaryTensor } from './support/v2-binary';

let app: App;
let t: TenantBundle;
let datasetId: string;
const FEATURES = PIMA_COLUMNS.slice(0, 8);
const ROWS = PIMA_ROWS.slice(0, 20);
const MAX_ROWS = 50;
const MAX_BYTES = 200_000;

const call = (path: string, body?: unknown, headers?: Record<string, string>) => v2(t.url, path, { token: t.token, body, headers });
const predictRows = async (model: string, rows: Record<string, unknown>[]) => (await gqlOk(t, PREDICT, { model, rows })).predict.predictions;

beforeAll(async () => {
  app = await startTestApp({ MAX_PREDICT_ROWS: String(MAX_ROWS), MAX_REQUEST_BYTES: String(MAX_BYTES) });
  t = await createTenant(app, 'v2');
  datasetId = await uploadCsv(t, PIMA_CSV, 'pima');
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-net', spec: { ...KERAS_SPEC, epochs: 2 } });
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-tree', spec: { model: 'DECISION_TREE', tree: { maxDepth: 4 }, seed: 7 } });
  await trainVersion(t, {
    datasetId,
    targetColumn: 'BMI',
    featureColumns: FEATURES.filter((f) => f !== 'BMI'),
    modelName: 'bmi-tree',
    spec: { model: 'DECISION_TREE', tree: { maxDepth: 3 }, seed: 7 },
  });
  await trainVersion(t, { datasetId, targetColumn: 'Outcome', modelName: 'pima-net', spec: { ...KERAS_SPEC, epochs: 1 } });
  await gqlOk(t, 'mutation { setModelAlias(model: "pima-net", alias: "production", version: 1) { version } }');
});
afterAll(() => app.stop());

describe('health and server metadata (public)', () => {
  it('answers live, ready and the server metadata without a credential', async () => {
    expect(await v2(t.url, '/v2/health/live')).toMatchObject({ status: 200, body: { live: true } });
    expect(await v2(t.url, '/v2/health/ready')).toMatchObject({ status: 200, body: { ready: true } });
    const server = await v2(t.url, '/v2');
    expect(server.status).toBe(200);
    expect(server.body).toEqual({ name: 'maas', version: expect.any(String), extensions: ['binary_tensor_data', 'classification'] });
  });
});

describe('model metadata and readiness', () => {
  it("describes a classifier's inputs (one [rows] tensor per feature, in order) and outputs", async () => {
    const r = await call('/v2/models/pima-net');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      name: 'pima-net',
      versions: ['2', '1'],
      platform: 'tfjs-layers',
      inputs: FEATURES.map((name) => ({ name, datatype: 'FP64', shape: [-1] })),
      outputs: [
        { name: 'predict', datatype: 'BYTES', shape: [-1] },
        { name: 'probabilities', datatype: 'FP64', shape: [-1, 2] },
      ],
    });
    const tree = await call('/v2/models/pima-tree/versions/1');
    expect(tree.status).toBe(200);
    expect(tree.body.outputs).toEqual(r.body.outputs);
    expect((await call('/v2/models/bmi-tree')).body.outputs).toEqual([{ name: 'predict', datatype: 'FP64', shape: [-1] }]);
    expect((await call('/v2/models/bmi-tree')).body.inputs.map((i: { name: string }) => i.name)).toEqual(FEATURES.filter((f) => f !== 'BMI'));
  });

  it('answers the same over GraphQL modelMetadata', async () => {
    const m = (
      await gqlOk(
        t,
        '{ modelMetadata(model: "pima-net", alias: "production") { modelName version versions platform inputs { name datatype shape } outputs { name datatype shape } } }',
      )
    ).modelMetadata;
    const rest = (await call('/v2/models/pima-net/versions/production')).body;
    expect(m).toEqual({ modelName: 'pima-net', version: 1, versions: rest.versions, platform: rest.platform, inputs: rest.inputs, outputs: rest.outputs });
  });

  it("weighs a loaded TF.js network by its weight tensors' bytes (measured), a tree by its stored artifact", async () => {
    const net = (await gqlOk(t, '{ modelMetadata(model: "pima-net") { loadedBytes measuredBytes } }')).modelMetadata;
    // KERAS_SPEC: Dense 8→10 and 10→1, (8·10 + 10 + 10·1 + 1) = 101 float32 weights.
    expect(net.measuredBytes).toBe(101 * 4);
    expect(net.loadedBytes).toBeGreaterThan(net.measuredBytes);
    const tree = (await gqlOk(t, '{ modelMetadata(model: "pima-tree") { loadedBytes measuredBytes } }')).modelMetadata;
    expect(tree.measuredBytes).toBeNull();
    expect(tree.loadedBytes).toBeGreaterThan(0);
  });

  it('says a model is ready, by latest, number and alias', async () => {
    for (const path of ['/v2/models/pima-net/ready', '/v2/models/pima-net/versions/2/ready', '/v2/models/pima-net/versions/production/ready']) {
      expect(await call(path)).toMatchObject({ status: 200, body: { name: 'pima-net', ready: true } });
    }
  });
});

describe('inference equals predict', () => {
  it.each(['pima-net', 'pima-tree'])('%s: one [rows, 8] FP32 tensor gives predict’s labels and probabilities', async (model) => {
    const r = await call(`/v2/models/${model}/infer`, { id: 'req-1', inputs: [matrixTensor(ROWS, FEATURES)] });
    expect(r.status).toBe(200);
    const expected = await predictRows(model, ROWS);
    expect(r.body).toEqual({
      model_name: model,
      model_version: model === 'pima-net' ? '2' : '1',
      id: 'req-1',
      outputs: [
        { name: 'predict', datatype: 'BYTES', shape: [20], data: expected.map((p: { label: string }) => p.label) },
        { name: 'probabilities', datatype: 'FP64', shape: [20, 2], data: expected.flatMap((p: { probabilities: number[] }) => p.probabilities) },
      ],
    });
  });

  it('takes one tensor per feature ([rows] or [rows, 1], any order), nested data, and a chosen output', async () => {
    const inputs = [...FEATURES].reverse().map((f, i) => ({
      name: f,
      datatype: 'FP64',
      shape: i % 2 ? [ROWS.length] : [ROWS.length, 1],
      data: i % 2 ? ROWS.map((r) => r[f]) : ROWS.map((r) => [r[f]]),
    }));
    const r = await call('/v2/models/pima-net/versions/1/infer', { inputs, outputs: [{ name: 'probabilities' }] });
    expect(r.status).toBe(200);
    const v1 = (await gqlOk(t, PREDICT.replace('predict(model: $model', 'predict(model: $model, version: 1'), { model: 'pima-net', rows: ROWS })).predict.predictions;
    expect(r.body.model_version).toBe('1');
    expect(r.body.outputs).toEqual([{ name: 'probabilities', datatype: 'FP64', shape: [20, 2], data: v1.flatMap((p: { probabilities: number[] }) => p.probabilities) }]);
    const nested = await call('/v2/models/pima-net/versions/production/infer', {
      inputs: [{ name: 'x', datatype: 'FP64', shape: [ROWS.length, 8], data: ROWS.map((row) => FEATURES.map((f) => row[f])) }],
    });
    expect(nested.body.outputs[1]).toEqual(r.body.outputs[0]);
  });

  it.each(['pima-net', 'pima-tree'])('%s in binary (FP64 in; BYTES and FP64 out) answers as JSON does; classification names the classes', async (model) => {
    const json = await call(`/v2/models/${model}/infer`, { inputs: [matrixTensor(ROWS, FEATURES)] });
    const tensor = { ...matrixTensor(ROWS, FEATURES), datatype: 'FP64' } as BinaryTensor; // doubles: the JSON numbers exactly
    const bin = await postBinary(t.url, `/v2/models/${model}/infer`, binaryRequest([tensor], { parameters: { binary_data_output: true } }), t.token);
    expect(bin.status).toBe(200);
    expect(bin.json.outputs).toEqual([
      { name: 'predict', datatype: 'BYTES', shape: [20], parameters: { binary_data_size: 20 * 5 } },
      { name: 'probabilities', datatype: 'FP64', shape: [20, 2], parameters: { binary_data_size: 20 * 2 * 8 } },
    ]);
    expect(bin.tensors.predict).toEqual(json.body.outputs[0].data);
    expect(bin.tensors.probabilities).toEqual(json.body.outputs[1].data);
    // Top class of each row by probability, labelled with the target's classes ('0', '1').
    const top = await call(`/v2/models/${model}/infer`, { inputs: [matrixTensor(ROWS, FEATURES)], outputs: [{ name: 'probabilities', parameters: { classification: 1 } }] });
    const probabilities = json.body.outputs[1].data as number[];
    expect(top.body.outputs).toEqual([
      {
        name: 'probabilities',
        datatype: 'BYTES',
        shape: [20, 1],
        data: ROWS.map((_, r) => {
          const c = probabilities[2 * r + 1]! > probabilities[2 * r]! ? 1 : 0;
          return `${probabilities[2 * r + c]}:${c}:${c}`;
        }),
      },
    ]);
    expect(top.body.outputs[0].data.map((s: string) => s.split(':')[2])).toEqual(json.body.outputs[0].data);
    // The labels output holds no scores.
    const labels = await call(`/v2/models/${model}/infer`, { inputs: [matrixTensor(ROWS, FEATURES)], outputs: [{ name: 'predict', parameters: { classification: 1 } }] });
    expect([labels.status, labels.body.details.field, labels.body.error]).toEqual([
      400,
      'outputs[0].parameters.classification',
      "outputs[0].parameters.classification: output 'predict' is BYTES; classification takes an output of numbers (scores)",
    ]);
  });

  it('returns regression values as FP64 predict', async () => {
    const features = FEATURES.filter((f) => f !== 'BMI');
    const r = await call('/v2/models/bmi-tree/infer', { inputs: [matrixTensor(ROWS, features)] });
    const expected = await predictRows(
      'bmi-tree',
      ROWS.map(({ BMI: _bmi, ...rest }) => rest),
    );
    expect(r.body.outputs).toEqual([{ name: 'predict', datatype: 'FP64', shape: [20], data: expected.map((p: { value: number }) => p.value) }]);
  });

  it('answers GraphQL infer like the REST route', async () => {
    const tensor = matrixTensor(ROWS, FEATURES);
    const q = `query($inputs: [InferTensorInput!]!) { infer(model: "pima-tree", inputs: $inputs, outputs: ["predict", "probabilities"], id: "g1") {
      modelName version modelVersionId id outputs { name datatype shape data } } }`;
    const g = (await gqlOk(t, q, { inputs: [tensor] })).infer;
    const rest = (await call('/v2/models/pima-tree/infer', { inputs: [tensor] })).body;
    expect(g).toEqual({ modelName: 'pima-tree', version: 1, modelVersionId: expect.any(String), id: 'g1', outputs: rest.outputs });
  });

  it('accepts a JWT issued for the key, like GraphQL', async () => {
    const jwt = (await gqlOk(t, 'mutation { issueToken { token } }')).issueToken.token;
    const r = await v2(t.url, '/v2/models/pima-tree/infer', { token: jwt, body: { inputs: [matrixTensor(ROWS, FEATURES)] } });
    expect(r.status).toBe(200);
    expect(r.body.outputs).toEqual((await call('/v2/models/pima-tree/infer', { inputs: [matrixTensor(ROWS, FEATURES)] })).body.outputs);
  });

  it('answers a browser (Origin: CORS, through express) exactly like any other caller', async () => {
    const body = { inputs: [matrixTensor(ROWS, FEATURES)] };
    const browser = await call('/v2/models/pima-net/infer', body, { origin: 'http://app.example' });
    expect(browser.status).toBe(200);
    expect(browser.headers.get('access-control-allow-origin')).toBe('*');
    expect(browser.body).toEqual((await call('/v2/models/pima-net/infer', body)).body);
    const bad = { inputs: [{ ...body.inputs[0], shape: [2, 4] }] };
    expect((await call('/v2/models/pima-net/infer', bad, { origin: 'http://app.example' })).body).toEqual((await call('/v2/models/pima-net/infer', bad)).body);
  });

  it('reads a curl body sent without a JSON content type', async () => {
    const r = await v2(t.url, '/v2/models/pima-net/infer', {
      token: t.token,
      body: JSON.stringify({ inputs: [matrixTensor(ROWS.slice(0, 1), FEATURES)] }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(200);
    expect(r.body.outputs[0].shape).toEqual([1]);
  });

  it('reads a body alike on the fast path and through express (a browser Origin): a BOM, gzip, a charset; 415 for what neither reads', async () => {
    const json = JSON.stringify({ inputs: [matrixTensor(ROWS.slice(0, 1), FEATURES)] });
    const base = t.url.replace(/\/graphql$/, '');
    const send = async (body: string | Uint8Array, headers: Record<string, string>, browser: boolean) => {
      const res = await fetch(`${base}/v2/models/pima-net/infer`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json', ...headers, ...(browser ? { origin: 'http://app.example' } : {}) },
        body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
      });
      return [res.status, await res.json()];
    };
    const readable: [string | Uint8Array, Record<string, string>][] = [
      ['\ufeff' + json, {}],
      [zlib.gzipSync(json), { 'content-encoding': 'gzip' }],
      [json, { 'content-type': 'application/json; charset=UTF-8' }],
    ];
    for (const [body, headers] of readable) {
      const [fast, viaExpress] = [await send(body, headers, false), await send(body, headers, true)];
      expect(fast[0]).toBe(200);
      expect(fast).toEqual(viaExpress);
    }
    for (const headers of [{ 'content-type': 'application/json; charset=latin1' }, { 'content-encoding': 'compress' }] as Record<string, string>[]) {
      const [fast, viaExpress] = [await send(json, headers, false), await send(json, headers, true)];
      expect(fast).toEqual(viaExpress);
      expect(fast[0]).toBe(415);
      expect(fast[1]).toEqual({
        error: expect.stringMatching(/^The request body could not be read: unsupported (charset "LATIN1"|content encoding "compress") \(send UTF-8 JSON/),
        code: 'BAD_USER_INPUT',
      });
    }
  });
});

/** `[[[…]]]` as JSON text, `levels` deep (sent as text: JSON.stringify itself recurses). */
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('refusals: status, code and a message naming the field', () => {
  const one = matrixTensor(ROWS.slice(0, 1), FEATURES);
  const cases: [string, string, unknown, number, string, RegExp][] = [
    ['no inputs', 'pima-net', { inputs: [] }, 400, 'BAD_USER_INPUT', /^inputs: /],
    ['an id nested 1,000 deep', 'pima-net', `{"id":${deep(1000)},"inputs":[]}`, 400, 'BAD_USER_INPUT', /^The request body is nested deeper than 64 levels \(limit\)$/],
    [
      'a shape nested 1,000 deep',
      'pima-net',
      `{"inputs":[{"name":"x","datatype":"FP64","shape":${deep(1000)},"data":[1]}]}`,
      400,
      'BAD_USER_INPUT',
      /^The request body is nested deeper than 64 levels \(limit\)$/,
    ],
    [
      'parameters nested 1,000 deep',
      'pima-net',
      `{"inputs":${JSON.stringify([one])},"parameters":{"a":${deep(1000)}}}`,
      400,
      'BAD_USER_INPUT',
      /^The request body is nested deeper than 64 levels \(limit\)$/,
    ],
    ['not an object', 'pima-net', [1, 2], 400, 'BAD_USER_INPUT', /request body must be a JSON object/],
    [
      'an unknown datatype',
      'pima-net',
      { inputs: [{ ...one, datatype: 'FLOAT' }] },
      400,
      'BAD_USER_INPUT',
      /^inputs\[0\]\.datatype: Invalid option: expected one of .*, got 'FLOAT'$/,
    ],
    [
      'a negative dimension',
      'pima-net',
      { inputs: [{ ...one, shape: [1, -8] }] },
      400,
      'BAD_USER_INPUT',
      /^inputs\[0\]\.shape\[1\]: Too small: expected number to be >=0, got '-8'$/,
    ],
    [
      'data of another size than the shape',
      'pima-net',
      { inputs: [{ ...one, shape: [2, 8] }] },
      400,
      'BAD_USER_INPUT',
      /inputs\[0\] \(tensor 'input-0'\) has shape \[2, 8\], which holds 16 elements, but its data has 8/,
    ],
    [
      'a string in an FP32 tensor',
      'pima-net',
      { inputs: [{ ...one, data: [...one.data.slice(0, 7), 'x'] }] },
      400,
      'BAD_USER_INPUT',
      /inputs\[0\]\.data\[7\] \(tensor 'input-0', FP32\) must be a finite number within ±3\.4028234663852886e\+38 \(the range of FP32\), got 'x'/,
    ],
    [
      'an INT8 out of range',
      'pima-net',
      { inputs: [{ ...one, datatype: 'INT8', data: one.data.map(() => 300) }] },
      400,
      'BAD_USER_INPUT',
      /must be an integer in \[-128, 127\], got 300/,
    ],
    [
      'the wrong width',
      'pima-net',
      { inputs: [{ ...one, shape: [2, 4] }] },
      400,
      'BAD_USER_INPUT',
      /has shape \[2, 4\]; the model takes \[rows, 8\], the features in this order: Pregnancies, Glucose/,
    ],
    [
      'an unknown feature',
      'pima-net',
      { inputs: [{ name: 'Glucos', datatype: 'FP64', shape: [1], data: [1] }] },
      400,
      'BAD_USER_INPUT',
      /names 'Glucos', which is no feature of the model \(did you mean 'Glucose'\?\)/,
    ],
    [
      'a missing feature',
      'pima-net',
      { inputs: FEATURES.slice(1).map((f) => ({ name: f, datatype: 'FP64', shape: [1], data: [1] })) },
      400,
      'BAD_USER_INPUT',
      /inputs lacks the feature 'Pregnancies'/,
    ],
    [
      'an unreadable value',
      'pima-net',
      { inputs: FEATURES.map((f) => ({ name: f, datatype: 'BYTES', shape: [2], data: ['1', f === 'BMI' ? 'heavy' : '2'] })) },
      400,
      'BAD_USER_INPUT',
      /^Input tensor 'BMI', row 1: BMI must be a number, got 'heavy'/,
    ],
    [
      'an unknown output',
      'pima-net',
      { inputs: [one], outputs: [{ name: 'probabilites' }] },
      400,
      'BAD_USER_INPUT',
      /outputs\[0\] names 'probabilites', which the model does not serve \(did you mean 'probabilities'\?\)/,
    ],
    [
      'too many rows',
      'pima-net',
      { inputs: [matrixTensor(PIMA_ROWS.slice(0, MAX_ROWS + 1), FEATURES)] },
      400,
      'BAD_USER_INPUT',
      new RegExp(`hold ${MAX_ROWS + 1} rows; at most ${MAX_ROWS} per call`),
    ],
    ['zero rows', 'pima-net', { inputs: [{ ...one, shape: [0, 8], data: [] }] }, 400, 'BAD_USER_INPUT', /hold no rows/],
    ['an unknown model', 'no-such-model', { inputs: [one] }, 404, 'NOT_FOUND', /^Model 'no-such-model' not found$/],
  ];
  it.each(cases)('%s', async (_what, model, body, status, code, message) => {
    const r = await call(`/v2/models/${model}/infer`, body);
    expect([r.status, r.body.code]).toEqual([status, code]);
    expect(r.body.error).toMatch(message);
  });

  it('404s an unknown version or alias; 503s a model whose first run is queued or running, 404 once it ended without a version', async () => {
    const run = await startRun(t, datasetId, 'never-trained', { ...SLOW_NETWORK, epochs: 500 });
    const pending = await call('/v2/models/never-trained/ready');
    expect([pending.status, pending.body]).toEqual([
      503,
      { error: "Model 'never-trained' has no trained version yet: a training run for it is queued or running", code: 'MODEL_NOT_READY' },
    ]);
    await gqlOk(t, 'mutation($id: ID!) { cancelTrainingRun(id: $id) { id } }', { id: run.id });
    expect((await waitForRun(t, run.id)).kind).toBe('FINAL');
    const gone = await call('/v2/models/never-trained/ready');
    expect([gone.status, gone.body]).toEqual([404, { error: "Model 'never-trained' not found", code: 'NOT_FOUND' }]);
    const version = await call('/v2/models/pima-net/versions/9/infer', { inputs: [one] });
    expect([version.status, version.body]).toEqual([404, { error: "Model version 'pima-net@9' not found", code: 'NOT_FOUND' }]);
    const alias = await call('/v2/models/pima-net/versions/staging/ready');
    expect([alias.status, alias.body]).toEqual([404, { error: "Model alias 'pima-net@staging' not found; its aliases are production", code: 'NOT_FOUND' }]);
    expect((await call('/v2/models/nothing-here')).status).toBe(404);
  });

  it('answers an unknown V2 path 404 and a NUL in the model name 400, both in the protocol shape', async () => {
    const unknown = await call('/v2/models/pima-net/explain', { inputs: [one] });
    expect([unknown.status, unknown.body]).toEqual([
      404,
      { error: 'No V2 route POST /v2/models/pima-net/explain; see GET /v2/models/{name}, POST /v2/models/{name}/infer', code: 'NOT_FOUND' },
    ]);
    const nul = await call('/v2/models/a%00b/infer', { inputs: [one] });
    expect([nul.status, nul.body.code]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it('refuses malformed JSON, an oversized body and a binary body whose JSON part is cut', async () => {
    const bad = await call('/v2/models/pima-net/infer', '{"inputs": [');
    expect([bad.status, bad.body.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(bad.body.error).toMatch(/^The request body is not valid JSON/);
    const big = await call('/v2/models/pima-net/infer', { inputs: [{ ...one, data: new Array(MAX_BYTES / 2).fill(1) }] });
    expect([big.status, big.body]).toEqual([413, { error: `The request body is larger than the limit of ${MAX_BYTES} bytes (MAX_REQUEST_BYTES)`, code: 'BAD_USER_INPUT' }]);
    const binary = await call('/v2/models/pima-net/infer', { inputs: [one] }, { 'inference-header-content-length': '10' });
    expect([binary.status, binary.body.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(binary.body.error).toMatch(/^The request's JSON header \(the first 10 bytes, Inference-Header-Content-Length\) is not valid JSON/);
  });

  it('says a body of JSON that is no object must be an object, and echoes a non-finite number as sent (not null)', async () => {
    for (const [body, got] of [
      ['null', "'null'"],
      [' 3', "'3'"],
      ['"x"', "'x'"],
      ['[1]', "'[1]'"],
    ]) {
      const r = await call('/v2/models/pima-net/infer', body);
      expect([r.status, r.body]).toEqual([400, { error: `The request body must be a JSON object { "inputs": [...] }, got ${got}`, code: 'BAD_USER_INPUT' }]);
    }
    const json = (tensor: string) => `{"inputs":[${tensor}]}`;
    const shape = await call('/v2/models/pima-net/infer', json('{"name":"x","datatype":"FP64","shape":[1e400],"data":[1]}'));
    expect([shape.status, shape.body.code, shape.body.error]).toEqual([400, 'BAD_USER_INPUT', expect.stringMatching(/^inputs\[0\]\.shape\[0\]: .*, got 'Infinity'$/)]);
    const params = await call('/v2/models/pima-net/infer', `{"inputs":[${JSON.stringify(one)}],"parameters":{"classification":1e400}}`);
    expect([params.status, params.body.code, params.body.error]).toEqual([400, 'BAD_USER_INPUT', expect.stringMatching(/^parameters\.classification: .*, got 'Infinity'$/)]);
  });

  it('gives GraphQL infer the same codes and messages', async () => {
    const q = 'query($inputs: [InferTensorInput!]!, $model: String!) { infer(model: $model, inputs: $inputs) { version } }';
    const wrong = { ...one, shape: [2, 4] };
    const g = await gql(t, q, { model: 'pima-net', inputs: [wrong] });
    const rest = await call('/v2/models/pima-net/infer', { inputs: [wrong] });
    expect([codeOf(g), g.errors![0].message]).toEqual([rest.body.code, rest.body.error]);
    const missing = await gql(t, q, { model: 'no-such-model', inputs: [one] });
    expect(codeOf(missing)).toBe('NOT_FOUND');
  });
});
