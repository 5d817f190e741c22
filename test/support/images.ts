/** Image test data (small generated PNG/JPEG/IDX/ZIP files, MNIST from the shared data) and the image upload. */
import fs from 'node:fs';
import { gunzipSync, gzipSync, zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Caller, GqlResult } from '../../src/client/graphql-client';
import { sharedDataFile } from '../../src/lib/paths';

/** A grayscale (channels 1) or RGB (3) PNG of `width × height` from `pixel(x, y, c)`. */
export function makePng(width: number, height: number, pixel: (x: number, y: number, c: number) => number, channels: 1 | 3 = 1): Buffer {
  const png = new PNG({ width, height, colorType: channels === 1 ? 0 : 2, inputColorType: 6 });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) png.data[i + c] = pixel(x, y, channels === 1 ? 0 : c);
      png.data[i + 3] = 255;
    }
  return PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2, inputColorType: 6 });
}

/** An RGB JPEG (quality 95) of `width × height`. */
export function makeJpeg(width: number, height: number, pixel: (x: number, y: number, c: number) => number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 4; c++) data[4 * (y * width + x) + c] = c === 3 ? 255 : pixel(x, y, c);
  return Buffer.from(jpeg.encode({ data, width, height }, 95).data);
}

/** A ZIP archive of `files` (path → bytes). */
export const makeZip = (files: Record<string, Uint8Array>) => Buffer.from(zipSync(files));

/** The MNIST test images and labels (raw IDX bytes, gunzipped) from the shared data. */
export function mnistIdx(): { images: Uint8Array; labels: Uint8Array } {
  return {
    images: gunzipSync(fs.readFileSync(sharedDataFile('mnist', 't10k-images-idx3-ubyte.gz'))),
    labels: gunzipSync(fs.readFileSync(sharedDataFile('mnist', 't10k-labels-idx1-ubyte.gz'))),
  };
}

/** The first `count` MNIST test images as gzipped IDX files. */
export function mnistSubset(count: number): { images: Buffer; labels: Buffer } {
  const { images, labels } = mnistIdx();
  const img = new Uint8Array(16 + count * 784);
  img.set(images.subarray(0, 16 + count * 784));
  new DataView(img.buffer).setUint32(4, count);
  const lab = new Uint8Array(8 + count);
  lab.set(labels.subarray(0, 8 + count));
  new DataView(lab.buffer).setUint32(4, count);
  return { images: Buffer.from(gzipSync(img)), labels: Buffer.from(gzipSync(lab)) };
}

/** A real MNIST PNG from the shared data (28×28 grayscale) and its label. */
export function mnistPng(file = 't10k-00000-label7.png'): { bytes: Buffer; label: string } {
  return { bytes: fs.readFileSync(sharedDataFile('mnist', 'png-samples', file)), label: /label(\d)/.exec(file)![1]! };
}

/** A small PNG whose header declares `width × height` (a decompression bomb's header; its data is a 1×1 image's). */
export function pngDeclaring(width: number, height: number): Buffer {
  const png = Buffer.from(makePng(1, 1, () => 0));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

export const IMAGE_PROFILE_FIELDS = `id name format rowCount sizeBytes imageProfile { count height width channels classes { label count } channelMean channelStd zeroFraction }`;

export interface ImageUploadOptions {
  format: 'MNIST_IDX' | 'IMAGE_FOLDER_ZIP' | 'PIXEL_CSV';
  images: Buffer;
  labels?: Buffer;
  imageShape?: number[];
  name?: string;
}

/** uploadImageDataset through the GraphQL multipart request. */
export async function uploadImages(t: Caller, o: ImageUploadOptions): Promise<GqlResult> {
  const form = new FormData();
  const files: Record<string, string[]> = { 0: ['variables.images'] };
  if (o.labels) files[1] = ['variables.labels'];
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($name: String!, $format: ImageDatasetFormat!, $images: Upload!, $labels: Upload, $imageShape: [Int!]) {
        uploadImageDataset(name: $name, format: $format, images: $images, labels: $labels, imageShape: $imageShape) { ${IMAGE_PROFILE_FIELDS} } }`,
      variables: { name: o.name ?? 'images', format: o.format, images: null, labels: null, imageShape: o.imageShape ?? null },
    }),
  );
  form.append('map', JSON.stringify(files));
  form.append('0', new Blob([new Uint8Array(o.images)]), 'images');
  if (o.labels) form.append('1', new Blob([new Uint8Array(o.labels)]), 'labels');
  const res = await fetch(t.url, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'apollo-require-preflight': 'true' }, body: form });
  return (await res.json()) as GqlResult;
}

/** uploadImages, throwing on errors; returns the dataset. */
export async function uploadImagesOk(t: Caller, o: ImageUploadOptions): Promise<Record<string, any>> {
  const r = await uploadImages(t, o);
  if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
  return r.data!.uploadImageDataset as Record<string, any>;
}

export { MNIST_CNN_LAYERS, MNIST_CNN_OPTIMIZER } from '../../src/client/mnist-job';
