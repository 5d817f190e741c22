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
import { PNG } from 'pngjs';
import { makeJpeg, makePng, mnistIdx, pngDeclaring } from '../support/images';

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

describe('truncated, corrupt, empty and oversized files (issue 10)', () => {
  const png = makePng(12, 9, (x, y) => 7 * x + y);
  const jpg = makeJpeg(16, 16, (x, y, c) => 8 * x + y + c);
  const cat = fs.readFileSync(sharedDataFile('sample-images', 'cat.jpg'));
  // Our messages only: the decoders' own texts (pngjs' stream internals, jpeg-js' markers) name nothing the caller sent.
  const OURS =
    /^BAD_USER_INPUT: f\.img (is a truncated or corrupt (PNG|JPEG) \(\d+ bytes(: no complete header|: no frame header)?\)|is empty \(0 bytes\); expected a PNG or JPEG file)$/;

  it.each([
    ['PNG', png],
    ['JPEG', jpg],
    ['JPEG photo', cat],
  ])('refuses every truncation of a %s as truncated or corrupt, naming the file', (_format, file) => {
    const step = Math.max(1, Math.floor(file.length / 300));
    for (let n = 0; n < file.length - 2; n += step) {
      const outcome = refusal(() => decodeImage(file.subarray(0, n), 'f.img'));
      expect([n, outcome]).toEqual([n, expect.stringMatching(OURS)]);
    }
  });

  it('names the format and the size of what arrived', () => {
    expect(refusal(() => decodeImage(png.subarray(0, 60), 'images[3]'))).toBe('BAD_USER_INPUT: images[3] is a truncated or corrupt PNG (60 bytes)');
    expect(refusal(() => decodeImage(png.subarray(0, 5), 'images[3]'))).toBe('BAD_USER_INPUT: images[3] is a truncated or corrupt PNG (5 bytes: no complete header)');
    expect(refusal(() => decodeImage(jpg.subarray(0, jpg.length - 100), "images 'a/1.jpg'"))).toBe(
      `BAD_USER_INPUT: images 'a/1.jpg' is a truncated or corrupt JPEG (${jpg.length - 100} bytes)`,
    );
    expect(refusal(() => decodeImage(jpg.subarray(0, 10), 'x'))).toBe('BAD_USER_INPUT: x is a truncated or corrupt JPEG (10 bytes: no frame header)');
    expect(refusal(() => decodeImage(new Uint8Array(0), 'x'))).toBe('BAD_USER_INPUT: x is empty (0 bytes); expected a PNG or JPEG file');
  });

  it('decodes or refuses with our message when any one byte is damaged', () => {
    for (const file of [png, jpg]) {
      for (let at = 0; at < file.length; at++) {
        const bad = Buffer.from(file);
        bad[at] ^= 0x5a;
        const outcome = refusal(() => decodeImage(bad, 'f.img'));
        // A damaged byte can still decode (JPEG entropy data, or PNG bytes outside the checked ones), or change the magic.
        expect([at, outcome]).toEqual([
          at,
          expect.stringMatching(
            /^(no error|BAD_USER_INPUT: f\.img (is neither a PNG nor a JPEG image|has \d+×\d+ pixels; at most \d+|is a truncated or corrupt (PNG|JPEG) \(\d+ bytes(: .*)?\)))$/,
          ),
        ]);
      }
    }
  });

  it('refuses a header declaring zero or huge dimensions before decoding or allocating', () => {
    const read = jest.spyOn(PNG.sync, 'read');
    try {
      expect(refusal(() => decodeImage(pngDeclaring(100_000, 100_000), 'bomb.png'))).toBe('BAD_USER_INPUT: bomb.png has 100000×100000 pixels; at most 16777216');
      expect(refusal(() => decodeImage(pngDeclaring(2 ** 32 - 1, 2 ** 32 - 1), 'bomb.png'))).toBe('BAD_USER_INPUT: bomb.png has 4294967295×4294967295 pixels; at most 16777216');
      expect(refusal(() => decodeImage(pngDeclaring(0, 20), 'flat.png'))).toBe(
        'BAD_USER_INPUT: flat.png is a truncated or corrupt PNG (67 bytes: its header declares 0×20 pixels)',
      );
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
    // A JPEG frame header of 65,535 × 65,535.
    const big = Buffer.from(jpg);
    const sof = big.indexOf(Buffer.from([0xff, 0xc0]));
    big.writeUInt16BE(65535, sof + 5);
    big.writeUInt16BE(65535, sof + 7);
    expect(refusal(() => decodeImage(big, 'bomb.jpg'))).toBe('BAD_USER_INPUT: bomb.jpg has 65535×65535 pixels; at most 16777216');
  });
});
