/**
 * Image datasets through the API: uploads in each format (MNIST IDX, a ZIP of class folders with
 * PNG and JPEG files, a pixel CSV) and their profiles, coded errors, the dataset-bytes quota;
 * a convolutional network trained on 600 MNIST images; predictImage (base64 PNG, JPEG, tensor,
 * top-k), explainImage (occlusion grid) and their coded errors.
 */
import type { App } from '../src/app';
import { collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { startTestApp } from './support/app';
import { createTenant, uploadCsv, type TenantBundle } from './support/factories';
import { PIMA_CSV } from './support/data';
import { makeJpeg, makePng, makeZip, mnistPng, mnistSubset, MNIST_CNN_LAYERS, pngDeclaring, uploadImages, uploadImagesOk } from './support/images';
import { startError, trainVersion } from './support/training';

let app: App;
let t: TenantBundle;
let mnistId: string;

/** 1.5 MB: room for 600 MNIST images (0.47 MB stored) and the small archives, not for 2,000 more. */
const QUOTA = 1_500_000;

beforeAll(async () => {
  app = await startTestApp({ QUOTA_DATASET_BYTES: String(QUOTA) });
  t = await createTenant(app, 'images');
});
afterAll(() => app.stop());

const errorOf = (r: { errors?: { message: string; extensions?: { code?: string } }[] }) => ({ code: r.errors?.[0]?.extensions?.code, message: r.errors?.[0]?.message ?? '' });

it('stores MNIST IDX files once as a tensor and profiles them', async () => {
  const ds = await uploadImagesOk(t, { format: 'MNIST_IDX', ...mnistSubset(600), name: 'mnist-600' });
  mnistId = ds.id;
  expect(ds).toMatchObject({ format: 'image', rowCount: 600 });
  expect(ds.imageProfile).toMatchObject({ count: 600, height: 28, width: 28, channels: 1 });
  // 12-byte header + JSON + 600 × 784 pixels + 600 uint16 labels.
  expect(ds.sizeBytes).toBeGreaterThan(600 * 786);
  expect(ds.sizeBytes).toBeLessThan(600 * 786 + 300);
  expect(ds.imageProfile.classes.map((c: { label: string }) => c.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  expect(ds.imageProfile.classes.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBe(600);
  // MNIST's pixel mean is ~33 (0.13 × 255) with std ~79 (0.31 × 255), most pixels background.
  expect(ds.imageProfile.channelMean[0]).toBeGreaterThan(28);
  expect(ds.imageProfile.channelMean[0]).toBeLessThan(38);
  expect(ds.imageProfile.channelStd[0]).toBeGreaterThan(70);
  expect(ds.imageProfile.zeroFraction).toBeGreaterThan(0.7);
});

it('reads a ZIP of class folders with PNG and JPEG files, in colour when any image is', async () => {
  const red = (x: number, y: number, c: number) => (c === 0 ? 200 : 20 + x + y);
  const blue = (x: number, y: number, c: number) => (c === 2 ? 200 : 20 + x);
  const zip = makeZip({
    'shapes/red/a.png': makePng(6, 5, red, 3),
    'shapes/red/b.jpg': makeJpeg(6, 5, red),
    'shapes/blue/a.png': makePng(6, 5, blue, 3),
    'shapes/blue/b.jpeg': makeJpeg(6, 5, blue),
    'shapes/blue/c.png': makePng(6, 5, () => 90), // grayscale, widened to RGB
    'shapes/readme.txt': new TextEncoder().encode('not an image'),
  });
  const ds = await uploadImagesOk(t, { format: 'IMAGE_FOLDER_ZIP', images: zip, name: 'shapes' });
  expect(ds.imageProfile).toMatchObject({
    count: 5,
    height: 5,
    width: 6,
    channels: 3,
    classes: [
      { label: 'blue', count: 3 },
      { label: 'red', count: 2 },
    ],
  });
  expect(ds.imageProfile.channelMean).toHaveLength(3);
  // Red images are ~200 in channel 0; blue ones ~20-30; the gray one 90: mean within the range.
  expect(ds.imageProfile.channelMean[0]).toBeGreaterThan(80);
});

it('reads a real MNIST PNG in an archive as grayscale 28×28', async () => {
  const seven = mnistPng('t10k-00000-label7.png').bytes;
  const two = mnistPng('t10k-00001-label2.png').bytes;
  const ds = await uploadImagesOk(t, { format: 'IMAGE_FOLDER_ZIP', images: makeZip({ '7/a.png': seven, '2/b.png': two }), name: 'digits' });
  expect(ds.imageProfile).toMatchObject({
    count: 2,
    height: 28,
    width: 28,
    channels: 1,
    classes: [
      { label: '2', count: 1 },
      { label: '7', count: 1 },
    ],
  });
});

it('reads a pixel-column CSV with its image shape', async () => {
  const rows = ['label,p0,p1,p2,p3', 'a,0,255,0,255', 'b,255,0,255,0', 'a,10,250,10,250'];
  const ds = await uploadImagesOk(t, { format: 'PIXEL_CSV', images: Buffer.from(rows.join('\n')), imageShape: [2, 2, 1], name: 'tiny' });
  expect(ds.imageProfile).toMatchObject({
    count: 3,
    height: 2,
    width: 2,
    channels: 1,
    classes: [
      { label: 'a', count: 2 },
      { label: 'b', count: 1 },
    ],
  });
});

it.each([
  [
    'images of different sizes',
    { format: 'IMAGE_FOLDER_ZIP', images: makeZip({ 'a/1.png': makePng(4, 4, () => 1), 'b/2.png': makePng(5, 4, () => 1) }) },
    /images 'b\/2\.png' is 5×4 but 'a\/1\.png' is 4×4/,
  ],
  ['a file that is not a ZIP', { format: 'IMAGE_FOLDER_ZIP', images: Buffer.from('hello') }, /images is not a valid ZIP archive/],
  [
    'an undecodable PNG',
    { format: 'IMAGE_FOLDER_ZIP', images: makeZip({ 'a/1.png': makePng(4, 4, () => 1), 'b/2.png': makePng(4, 4, () => 1).subarray(0, 30) }) },
    /^images 'b\/2\.png' is a truncated or corrupt PNG \(30 bytes\)$/,
  ],
  ['one class folder', { format: 'IMAGE_FOLDER_ZIP', images: makeZip({ 'a/1.png': makePng(4, 4, () => 1) }) }, /1 class folder \('a'\)/],
  ['IDX files swapped', { format: 'MNIST_IDX', images: mnistSubset(5).labels, labels: mnistSubset(5).images }, /images has magic number 2049; an IDX image file has 2051/],
  ['IDX without labels', { format: 'MNIST_IDX', images: mnistSubset(5).images }, /labels is required for format MNIST_IDX/],
  [
    'a CSV whose columns do not fit the shape',
    { format: 'PIXEL_CSV', images: Buffer.from('label,p0,p1\na,1,2'), imageShape: [2, 2, 1] },
    /2 pixel columns but imageShape 2×2×1 needs 4/,
  ],
  ['a CSV pixel out of range', { format: 'PIXEL_CSV', images: Buffer.from('label,p0\na,256'), imageShape: [1, 1, 1] }, /line 2, column 'p0' is '256'; pixels are integers 0-255/],
] as const)('refuses %s with BAD_USER_INPUT naming the file or field', async (_what, upload, message) => {
  const r = await uploadImages(t, upload as Parameters<typeof uploadImages>[1]);
  expect(errorOf(r).code).toBe('BAD_USER_INPUT');
  expect(errorOf(r).message).toMatch(message);
});

it('counts the stored tensor against the storage quota (QUOTA_EXCEEDED, nothing stored)', async () => {
  const before = (await gqlOk(t, '{ datasets { id } }')).datasets.length;
  const r = await uploadImages(t, { format: 'MNIST_IDX', ...mnistSubset(2000), name: 'too-big' });
  expect(errorOf(r).code).toBe('QUOTA_EXCEEDED');
  expect(errorOf(r).message).toMatch(/storage quota of 1500000 bytes/);
  expect((await gqlOk(t, '{ datasets { id } }')).datasets).toHaveLength(before);
});

it('refuses a dense NEURAL_NETWORK on images and a CONVOLUTIONAL_NETWORK on a CSV at request time', async () => {
  const dense = await startError(t, {
    datasetId: mnistId,
    targetColumn: 'label',
    modelName: 'wrong',
    spec: { model: 'NEURAL_NETWORK', layers: [{ type: 'DENSE', units: 10, activation: 'SOFTMAX' }], loss: 'SPARSE_CATEGORICAL_CROSSENTROPY' },
  });
  expect(dense).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/NEURAL_NETWORK takes tabular data, not images; use CONVOLUTIONAL_NETWORK/) });
  const csvId = await uploadCsv(t, PIMA_CSV, 'pima');
  const cnn = await startError(t, {
    datasetId: csvId,
    targetColumn: 'Outcome',
    modelName: 'wrong',
    spec: { model: 'CONVOLUTIONAL_NETWORK', layers: [{ type: 'DENSE', units: 2, activation: 'SOFTMAX' }] },
  });
  expect(cnn).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/CONVOLUTIONAL_NETWORK takes image datasets; dataset 'pima' is a CSV/) });
  const target = await startError(t, { datasetId: mnistId, targetColumn: 'digit', modelName: 'wrong', spec: { model: 'CONVOLUTIONAL_NETWORK', layers: MNIST_CNN_LAYERS } });
  expect(target?.message).toMatch(/targetColumn of an image dataset is 'label'/);
});

