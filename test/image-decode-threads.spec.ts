/**
 * Review F11: predictImage's PNG/JPEG files are decoded and resized on a data thread
 * (src/modules/serving/image-decoder.ts), not on the event loop every tenant shares, and a call's
 * pixels are bounded (MAX_IMAGE_PIXELS_PER_CALL). The answers are the ones the inline decoding gave
 * (the exact probabilities below were recorded with the images decoded on the event loop, before
 * the change); while tenant A's call decodes 4096 × 4096 PNGs, tenant B's /healthz and GraphQL
 * query are answered before A's first image is done.
 */
import fs from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { sharedDataFile } from '../src/lib/paths';
import { startAppOnWorkerDatabase, startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { uploadModelOk } from './support/onnx-uploads';

const synset = () => fs.readFileSync(sharedDataFile('onnx-models', 'imagenet-synset.txt'), 'utf8').trim().split('\n');
const MNIST_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** CRC-32 of PNG chunks (ISO 3309, as PNG spec 5.5). */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let crc = 0xffffffff;
  for (const byte of body) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}

/**
 * A `side × side` 8-bit RGB PNG of one grey value, base64: ~57 KB at zlib level 9 for 4096 × 4096
 * (the review's attack image). Encoded here with node:zlib (pngjs' JavaScript filters take
 * minutes for 16.7 megapixels under Jest).
 */
function solidPng(side: number, grey = 128): string {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const rows = Buffer.alloc(side * (1 + 3 * side), grey);
  for (let y = 0; y < side; y++) rows[y * (1 + 3 * side)] = 0; // filter type None
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return png.toString('base64');
}

const PREDICT = `query($model: String!, $images: [String!]) { predictImage(model: $model, images: $images, topK: 2) { predictions { label probability top { label probability } } } }`;

/** shufflenet-v2-12-int8 as `shufflenet` with ImageNet labels and its preprocessing (the data README's). */
const uploadShufflenet = (t: TenantBundle) =>
  uploadModelOk(t, 'shufflenet', 'shufflenet-v2-12-int8.onnx', {
    labels: synset(),
    softmax: true,
    image: { resizeShortSide: 256, scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: 'NCHW' },
  });

describe('decoded off the event loop, the same answers', () => {
  let app: App;
  let a: TenantBundle;

  beforeAll(async () => {
    app = await startTestApp();
    a = await createTenant(app, 'img-a');
    await uploadModelOk(a, 'mnist', 'mnist-8.onnx', { labels: MNIST_LABELS, softmax: true, image: { scale: 1 } });
    await uploadShufflenet(a);
  }, 120_000);
  afterAll(() => app.stop());

  it('the sample photos (on a data thread) and an MNIST PNG (inline) give the probabilities they gave decoded on the event loop', async () => {
    const completed = app.threads.csv.stats().completed;
    const photos = ['goldfish', 'dog', 'cat'].map((p) => fs.readFileSync(sharedDataFile('sample-images', `${p}.jpg`)).toString('base64'));
    const r = await gqlOk(a, PREDICT, { model: 'shufflenet', images: photos });
    expect(app.threads.csv.stats().completed - completed).toBe(3); // one data-thread task per image
    const top = r.predictImage.predictions.map((p: { top: unknown }) => p.top);
    expect(top).toEqual(SHUFFLENET_TOP2);
    const digit = fs.readFileSync(sharedDataFile('mnist', 'png-samples', 't10k-00000-label7.png')).toString('base64');
    const m = await gqlOk(a, `query($images: [String!]) { predictImage(model: "mnist", images: $images) { predictions { probabilities } } }`, {
      images: [digit, solidPng(300, 200)],
    });
    expect(app.threads.csv.stats().completed - completed).toBe(5); // 784 + 90,000 pixels: past the inline bound, on the thread
    expect(m.predictImage.predictions.map((p: { probabilities: number[] }) => p.probabilities)).toEqual(MNIST_PROBABILITIES);
    const alone = await gqlOk(a, `query($images: [String!]) { predictImage(model: "mnist", images: $images) { predictions { probabilities } } }`, { images: [digit] });
    expect(app.threads.csv.stats().completed - completed).toBe(5); // 784 pixels: inline
    expect(alone.predictImage.predictions[0].probabilities).toEqual(MNIST_PROBABILITIES[0]);
  }, 120_000);

  it('refuses a call past MAX_IMAGE_PIXELS_PER_CALL before decoding, naming the limit', async () => {
    const completed = app.threads.csv.stats().completed;
    const big = solidPng(4096);
    const r = await gql(a, PREDICT, { model: 'shufflenet', images: [big, big] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'images', pixels: 33_554_432, limit: 16_777_216 });
    expect(r.errors![0]!.message).toBe(
      'images hold 33554432 pixels (width × height, summed over 2 images); at most 16777216 are decoded per call (MAX_IMAGE_PIXELS_PER_CALL): send fewer or smaller images',
    );
    expect(app.threads.csv.stats().completed).toBe(completed); // nothing decoded
    // One image of MAX_IMAGE_PIXELS is within it.
    const one = await gqlOk(a, PREDICT, { model: 'shufflenet', images: [big] });
    expect(one.predictImage.predictions).toHaveLength(1);
  }, 120_000);
});

