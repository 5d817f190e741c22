/**
 * Uploaded ONNX models built to hurt (review findings): outputs too large to answer, image inputs too
 * large to resize, graphs that can never be served. Tiny models written by hand (support/onnx-proto.ts);
 * INFER_MAX_OUTPUT_VALUES lowered to 1,000 so no test moves megabytes.
 */
import type { App } from '../src/app';
import { gql, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { graphModel, ONNX_INT64 } from './support/onnx-proto';
import { uploadModel } from './support/onnx-uploads';
import { v2 } from './support/v2';

let app: App;
let a: TenantBundle;

const errorOf = (r: GqlResult) => ({ code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message ?? '' });
const INFER = `query($model: String!, $inputs: [InferTensorInput!]!) { infer(model: $model, inputs: $inputs) { outputs { name shape } } }`;

/** Uploads `bytes` as version 1 of `model`; throws on errors. */
async function uploadOk(model: string, bytes: Buffer, metadata?: object): Promise<void> {
  const r = await uploadModel(a, model, `${model}.onnx`, bytes, metadata);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
}

beforeAll(async () => {
  app = await startTestApp({ WORKER_ENABLED: 'false', INFER_MAX_OUTPUT_VALUES: '1000' });
  a = await createTenant(app, 'onnx-hostile');
}, 60_000);
afterAll(() => app.stop());

describe('outputs larger than INFER_MAX_OUTPUT_VALUES', () => {
  // ConstantOfShape(n): a [n] output of zeros from a one-value input.
  const fill = graphModel([{ op: 'ConstantOfShape', inputs: ['n'], outputs: ['y'] }], [{ name: 'n', elemType: ONNX_INT64, dims: [1] }], [{ name: 'y', dims: ['d'] }]);
  const ask = (n: number) => [{ name: 'n', datatype: 'INT64', shape: [1], data: [n] }];

  beforeAll(() => uploadOk('fill', fill));

  it('answers up to the bound over both transports', async () => {
    const g = await gql(a, INFER, { model: 'fill', inputs: ask(1000) });
    expect(g.errors).toBeUndefined();
    expect(g.data!.infer.outputs).toEqual([{ name: 'y', shape: [1000] }]);
    const r = await v2(a.url, '/v2/models/fill/infer', { token: a.token, body: { inputs: ask(1000) } });
    expect(r.status).toBe(200);
  });

  it('refuses past it (after scoring: the size is dynamic) with BAD_USER_INPUT naming the output and its size, the same over GraphQL and V2', async () => {
    const g = await gql(a, INFER, { model: 'fill', inputs: ask(1001) });
    expect(errorOf(g).code).toBe('BAD_USER_INPUT');
    expect(errorOf(g).message).toBe(
      "The model's outputs hold 1001 values (output 'y' has shape [1001]); INFER_MAX_OUTPUT_VALUES allows at most 1000 per call: send fewer rows (images) or name fewer `outputs`",
    );
    const r = await v2(a.url, '/v2/models/fill/infer', { token: a.token, body: { inputs: ask(1001) } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      code: 'BAD_USER_INPUT',
      error: errorOf(g).message,
      details: { field: 'outputs', reason: 'OUTPUT_TOO_LARGE', output: 'y', values: 1001, limit: 1000, estimated: false },
    });
  });
});

describe('image metadata on a huge input', () => {
  const identity = (dims: number[]) => graphModel([{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], [{ name: 'x', dims }], [{ name: 'y', dims }]);

  it('refuses image preprocessing of more than MAX_IMAGE_PIXELS pixels, naming metadata.image and the size', async () => {
    const r = await uploadModel(a, 'bigimg', 'bigimg.onnx', identity([1, 1, 8000, 8000]), { image: {} });
    expect(errorOf(r).code).toBe('BAD_USER_INPUT');
    expect(errorOf(r).message).toBe(
      "metadata.image.input 'x' takes 8000 × 8000 = 64000000 pixels per image; image preprocessing serves at most 262144 (MAX_IMAGE_PIXELS): send tensors (infer)",
    );
    expect(r.errors![0]!.extensions!.field).toBe('metadata.image.input');
  });

  it('accepts the same model without image metadata, and a 512 × 512 image input', async () => {
    expect((await uploadModel(a, 'bigimg', 'bigimg.onnx', identity([1, 1, 8000, 8000]))).errors).toBeUndefined();
    expect((await uploadModel(a, 'img512', 'img512.onnx', identity([1, 3, 512, 512]), { image: {} })).errors).toBeUndefined();
  });
});

describe('models that can never be served are refused at upload (INVALID_MODEL with a reason)', () => {
  const refusal = async (model: string, bytes: Buffer) => {
    const r = await uploadModel(a, model, `${model}.onnx`, bytes);
    return { code: errorOf(r).code, reason: r.errors?.[0]?.extensions?.reason, message: errorOf(r).message };
  };
  const identity = (name: string, dims: number[]) => graphModel([{ op: 'Identity', inputs: [name], outputs: ['y'] }], [{ name, dims }], [{ name: 'y', dims }]);

  it('no input', async () => {
    const noInput = graphModel([{ op: 'Constant', inputs: [], outputs: ['y'], floats: { value_float: 1 } }], [], [{ name: 'y', dims: [] }]);
    expect(await refusal('noinput', noInput)).toEqual({
      code: 'INVALID_MODEL',
      reason: 'NO_INPUT',
      message: "File 'noinput.onnx' declares no input: a model that takes no tensors cannot be served (bake constants into a model that takes one)",
    });
  });

  it('no output, without onnxruntime source paths in the message', async () => {
    expect(await refusal('nooutput', graphModel([], [{ name: 'x', dims: [1] }], []))).toEqual({
      code: 'INVALID_MODEL',
      reason: 'NO_OUTPUT',
      message: "File 'nooutput.onnx' declares no output: a model must compute at least one tensor",
    });
  });

  it('more inputs than a call can send', async () => {
    const names = Array.from({ length: 257 }, (_, i) => `x${i}`);
    const many = graphModel(
      names.map((n, i) => ({ op: 'Identity', inputs: [n], outputs: [`y${i}`] })),
      names.map((name) => ({ name, dims: [1] })),
      names.map((_, i) => ({ name: `y${i}`, dims: [1] })),
    );
    expect(await refusal('many', many)).toEqual({ code: 'INVALID_MODEL', reason: 'TOO_MANY_INPUTS', message: "File 'many.onnx' declares 257 inputs; a call can send at most 256" });
  });

  it('more outputs than are served, or an output name too long to answer (review 4: 2,000 names of 10,000 characters made each V2 answer 20 MB)', async () => {
    const fan = (outputs: string[]) =>
      graphModel(
        outputs.map((name) => ({ op: 'Identity', inputs: ['x'], outputs: [name] })),
        [{ name: 'x', dims: [1] }],
        outputs.map((name) => ({ name, dims: [1] })),
      );
    expect(await refusal('fan', fan(Array.from({ length: 257 }, (_, i) => `y${i}`)))).toEqual({
      code: 'INVALID_MODEL',
      reason: 'TOO_MANY_OUTPUTS',
      message: "File 'fan.onnx' declares 257 outputs; at most 256 are served",
    });
    expect(await refusal('longout', fan(['y'.repeat(257)]))).toEqual({
      code: 'INVALID_MODEL',
      reason: 'UNSUPPORTED_OUTPUT',
      message: `File 'longout.onnx': output "${'y'.repeat(100)}" (257 characters) has a name no answer can carry: names are 1 to 256 printable characters`,
    });
    // 256 outputs of 256-character names are served.
    await uploadOk('widest', fan(Array.from({ length: 256 }, (_, i) => `${i}`.padStart(256, 'y'))));
    const meta = await v2(a.url, '/v2/models/widest', { token: a.apiKey });
    expect(meta.status).toBe(200);
    expect((meta.body as { outputs: unknown[] }).outputs).toHaveLength(256);
  });

  it('an input name with a NUL character or a control character', async () => {
    expect(await refusal('nul', identity('../x\u0000', [1]))).toEqual({
      code: 'INVALID_MODEL',
      reason: 'UNSUPPORTED_INPUT',
      message: `File 'nul.onnx': input "../x" has a name no call can send: it holds a NUL character`,
    });
    expect(await refusal('bidi', identity('x\u202e', [1]))).toMatchObject({ code: 'INVALID_MODEL', reason: 'UNSUPPORTED_INPUT' });
  });

  it('a declared dimension over 2^31 − 1', async () => {
    expect(await refusal('hugein', identity('x', [1e12]))).toEqual({
      code: 'INVALID_MODEL',
      reason: 'UNSUPPORTED_INPUT',
      message: `File 'hugein.onnx': input "x" declares a dimension of 1000000000000; at most 2147483647`,
    });
  });

  it('still accepts plain names with path-like characters and fixed sizes', async () => {
    expect((await uploadModel(a, 'plain', 'plain.onnx', identity('input/0:x', [1, 4]))).errors).toBeUndefined();
  });
});

it('a V2 path that is not valid percent-encoding answers in the protocol shape', async () => {
  const r = await v2(a.url, '/v2/models/%E0%A4%A', { token: a.token });
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ code: 'BAD_USER_INPUT', error: expect.stringContaining('The request path could not be read') });
});
