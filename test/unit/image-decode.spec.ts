/**
 * PNG/JPEG decoding with the pure-JS decoders (src/ml/images/decode.ts), the header size read
 * before decoding, the IDX reader and the tensor container (src/ml/images/readers.ts, image-set.ts),
 * on small generated files and real ones from the shared data.
 */
import fs from 'node:fs';
import { gzipSync } from 'fflate';
import { AppError } from '../../src/lib/errors';
import { sharedDataFile } from '../../src/lib/paths';
import { decodeImage, imageSize, toChannels } from '../../src/ml/images/decode';
import { decodeImageSet, encodeImageSet } from '../../src/ml/images/image-set';
import { readMnistIdx } from '../../src/ml/images/readers';
import { makeJpeg, makePng, mnistIdx } from '../support/images';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? `${err.code}: ${err.message}` : `not an AppError: ${String(err)}`;
  }
  return 'no error';
};

it('decodes a generated grayscale PNG exactly and an RGB JPEG within JPEG error', () => {
  const png = decodeImage(
    makePng(5, 3, (x, y) => 10 * x + y),
    'a.png',
  );
  expect(png).toMatchObject({ width: 5, height: 3, channels: 1 });
  expect(Array.from(png.data)).toEqual([0, 10, 20, 30, 40, 1, 11, 21, 31, 41, 2, 12, 22, 32, 42]);
  const jpg = decodeImage(
    makeJpeg(8, 8, (_x, _y, c) => [200, 40, 90][c]!),
    'b.jpg',
  );
  expect(jpg).toMatchObject({ width: 8, height: 8, channels: 3 });
  expect(Math.abs(jpg.data[0]! - 200)).toBeLessThan(6);
  expect(Math.abs(jpg.data[2]! - 90)).toBeLessThan(6);
});

it('decodes a real MNIST PNG to the pixels of the IDX file, and a real JPEG photo', () => {
  const png = decodeImage(fs.readFileSync(sharedDataFile('mnist', 'png-samples', 't10k-00000-label7.png')), '7.png');
  expect(png).toMatchObject({ width: 28, height: 28, channels: 1 });
  // The README says the PNGs' pixels are identical to the IDX data: image 0 of t10k.
  expect(Array.from(png.data)).toEqual(Array.from(mnistIdx().images.subarray(16, 16 + 784)));
  const cat = decodeImage(fs.readFileSync(sharedDataFile('sample-images', 'cat.jpg')), 'cat.jpg');
  expect(cat).toMatchObject({ width: 300, height: 168, channels: 3 });
  expect(toChannels(cat, 1).data).toHaveLength(300 * 168);
});

it('reads the size from the header and refuses an oversized image before decoding it', () => {
  expect(imageSize(makePng(10, 12, () => 0))).toEqual({ width: 10, height: 12 });
  expect(imageSize(makeJpeg(30, 17, () => 5))).toEqual({ width: 30, height: 17 });
  expect(
    refusal(() =>
      decodeImage(
        makePng(100, 100, () => 0),
        'big.png',
        64 * 64,
      ),
    ),
  ).toBe('BAD_USER_INPUT: big.png has 100×100 pixels; at most 4096');
  expect(refusal(() => decodeImage(new TextEncoder().encode('GIF89a....'), 'x.gif'))).toBe('BAD_USER_INPUT: x.gif is neither a PNG nor a JPEG image');
});

it('reads gzipped IDX files and round-trips the set through the container', () => {
  const { images, labels } = mnistIdx();
  const set = readMnistIdx(gzipSync(images), gzipSync(labels));
  expect(set).toMatchObject({ count: 10000, height: 28, width: 28, channels: 1 });
  expect(set.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  expect(set.labels[0]).toBe(7);
  const back = decodeImageSet(encodeImageSet(set));
  expect(back.classes).toEqual(set.classes);
  expect(Array.from(back.labels.subarray(0, 20))).toEqual(Array.from(set.labels.subarray(0, 20)));
  expect(Buffer.compare(Buffer.from(back.pixels), Buffer.from(set.pixels))).toBe(0);
});
