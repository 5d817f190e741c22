/**
 * Conv2DBackpropFilter on the WASM backend (src/ml/tfjs-kernels/conv2d-backprop-filter.ts) against
 * the cpu backend's own kernel: the weight gradient of conv2d for several shapes, strides and
 * paddings (NHWC, batch > 1), within float32 rounding; and no tensor left behind.
 */
import { initBackend, tf } from '../../src/ml/tf';

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 6, 6, 1], filter: [3, 3, 1, 4], strides: 1, pad: 'valid' },
  { x: [3, 7, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same' },
  { x: [4, 9, 9, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [2, 9, 8, 2], filter: [2, 3, 2, 2], strides: 2, pad: 'valid' },
  { x: [2, 10, 10, 4], filter: [5, 5, 4, 6], strides: 3, pad: 'same' },
  { x: [5, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [1, 1, 3, 2], strides: 1, pad: 'valid' },
];

/** Deterministic values in [-1, 1) (a small LCG), so both backends see the same numbers. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The weight gradient of Σ conv2d(x, w) · g on the current backend. */
function filterGradient(c: Case): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(c.x), 1), c.x);
    const w = tf.tensor4d(values(size(c.filter), 2), c.filter);
    const outShape = tf.conv2d(x, w, c.strides, c.pad).shape;
    const g = tf.tensor(values(size(outShape), 3), outShape);
    const dw = tf.grad((wt) => tf.sum(tf.mul(tf.conv2d(x, wt as tf.Tensor4D, c.strides, c.pad), g)))(w);
    return { values: dw.dataSync() as Float32Array, shape: dw.shape };
  });
}

beforeAll(async () => {
  await initBackend('wasm');
  expect(tf.getBackend()).toBe('wasm');
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

it.each(CASES)('matches the cpu backend for x %j', async (c) => {
  await tf.setBackend('cpu');
  const expected = filterGradient(c);
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const actual = filterGradient(c);
  expect(tf.memory().numTensors).toBe(before);
  expect(actual.shape).toEqual(c.filter);
  expect(actual.shape).toEqual(expected.shape);
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.values.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual.values[i]! - expected.values[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(expected.values[i]!));
  }
  expect(maxAbs).toBeGreaterThan(0.1);
  // Float32 sums of up to ~12,500 products of magnitude ≤ 1, added in another order: ≤ 1e-4 relative.
  expect(maxDiff).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs));
});

it('keeps the wasm backend tensor count and memory flat over repeated gradients', async () => {
  await tf.setBackend('wasm');
  filterGradient(CASES[2]!);
  const tensors = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  for (let i = 0; i < 20; i++) filterGradient(CASES[2]!);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(tf.memory().numBytes).toBe(bytes);
});

it('trains a small conv2d → dense model on wasm with model.fit', async () => {
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const xs = tf.tensor4d(values(32 * 64, 7), [32, 8, 8, 1]);
  const ys = tf.tensor2d(
    Array.from({ length: 32 }, (_, i) => i % 2),
    [32, 1],
  );
  const history = await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0 });
  expect(history.history.loss).toHaveLength(3);
  xs.dispose();
  ys.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
