/**
 * Image augmentation (src/ml/images/augment.ts): no shift or rotation is the identity, a shift by
 * whole pixels moves the image, the draws are seeded, and no tensor is left behind.
 */
import { cnnFamily } from '../../src/ml/families/cnn';
import { augmentationMatrices, augmentImages } from '../../src/ml/images/augment';
import { prepareImages } from '../../src/ml/images/prepare';
import { normalizeSpec } from '../../src/ml/spec';
import { rng } from '../../src/ml/random';
import { initBackend, tf } from '../../src/ml/tf';

beforeAll(() => initBackend('wasm'));

it('leaves images unchanged with no shift and no rotation', () => {
  const x = tf.tensor4d(
    Array.from({ length: 2 * 5 * 5 }, (_, i) => i % 7),
    [2, 5, 5, 1],
  );
  const before = tf.memory().numTensors;
  const out = augmentImages(x, { shift: 0, rotationDegrees: 0 }, rng(1));
  expect(Array.from(out.dataSync())).toEqual(Array.from(x.dataSync()));
  out.dispose();
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
});

it('shifts by whole pixels as the matrix says: output (x, y) reads input (x - tx, y - ty)', () => {
  // A single bright pixel at (1, 1) of a 4×4 image, shifted by tx = ty = 1 (a draw of 1.0 with shift 0.25).
  const img = new Float32Array(16);
  img[1 * 4 + 1] = 1;
  const x = tf.tensor4d(img, [1, 4, 4, 1]);
  const one = () => 1; // 2·1 − 1 = 1: the largest shift and rotation
  const out = augmentImages(x, { shift: 0.25, rotationDegrees: 0 }, one);
  const values = out.dataSync();
  expect(values[2 * 4 + 2]).toBeCloseTo(1, 5);
  expect(values[1 * 4 + 1]).toBeCloseTo(0, 5);
  out.dispose();
  x.dispose();
});

it('draws the same transforms for the same seed, and rotations within the bound', () => {
  const spec = { shift: 0.1, rotationDegrees: 10 };
  const a = augmentationMatrices(20, 28, 28, spec, rng(5));
  expect(a).toEqual(augmentationMatrices(20, 28, 28, spec, rng(5)));
  for (let i = 0; i < 20; i++) expect(Math.abs(Math.asin(a[i * 8 + 3]!))).toBeLessThanOrEqual((10 * Math.PI) / 180 + 1e-6);
});

it('trains a convolutional network with augmentation and leaves no tensor behind', async () => {
  const r = rng(3);
  const count = 60;
  const pixels = Uint8Array.from({ length: count * 36 }, () => Math.floor(r() * 255));
  const set = { count, height: 6, width: 6, channels: 1, pixels, labels: Uint16Array.from({ length: count }, (_, i) => i % 2), classes: ['a', 'b'] };
  const spec = normalizeSpec({ ...cnnFamily.exampleSpec('multiclass', 2), augmentation: { shift: 0.2, rotationDegrees: 15 }, epochs: 2 });
  expect(spec.augmentation).toEqual({ shift: 0.2, rotationDegrees: 15 });
  const before = tf.memory().numTensors;
  const fitted = await cnnFamily.fit(prepareImages(set, spec), spec, { onEpoch: async () => undefined });
  expect(fitted.epochs).toHaveLength(2);
  fitted.scorer.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