it('refuses a huge convolutional spec with QUOTA_EXCEEDED before it runs', async () => {
  const r = await startError(t, {
    datasetId: mnistId,
    targetColumn: 'label',
    modelName: 'huge',
    spec: {
      model: 'CONVOLUTIONAL_NETWORK',
      layers: [
        { type: 'CONV2D', filters: 1024, kernelSize: 15, padding: 'SAME' },
        { type: 'CONV2D', filters: 1024, kernelSize: 15, padding: 'SAME' },
        { type: 'FLATTEN' },
        { type: 'DENSE', units: 10, activation: 'SOFTMAX' },
      ],
      epochs: 10,
    },
  });
  expect(r?.code).toBe('QUOTA_EXCEEDED');
  expect(r?.message).toMatch(/CONVOLUTIONAL_NETWORK with \d+ weights/);
});

describe('a CNN trained on 600 MNIST images', () => {
  let version: Record<string, any>;
  const PREDICT_IMAGE = `query($images: [String!], $tensor: ImageTensorInput, $topK: Int!) {
    predictImage(model: "mnist-small", images: $images, tensor: $tensor, topK: $topK) { version classes predictions { label probability top { label probability } probabilities } } }`;

  beforeAll(async () => {
    version = await trainVersion(t, {
      datasetId: mnistId,
      targetColumn: 'label',
      modelName: 'mnist-small',
      spec: {
        model: 'CONVOLUTIONAL_NETWORK',
        layers: MNIST_CNN_LAYERS,
        epochs: 4,
        batchSize: 32,
        optimizer: { name: 'ADAM', learningRate: 0.003 },
        orderedSplit: true,
        testFraction: 0.2,
      },
    });
  });

  it('stores the version with its image normalisation and test metrics', () => {
    expect(version.framework).toBe('tfjs-layers-image');
    expect(version.preprocessing.image).toEqual({ height: 28, width: 28, channels: 1, normalization: 'scale' });
    expect(version.target.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(version.metrics.rows).toEqual({ train: 480, validation: 0, test: 120 });
    // 480 training images: well above chance (0.1), below a full MNIST run.
    expect(version.metrics.accuracy).toBeGreaterThan(0.7);
  });

  it('predicts base64 PNGs (with a data: URL prefix too) with top-k labels', async () => {
    const seven = mnistPng('t10k-00000-label7.png').bytes.toString('base64');
    const two = mnistPng('t10k-00001-label2.png').bytes.toString('base64');
    const r = await gqlOk(t, PREDICT_IMAGE, { images: [seven, `data:image/png;base64,${two}`], topK: 3 });
    const [p7, p2] = r.predictImage.predictions;
    expect([p7.label, p2.label]).toEqual(['7', '2']);
    expect(p7.top).toHaveLength(3);
    expect(p7.top[0]).toEqual({ label: '7', probability: p7.probability });
    expect(p7.top[0].probability).toBeGreaterThanOrEqual(p7.top[1].probability);
    expect(p7.probabilities.reduce((s: number, v: number) => s + v, 0)).toBeCloseTo(1, 4);
  });

  it('gives a tensor of the same pixels the same probabilities, and takes an RGB JPEG as grayscale', async () => {
    const { PNG } = await import('pngjs');
    const png = PNG.sync.read(mnistPng('t10k-00000-label7.png').bytes);
    const values = Array.from({ length: 784 }, (_, i) => png.data[4 * i]!);
    const fromTensor = await gqlOk(t, PREDICT_IMAGE, { tensor: { shape: [1, 28, 28, 1], values }, topK: 1 });
    const fromPng = await gqlOk(t, PREDICT_IMAGE, { images: [mnistPng('t10k-00000-label7.png').bytes.toString('base64')], topK: 1 });
    expect(fromTensor.predictImage.predictions[0].probabilities).toEqual(fromPng.predictImage.predictions[0].probabilities);
    const jpegSeven = makeJpeg(28, 28, (x, y) => values[y * 28 + x]!).toString('base64');
    const fromJpeg = await gqlOk(t, PREDICT_IMAGE, { images: [jpegSeven], topK: 1 });
    expect(fromJpeg.predictImage.predictions[0].label).toBe('7');
  });

  it.each([
    ['text that is not base64', { images: ['not base64!'], topK: 3 }, /images\[0\] is not base64 text/],
    ['base64 that is not an image', { images: [Buffer.from('hello world').toString('base64')], topK: 3 }, /images\[0\] is neither a PNG nor a JPEG image/],
    ['an image of another size', { images: [makePng(10, 12, () => 0).toString('base64')], topK: 3 }, /images\[0\] is 10×12 with 1 channel; the model takes 28×28 with 1/],
    // A file cut short or damaged: named, and the decoders' own messages not passed on.
    ['a truncated PNG', { images: [mnistPng().bytes.subarray(0, 100).toString('base64')], topK: 3 }, /^images\[0\] is a truncated or corrupt PNG \(100 bytes\)$/],
    [
      'a PNG cut inside its header',
      { images: [mnistPng().bytes.subarray(0, 20).toString('base64')], topK: 3 },
      /^images\[0\] is a truncated or corrupt PNG \(20 bytes: no complete header\)$/,
    ],
    [
      'a truncated JPEG',
      {
        images: [
          makeJpeg(28, 28, () => 9)
            .subarray(0, 400)
            .toString('base64'),
        ],
        topK: 3,
      },
      /^images\[1\] is a truncated or corrupt JPEG \(400 bytes\)$/,
      1,
    ],
    ['an empty file', { images: [''], topK: 3 }, /^images\[0\] is not base64 text/],
    [
      'a PNG declaring 100,000 × 100,000 pixels (a decompression bomb)',
      { images: [pngDeclaring(100_000, 100_000).toString('base64')], topK: 3 },
      /^images\[0\] is 100000×100000 with 1 channel; the model takes 28×28 with 1/,
    ],
    ['a tensor of another shape', { tensor: { shape: [1, 28, 28, 3], values: [] }, topK: 3 }, /tensor is 28×28 with 3 channels; the model takes 28×28 with 1/],
    ['a tensor value out of range', { tensor: { shape: [1, 28, 28, 1], values: Array(784).fill(300) }, topK: 3 }, /tensor.values\[0\] is 300; pixel values are 0-255/],
    ['topK past the classes', { images: [mnistPng().bytes.toString('base64')], topK: 11 }, /topK must be an integer in \[1, 10\], got 11/],
    [
      'a tensor shape that is not [images, h, w, c]',
      { tensor: { shape: [-1, 28, 28, 1], values: [] }, topK: 1 },
      /tensor.shape must be 4 positive integers \[images, height, width, channels\], got \[-1, 28, 28, 1\]/,
    ],
    ['an empty tensor shape', { tensor: { shape: [], values: [] }, topK: 1 }, /tensor.shape must be 4 positive integers/],
    ['both images and a tensor', { images: [], tensor: { shape: [1, 28, 28, 1], values: [] }, topK: 1 }, /exactly one of `images` and `tensor`/],
  ])('refuses %s with BAD_USER_INPUT', async (_what, variables, message, at = 0) => {
    // `at`: the bad image's place after valid ones, so one bad image in a call is named by its index.
    const images = (variables as { images?: string[] }).images;
    const r = await gql(t, PREDICT_IMAGE, images && at > 0 ? { ...variables, images: [...Array<string>(at).fill(mnistPng().bytes.toString('base64')), ...images] } : variables);
    expect(errorOf(r).code).toBe('BAD_USER_INPUT');
    expect(errorOf(r).message).toMatch(message);
  });

  it('refuses more images than MAX_PREDICT_IMAGES per call', async () => {
    const png = mnistPng().bytes.toString('base64');
    const r = await gql(t, PREDICT_IMAGE, { images: Array(65).fill(png), topK: 1 });
    expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', message: 'images has 65 images; at most 64 per call' });
  });

  it('explains an image with a 7×7 occlusion grid of numbers', async () => {
    const r = await gqlOk(t, `query($image: String!) { explainImage(model: "mnist-small", image: $image, grid: 7) { label probability attributions cellHeight cellWidth } }`, {
      image: mnistPng('t10k-00000-label7.png').bytes.toString('base64'),
    });
    const e = r.explainImage;
    expect(e).toMatchObject({ label: '7', cellHeight: 4, cellWidth: 4 });
    expect(e.attributions).toHaveLength(7);
    e.attributions.forEach((row: number[]) => expect(row).toHaveLength(7));
    const flat: number[] = e.attributions.flat();
    flat.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    // Covering part of the stroke lowers P(7); covering the blank corner with the blank value changes nothing.
    expect(Math.max(...flat)).toBeGreaterThan(0);
    expect(e.attributions[0][0]).toBeCloseTo(0, 6);
    expect(flat.filter((v) => v !== 0).length).toBeGreaterThan(5);
  });

  it('refuses a truncated image in explainImage the same way', async () => {
    const r = await gql(t, `query($image: String!) { explainImage(model: "mnist-small", image: $image, grid: 7) { label } }`, {
      image: mnistPng().bytes.subarray(0, 150).toString('base64'),
    });
    expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', message: 'image is a truncated or corrupt PNG (150 bytes)' });
  });

  it('batch-predicts every image of an image dataset into a CSV', async () => {
    const started = await gqlOk(t, 'mutation($d: ID!) { startBatchPrediction(model: "mnist-small", datasetId: $d) { id rowCount } }', { d: mnistId });
    expect(started.startBatchPrediction.rowCount).toBe(600);
    const client = wsClient(t.wsUrl, t.token);
    const events = await collect<{ batchPredictionProgress: Record<string, any> }>(
      client,
      'subscription($id: ID!) { batchPredictionProgress(id: $id) { status processedRows rowCount failureMessage } }',
      { id: started.startBatchPrediction.id },
    ).done;
    await client.dispose();
    expect(events[events.length - 1]!.data!.batchPredictionProgress).toEqual({ status: 'SUCCEEDED', processedRows: 600, rowCount: 600, failureMessage: null });
    const res = await fetch(`${t.url.replace('/graphql', '')}/batch-predictions/${started.startBatchPrediction.id}.csv`, { headers: { authorization: `Bearer ${t.token}` } });
    const lines = (await res.text()).trim().replace(/"/g, '').split('\n');
    expect(lines[0]).toBe('row,label,predicted_label,predicted_probability');
    expect(lines).toHaveLength(601);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows[0]!.slice(0, 2)).toEqual(['1', '7']); // MNIST test image 0 is a 7
    // The training images (first 480) and the test images together: most predictions are right.
    const right = rows.filter((r) => r[1] === r[2]).length;
    expect(right / 600).toBeGreaterThan(0.8);
    rows.forEach((r) => expect(Number(r[3])).toBeGreaterThan(0));
  });

  it('refuses predictImage on a tabular model and predict on an image model', async () => {
    const csvId = await uploadCsv(t, PIMA_CSV, 'pima-2');
    await trainVersion(t, {
      datasetId: csvId,
      targetColumn: 'Outcome',
      modelName: 'pima-small',
      spec: { layers: [{ type: 'DENSE', units: 1, activation: 'SIGMOID' }], loss: 'BINARY_CROSSENTROPY', epochs: 1 },
    });
    const onTabular = await gql(t, `query($images: [String!]) { predictImage(model: "pima-small", images: $images) { version } }`, {
      images: [mnistPng().bytes.toString('base64')],
    });
    expect(errorOf(onTabular)).toEqual({ code: 'BAD_USER_INPUT', message: "Model 'pima-small' version 1 is not an image model: use predict with rows" });
    const onImage = await gql(t, `{ predict(model: "mnist-small", rows: [{}]) { version } }`);
    expect(errorOf(onImage).code).toBe('BAD_USER_INPUT');
    expect(errorOf(onImage).message).toMatch(/image model: use predictImage/);
  });
});
