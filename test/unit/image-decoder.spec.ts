/**
 * Review F11: a serving call's PNG/JPEG files decoded on a data thread give the very bytes and
 * floats the inline decoding gave (the code before the change: decodeImage + toChannels per image,
 * or decodeImage + imageTensor), its refusals keep their codes and messages across the thread, and
 * a call's pixels are bounded before any decoding.
 */
import fs from 'node:fs';
import { createCsvThreads, type CsvThreads } from '../../src/ml/data/csv-tasks';
import { imageTensor } from '../../src/ml/families/onnx/image-input';
import type { OnnxImagePreprocessing } from '../../src/ml/families/onnx/serving-info';
import { decodeImage, toChannels } from '../../src/ml/images/decode';
import { sharedDataFile } from '../../src/lib/paths';
import { base64Bytes } from '../../src/modules/serving/decode-images';
import { ImageDecoder } from '../../src/modules/serving/image-decoder';

const photos = ['goldfish', 'dog', 'cat'].map((p) => fs.readFileSync(sharedDataFile('sample-images', `${p}.jpg`)));
const digit = fs.readFileSync(sharedDataFile('mnist', 'png-samples', 't10k-00000-label7.png'));
const SHUFFLENET: OnnxImagePreprocessing = {
  input: 'input',
  layout: 'NCHW',
  height: 224,
  width: 224,
  channels: 3,
  resizeShortSide: 256,
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

let threads: CsvThreads;
beforeAll(() => {
  threads = createCsvThreads(2);
});
afterAll(() => threads.close());

const b64 = (b: Buffer) => b.toString('base64');

it('ONNX inputs from a data thread equal the inline decodeImage + imageTensor, float for float', async () => {
  const decoder = new ImageDecoder(threads, { maxCallPixels: 4096 * 4096, threads: 2, threadsPerTenant: 1 });
  const read = decoder.read(photos.map(b64), 'images', (i) => `images[${i}]`, 4096 * 4096);
  expect(read.pixels).toBe(263 * 376 + 183 * 275 + 168 * 300);
  const before = threads.stats().completed;
  for (let i = 0; i < photos.length; i++) {
    const x = await decoder.onnxInput('t', read, i, SHUFFLENET);
    const inline = imageTensor(decodeImage(new Uint8Array(photos[i]!), `images[${i}]`), SHUFFLENET);
    expect(x.shape).toEqual([1, 3, 224, 224]);
    expect(Buffer.from(x.data.buffer).equals(Buffer.from(inline.data.buffer))).toBe(true);
  }
  expect(threads.stats().completed - before).toBe(3);
}, 60_000);

it("a CNN's pixels from a data thread equal the inline decodeImage + toChannels per image", async () => {
  const decoder = new ImageDecoder(threads, { maxCallPixels: 4096 * 4096, threads: 2, threadsPerTenant: 1, inlineMaxPixels: 0 });
  const image = { height: 28, width: 28, channels: 3, mean: [0, 0, 0], std: [1, 1, 1] };
  const read = decoder.read([b64(digit), b64(digit)], 'images', (i) => `images[${i}]`, 784);
  const before = threads.stats().completed;
  const pixels = await decoder.pixels('t', read, image as never);
  expect(threads.stats().completed - before).toBe(1);
  const one = toChannels(decodeImage(new Uint8Array(digit), 'x', 784), 3).data;
  expect(Buffer.from(pixels).equals(Buffer.concat([one, one]))).toBe(true);
  // Inline (the default bound: 1,568 pixels are under it), the same bytes.
  const inline = await new ImageDecoder(threads, { maxCallPixels: 4096 * 4096, threads: 2, threadsPerTenant: 1 }).pixels(
    't',
    decoder.read([b64(digit), b64(digit)], 'images', (i) => `images[${i}]`, 784),
    image as never,
  );
  expect(threads.stats().completed - before).toBe(1);
  expect(Buffer.from(inline).equals(Buffer.from(pixels))).toBe(true);
}, 60_000);

it('a corrupt file is refused from the thread with its code and message', async () => {
  const decoder = new ImageDecoder(threads, { maxCallPixels: 4096 * 4096, threads: 2, threadsPerTenant: 1, inlineMaxPixels: 0 });
  const cut = photos[0]!.subarray(0, 2000);
  const read = decoder.read([b64(photos[1]!), b64(cut)], 'images', (i) => `images[${i}]`, 4096 * 4096);
  await expect(decoder.onnxInput('t', read, 1, SHUFFLENET)).rejects.toMatchObject({
    code: 'BAD_USER_INPUT',
    message: 'images[1] is a truncated or corrupt JPEG (2000 bytes)',
    details: { field: 'images[1]' },
  });
}, 60_000);

it('counts the pixels of every header and refuses past the bound, before decoding', () => {
  const decoder = new ImageDecoder(undefined, { maxCallPixels: 98_887, threads: 1, threadsPerTenant: 1 });
  const all = () => decoder.read(photos.map(b64), 'images', (i) => `images[${i}]`, 4096 * 4096);
  expect(all).toThrow(
    expect.objectContaining({
      code: 'BAD_USER_INPUT',
      message: 'images hold 199613 pixels (width × height, summed over 3 images); at most 98887 are decoded per call (MAX_IMAGE_PIXELS_PER_CALL): send fewer or smaller images',
      details: { field: 'images', pixels: 199_613, limit: 98_887 },
    }),
  );
  // explainImage's one image (263 × 376 = 98,888 pixels), one over.
  expect(() => decoder.read([b64(photos[0]!)], 'image', () => 'image', 4096 * 4096)).toThrow(
    expect.objectContaining({
      code: 'BAD_USER_INPUT',
      message: 'image holds 98888 pixels (width × height); at most 98887 are decoded per call (MAX_IMAGE_PIXELS_PER_CALL): send fewer or smaller images',
    }),
  );
  expect(decoder.read([b64(photos[1]!)], 'images', () => 'images[0]', 4096 * 4096).pixels).toBe(183 * 275);
});

it('base64: the alphabet with at most two trailing `=`, whitespace and a data: prefix ignored', () => {
  const ok = (text: string) => Array.from(base64Bytes(text, 'images[0]'));
  expect(ok('QUJD')).toEqual([65, 66, 67]);
  expect(ok('QUI=')).toEqual([65, 66]);
  expect(ok('QQ==')).toEqual([65]);
  expect(ok('data:image/png;base64,QU\nJD')).toEqual([65, 66, 67]);
  for (const bad of ['', 'Q', 'QQ=A', 'Q=Q=', '=QQQ', 'QQ===', 'not base64!', 'QUJD\u00e9'])
    expect(() => base64Bytes(bad, 'images[0]')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'images[0] is not base64 text (a PNG or JPEG file encoded as base64)' }),
    );
});
