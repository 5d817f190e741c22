/**
 * The V2 routes for the platform's own image models (a small CNN on MNIST images): metadata
 * declares one UINT8 `image` input [-1, 28, 28, 1], and infer on pixel tensors equals GraphQL
 * predictImage on the same pixels; a wrong shape is a 400 naming the tensor.
 */
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { mnistIdx, mnistSubset, uploadImagesOk } from './support/images';
import { trainVersion } from './support/training';
import { v2 } from './support/v2';

let app: App;
let t: TenantBundle;
const COUNT = 3;
const SIZE = 28 * 28;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'v2-image');
  const ds = await uploadImagesOk(t, { format: 'MNIST_IDX', ...mnistSubset(200), name: 'mnist-200' });
  await trainVersion(t, {
    datasetId: ds.id,
    targetColumn: 'label',
    modelName: 'digits',
    spec: { model: 'CONVOLUTIONAL_NETWORK', layers: [{ type: 'FLATTEN' }, { type: 'DENSE', units: 10, activation: 'SOFTMAX' }], epochs: 1 },
  });
});
afterAll(() => app.stop());

it('declares the image input and the classifier outputs', async () => {
  const r = await v2(t.url, '/v2/models/digits', { token: t.token });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({
    inputs: [{ name: 'image', datatype: 'UINT8', shape: [-1, 28, 28, 1] }],
    outputs: [
      { name: 'predict', datatype: 'BYTES', shape: [-1] },
      { name: 'probabilities', datatype: 'FP64', shape: [-1, 10] },
    ],
  });
});

it('answers pixel tensors exactly as predictImage', async () => {
  // IDX: a 16-byte header, then the images' pixels row by row.
  const pixels = Array.from(mnistIdx().images.subarray(16, 16 + COUNT * SIZE));
  const r = await v2(t.url, '/v2/models/digits/infer', { token: t.token, body: { inputs: [{ name: 'image', datatype: 'UINT8', shape: [COUNT, 28, 28, 1], data: pixels }] } });
  expect(r.status).toBe(200);
  const g = await gqlOk(t, 'query($tensor: ImageTensorInput) { predictImage(model: "digits", tensor: $tensor, topK: 1) { predictions { label probabilities } } }', {
    tensor: { shape: [COUNT, 28, 28, 1], values: pixels },
  });
  const expected = g.predictImage.predictions as { label: string; probabilities: number[] }[];
  expect(r.body.outputs).toEqual([
    { name: 'predict', datatype: 'BYTES', shape: [COUNT], data: expected.map((p) => p.label) },
    { name: 'probabilities', datatype: 'FP64', shape: [COUNT, 10], data: expected.flatMap((p) => p.probabilities) },
  ]);
});

it('refuses another image size with 400 naming the tensor', async () => {
  const r = await v2(t.url, '/v2/models/digits/infer', {
    token: t.token,
    body: { inputs: [{ name: 'image', datatype: 'UINT8', shape: [1, 14, 14, 1], data: new Array(196).fill(0) }] },
  });
  expect([r.status, r.body.code]).toEqual([400, 'BAD_USER_INPUT']);
  expect(r.body.error).toMatch(/^inputs\[0\] \(tensor 'image'\): /);
});