describe('another tenant is answered while a call decodes', () => {
  let app: App;
  let a: TenantBundle;
  let b: TenantBundle;

  beforeAll(async () => {
    // Room for 4 of the review's 4096 × 4096 PNGs in one call.
    app = await startTestApp({ MAX_IMAGE_PIXELS_PER_CALL: String(4 * 4096 * 4096) });
    a = await createTenant(app, 'heavy-a');
    b = await createTenant(app, 'light-b');
    await uploadShufflenet(a);
  }, 120_000);
  afterAll(() => app.stop());

  it("B's /healthz and GraphQL query are answered while A's first 4096 × 4096 PNG is still decoding", async () => {
    const big = solidPng(4096);
    const events: string[] = [];
    const completed = app.threads.csv.stats().completed;
    const heavy = gqlOk(a, PREDICT, { model: 'shufflenet', images: [big, big, big, big] }).finally(() => events.push('A answered'));
    // Wait (on events, not time) until A's first image is on a data thread.
    while (app.services.imageDecoder.stats().running === 0 && events.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const health = await fetch(app.server.url.replace('/graphql', '/healthz'));
    events.push(`B healthz ${health.status}`);
    const me = await gql(b, 'query { models { name } }');
    events.push(`B query ${me.errors ? 'failed' : 'ok'}`);
    // Both answered before A's first image was done: no data-thread task has completed yet.
    events.push(`A's images decoded: ${app.threads.csv.stats().completed - completed}`);
    const r = await heavy;
    expect(events).toEqual(['B healthz 200', 'B query ok', "A's images decoded: 0", 'A answered']);
    expect(app.threads.csv.stats().completed - completed).toBe(4);
    // Four copies of one image: four equal answers.
    const [first, ...rest] = r.predictImage.predictions;
    for (const p of rest) expect(p).toEqual(first);
  }, 180_000);

  it("one tenant's images hold at most DATA_TASKS_PER_TENANT data threads: another tenant's image call finds one free", async () => {
    const other = await startAppOnWorkerDatabase({ DATA_THREADS: '3', DATA_TASKS_PER_TENANT: '2', MAX_IMAGE_PIXELS_PER_CALL: String(4096 * 4096) });
    try {
      const big = solidPng(4096);
      const url = other.server.url;
      const as = { ...a, url };
      const bs = { ...b, url };
      await uploadModelOk(bs, 'shufflenet', 'shufflenet-v2-12-int8.onnx', {
        labels: synset(),
        softmax: true,
        image: { resizeShortSide: 256, scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], layout: 'NCHW' },
      });
      const photo = fs.readFileSync(sharedDataFile('sample-images', 'goldfish.jpg')).toString('base64');
      await gqlOk(bs, PREDICT, { model: 'shufflenet', images: [photo] }); // B's version loaded before A's flood
      const decoder = other.services.imageDecoder;
      const heavy = [0, 1, 2, 3].map(() => gqlOk(as, PREDICT, { model: 'shufflenet', images: [big] }));
      let settled = false;
      void Promise.allSettled(heavy).then(() => (settled = true));
      while ((decoder.stats().running < 2 || decoder.stats().waiting < 1) && !settled) await new Promise((resolve) => setImmediate(resolve));
      // A's further calls wait with a thread free: 2 of the 3 threads at most.
      expect(decoder.stats().running).toBe(2);
      expect(decoder.stats().waiting).toBeGreaterThanOrEqual(1);
      const light = gqlOk(bs, PREDICT, { model: 'shufflenet', images: [photo] });
      while (decoder.stats().running < 3 && !settled) await new Promise((resolve) => setImmediate(resolve));
      // B's image started on the third thread while A's calls still wait: it went before them.
      expect(decoder.stats().running).toBe(3);
      expect(decoder.stats().waiting).toBeGreaterThanOrEqual(1);
      expect((await light).predictImage.predictions[0].label).toBe('n01443537 goldfish, Carassius auratus');
      await Promise.all(heavy);
    } finally {
      await other.stop();
    }
  }, 180_000);
});

/** Recorded with the images decoded on the event loop (main before review F11), as JSON numbers. */
const SHUFFLENET_TOP2: unknown[] = [
  [
    { label: 'n01443537 goldfish, Carassius auratus', probability: 0.9988923655411381 },
    { label: 'n01440764 tench, Tinca tinca', probability: 0.0010107040044995096 },
  ],
  [
    { label: 'n02099601 golden retriever', probability: 0.4619556980631606 },
    { label: 'n02104029 kuvasz', probability: 0.4619556980631606 },
  ],
  [
    { label: 'n02123045 tabby, tabby cat', probability: 0.6123603617461323 },
    { label: 'n02124075 Egyptian cat', probability: 0.36508144498412676 },
  ],
];
const MNIST_PROBABILITIES: number[][] = [
  [0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
  [0, 0, 0, 3.410955602172165e-302, 2.8669813119568925e-289, 1.3698493706947484e-218, 1, 0, 2.2808213007558922e-142, 0],
];
