/**
 * The size of an `infer` answer is bounded (issues 10 and 12): super-resolution-10 answers
 * [batch, 1, 672, 672] floats, 451,584 values (~9 MB of JSON) per image, and serialising tens of MB
 * held every other tenant's requests for seconds. With INFER_MAX_OUTPUT_VALUES at its default
 * (524,288) one image is answered and two are refused before the model runs (the declared output
 * shape × the batch), over GraphQL and V2 REST alike; the tenant's own `inferMaxOutputValues`
 * (setTenantLimits) lifts the bound for that tenant only.
 */
import type { App } from '../src/app';
import { collect, gql, gqlOk, wsClient, type Caller, type GqlResult } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { uploadModel, uploadModelOk } from './support/onnx-uploads';
import { graphModel, ONNX_INT64 } from './support/onnx-proto';
import { ADMIN_SECRET } from './support/secrets';
import { v2 } from './support/v2';

const INFER = `query($model: String!, $inputs: [InferTensorInput!]!) { infer(model: $model, inputs: $inputs) { outputs { name datatype shape data } } }`;
const SET_LIMITS = `mutation($t: ID!, $l: TenantLimitsInput!) { setTenantLimits(tenantId: $t, limits: $l) { inferMaxOutputValues defaults } }`;
const PIXELS = 224 * 224;

let app: App;
let a: TenantBundle;
let b: TenantBundle;

/** `n` grey 224 × 224 images as super-resolution's input tensor [n, 1, 224, 224]. */
const images = (n: number) => [{ name: 'input', datatype: 'FP32', shape: [n, 1, 224, 224], data: Array.from({ length: n * PIXELS }, (_, i) => (i % 224) / 224) }];
const inferGql = (t: Caller, n: number) => gql(t, INFER, { model: 'superres', inputs: images(n) });
const inferRest = (t: TenantBundle, n: number) => v2(t.url, '/v2/models/superres/infer', { token: t.token, body: { inputs: images(n) } });
const errorOf = (r: GqlResult) => r.errors?.[0];

/** The refusal of `n` images for `t`, the same over GraphQL and V2 REST: its message and details. */
async function refused(t: TenantBundle, n: number): Promise<{ message: string; extensions: Record<string, unknown> }> {
  const g = await inferGql(t, n);
  expect(g.data?.infer ?? null).toBeNull();
  const { message, extensions } = errorOf(g)!;
  expect(extensions!.code).toBe('BAD_USER_INPUT');
  const r = await inferRest(t, n);
  expect(r.status).toBe(400);
  const { code, ...details } = extensions!;
  expect(r.body).toEqual({ code, error: message, details });
  return { message, extensions: extensions! };
}

beforeAll(async () => {
  app = await startTestApp();
  a = await createTenant(app, 'outputs-a');
  b = await createTenant(app, 'outputs-b');
  await uploadModelOk(a, 'superres', 'super-resolution-10.onnx');
  await uploadModelOk(b, 'superres', 'super-resolution-10.onnx');
}, 120_000);
afterAll(() => app.stop());

it('answers one super-resolution image, [1, 1, 672, 672], over GraphQL and V2 REST', async () => {
  const g = await inferGql(a, 1);
  expect(g.errors).toBeUndefined();
  const [out] = g.data!.infer.outputs;
  expect([out.name, out.datatype, out.shape, out.data.length]).toEqual(['output', 'FP32', [1, 1, 672, 672], 451_584]);
  const r = await inferRest(a, 1);
  expect(r.status).toBe(200);
  expect(r.body.outputs).toEqual(g.data!.infer.outputs);
}, 60_000);

it('refuses two images before scoring with BAD_USER_INPUT naming INFER_MAX_OUTPUT_VALUES, reason OUTPUT_TOO_LARGE, the estimate and the limit', async () => {
  const { message, extensions } = await refused(a, 2);
  expect(message).toBe(
    "The model's outputs would hold 903168 values (output 'output' has shape [2, 1, 672, 672]); INFER_MAX_OUTPUT_VALUES allows at most 524288 per call: send fewer rows (images) or name fewer `outputs`",
  );
  // estimated: refused from the declared shape × the batch, before the model ran.
  expect(extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'outputs', reason: 'OUTPUT_TOO_LARGE', output: 'output', values: 903_168, limit: 524_288, estimated: true });
}, 60_000);

