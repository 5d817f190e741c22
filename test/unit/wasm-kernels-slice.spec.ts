/**
 * The WASM Slice wrapper (src/ml/tfjs-kernels/slice-view.ts): contiguous and strided slices of
 * float32, int32 and bool tensors (ranks 1–4, -1 sizes, the last rows, a slice across a WASM memory
 * growth) equal the cpu backend's exactly; it is installed at start-up and can be taken back; the
 * tensor count and bytes stay flat.
 */
import { tf } from '../../src/ml/tf';
import { onBackend, onWasmThroughout } from '../support/tf-backends';
import { useSliceView } from '../../src/ml/tfjs-kernels/slice-view';

/** [shape, begin, size, dtype] */
type Case = [number[], number[], number[], 'float32' | 'int32' | 'bool'];

const CASES: Case[] = [
  [[100], [10], [25], 'float32'],
  [[50, 7], [3, 0], [32, 7], 'float32'], // rows: contiguous
  [[50, 7], [40, 0], [-1, -1], 'float32'], // the last rows, -1 sizes
  [[20, 28, 28, 1], [8, 0, 0, 0], [12, 28, 28, 1], 'float32'], // a batch of images
  [[20, 28, 28, 1], [0, 0, 0, 0], [20, 28, 28, 1], 'float32'], // all of it
  [[50, 7], [3, 2], [10, 3], 'float32'], // strided: the stock path
  [[6, 5, 4], [1, 1, 0], [2, 3, 4], 'int32'], // strided
  [[64, 3], [5, 0], [7, 3], 'int32'],
  [[64, 3], [5, 0], [7, 3], 'bool'],
];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const make = (shape: number[], dtype: Case[3]) => {
  const n = size(shape);
  const v = Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : dtype === 'int32' ? i * 7 - 50 : Math.sin(i) * 100));
  return tf.tensor(v as never, shape, dtype);
};

onWasmThroughout();

it('is installed when the wasm backend starts, and taken back and put again on request', () => {
  const installed = () => tf.getKernel('Slice', 'wasm')!.kernelFunc.name;
  expect(installed()).toBe('viewSlice');
  expect(useSliceView(false)).toBe(false);
  expect(installed()).not.toBe('viewSlice');
  expect(useSliceView(true)).toBe(true);
  expect(useSliceView(true)).toBe(true);
  expect(installed()).toBe('viewSlice');
});

it.each(CASES)('matches the cpu backend: %j begin %j size %j %s', async (shape, begin, sz, dtype) => {
  const run = () => tf.slice(make(shape, dtype), begin, sz);
  await tf.setBackend('wasm');
  const before = tf.memory();
  const wasm = await onBackend('wasm', run);
  expect(tf.memory().numTensors).toBe(before.numTensors);
  expect(tf.memory().numBytes).toBe(before.numBytes);
  const cpu = await onBackend('cpu', run);
  expect(wasm).toEqual(cpu);
});

it('copies the right rows when its output allocation grows WASM memory', async () => {
  await tf.setBackend('wasm');
  // A source, then a slice larger than any free block: makeOutput grows the heap (views taken before would be detached).
  const rows = 3000;
  const x = make([rows, 784], 'float32');
  const out = tf.slice(x, [1000, 0], [2000, 784]);
  const got = out.dataSync() as Float32Array;
  for (const k of [0, 1, 783, 784, 2000 * 784 - 1]) expect(got[k]).toBeCloseTo(Math.sin(1000 * 784 + k) * 100, 3);
  tf.dispose([x, out]);
});

it('slices a tensor that still lives on another backend (moved into WASM memory first)', async () => {
  await tf.setBackend('cpu');
  const x = make([4000, 784], 'float32');
  await tf.setBackend('wasm');
  const out = tf.slice(x, [3000, 0], [1000, 784]);
  const got = out.dataSync() as Float32Array;
  for (const k of [0, 784, 1000 * 784 - 1]) expect(got[k]).toBeCloseTo(Math.sin(3000 * 784 + k) * 100, 3);
  tf.dispose([x, out]);
});