it("a tenant's own inferMaxOutputValues lets two images through for it alone, and names itself past it", async () => {
  const admin = { url: app.server.url, headers: { 'x-admin-secret': ADMIN_SECRET } };
  const set = (await gqlOk(admin, SET_LIMITS, { t: b.tenantId, l: { inferMaxOutputValues: 1_000_000 } })).setTenantLimits;
  expect(set.inferMaxOutputValues).toBe(1_000_000);
  expect(set.defaults).not.toContain('inferMaxOutputValues');

  const g = await inferGql(b, 2);
  expect(g.errors).toBeUndefined();
  expect(g.data!.infer.outputs.map((o: { shape: number[]; data: unknown[] }) => [o.shape, o.data.length])).toEqual([[[2, 1, 672, 672], 903_168]]);
  const r = await inferRest(b, 2);
  expect(r.status).toBe(200);
  expect(r.body.outputs[0].shape).toEqual([2, 1, 672, 672]);
  expect(r.body.outputs[0].data).toHaveLength(903_168);

  expect((await refused(b, 3)).message).toBe(
    "The model's outputs would hold 1354752 values (output 'output' has shape [3, 1, 672, 672]); this tenant's limit (inferMaxOutputValues) allows at most 1000000 per call: send fewer rows (images) or name fewer `outputs`",
  );
  // Tenant A keeps the global bound.
  expect((await refused(a, 2)).extensions.limit).toBe(524_288);
}, 120_000);

it('counts an output found too large only after the host computed it (a dynamic shape) toward the tenant’s host back-off', async () => {
  // y = ConstantOfShape(n): the caller picks the output's size, which the declared shape ['d'] cannot bound in advance.
  const c = await createTenant(app, 'outputs-c');
  const bigOut = graphModel([{ op: 'ConstantOfShape', inputs: ['n'], outputs: ['y'] }], [{ name: 'n', elemType: ONNX_INT64, dims: [1] }], [{ name: 'y', dims: ['d'] }]);
  expect(errorOf(await uploadModel(c, 'bigout', 'bigout.onnx', bigOut))).toBeUndefined();
  const call = (n: number) => gql(c, INFER, { model: 'bigout', inputs: [{ name: 'n', datatype: 'INT64', shape: [1], data: [n] }] });
  expect((await gqlOk(c, INFER, { model: 'bigout', inputs: [{ name: 'n', datatype: 'INT64', shape: [1], data: [3] }] })).infer.outputs[0].data).toEqual([0, 0, 0]);
  for (let i = 0; i < 3; i++) {
    expect(errorOf(await call(1_000_000))!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUTPUT_TOO_LARGE', values: 1_000_000, estimated: false });
  }
  // SERVING_TENANT_MAX_FAULTS (3) reached: C's ONNX calls are refused at once, even a small one; A's are not.
  expect(errorOf(await call(3))!.extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', reason: 'HOST_FAULT_BACKOFF', limit: 3 });
  expect((await inferGql(a, 1)).errors).toBeUndefined();
}, 120_000);

it('refuses over the websocket an answer past WEBSOCKET_MAX_OUTPUT_VALUES before the model runs, naming HTTP; the socket goes on (review F13)', async () => {
  const client = wsClient(app.server.wsUrl, a.token);
  try {
    const [r] = await collect(client, INFER, { model: 'superres', inputs: images(1) }).done;
    expect(r!.errors![0]!.message).toBe(
      "The model's outputs would hold 451584 values (output 'output' has shape [1, 1, 672, 672]); an answer over the websocket allows at most 65536 per call: send it over HTTP (POST /graphql or the V2 route), or fewer rows (images) or `outputs`",
    );
    expect(r!.errors![0]!.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'outputs',
      reason: 'OUTPUT_TOO_LARGE',
      output: 'output',
      values: 451_584,
      limit: 65_536,
      estimated: true,
    });
    const [ok] = await collect(client, '{ viewer { tenantName } }', {}).done;
    expect(ok!.data).toEqual({ viewer: { tenantName: a.name } });
  } finally {
    await client.dispose();
  }
});
