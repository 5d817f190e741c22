/**
 * The WASM UnsortedSegmentSum kernel (src/ml/tfjs-kernels/unsorted-segment-sum.ts) against TF.js'
 * cpu backend: 1-D and 2-D data, ids of rank 1 and 2, negative and out-of-range ids (dropped),
 * int32 data, and the gradient of an embedding (gather) lookup; live tensors stay flat.
 */
import { initBackend, tf } from '../../src/ml/tf';
import { rng } from '../../src/ml/random';

/** One case: x's shape, segment ids (shape = a prefix of x's), numSegments. */
interface Case {
  name: string;
  shape: number[];
  ids: number[];
  idShape: number[];
  numSegments: number;
  dtype?: 'float32' | 'int32';
}

function values(c: Case): number[] {
  const next = rng(7);
  const n = c.shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => (c.dtype === 'int32' ? Math.floor(next() * 200) - 100 : (next() - 0.5) * 100));
}

const CASES: Case[] = [
  { name: '1-D data', shape: [6], ids: [0, 2, 0, 1, 2, 2], idShape: [6], numSegments: 3 },
  { name: '2-D data, unused segments', shape: [5, 4], ids: [3, 0, 3, 3, 1], idShape: [5], numSegments: 6 },
  { name: 'negative and out-of-range ids dropped', shape: [6, 3], ids: [-1, 0, 4, 1, -7, 1], idShape: [6], numSegments: 2 },
  { name: 'int32 data', shape: [4, 2], ids: [1, 1, 0, 1], idShape: [4], numSegments: 2, dtype: 'int32' },
  // The cpu kernel loops over segments (numSegments masks): kept small, or it takes seconds.
  { name: 'many rows', shape: [400, 16], ids: Array.from({ length: 400 }, (_, i) => (i * 37) % 60), idShape: [400], numSegments: 60 },
];

/** The kernel itself (tf.unsortedSegmentSum types its ids as 1-D). */
const segmentSum = (x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number) => tf.engine().runKernel(tf.UnsortedSegmentSum, { x, segmentIds }, { numSegments }) as tf.Tensor;

/** TF's output dtype is x's; TF.js' cpu kernel answers float32 for int32 data (same values). */
async function onBackend<T>(name: 'wasm' | 'cpu', fn: () => T): Promise<T> {
  await tf.setBackend(name);
  await tf.ready();
  let result: T | undefined;
  tf.tidy(() => void (result = fn()));
  return result!;
}

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

it.each(CASES)('matches the cpu backend: $name', async (c) => {
  const run = () => {
    const x = tf.tensor(values(c), c.shape, c.dtype ?? 'float32');
    const ids = tf.tensor(c.ids, c.idShape, 'int32');
    const out = segmentSum(x, ids, c.numSegments);
    return { shape: out.shape, dtype: out.dtype, data: Array.from(out.dataSync()) };
  };
  const wasm = await onBackend('wasm', run);
  const cpu = await onBackend('cpu', run);
  expect(wasm.shape).toEqual([c.numSegments, ...c.shape.slice(c.idShape.length)]);
  expect(wasm.shape).toEqual(cpu.shape);
  expect(wasm.dtype).toBe(c.dtype ?? 'float32');
  for (let i = 0; i < cpu.data.length; i++) expect(wasm.data[i]).toBeCloseTo(cpu.data[i], 3);
});

it('sums over every dimension of rank-2 ids, as flattening them does (TF semantics; the cpu kernel sums only the first)', async () => {
  const c = { name: '', shape: [2, 3, 5], ids: [1, 0, 1, 2, 2, 0], idShape: [2, 3], numSegments: 3 };
  const x = values(c);
  const wasm = await onBackend('wasm', () => Array.from(segmentSum(tf.tensor3d(x, [2, 3, 5]), tf.tensor2d(c.ids, [2, 3], 'int32'), 3).dataSync()));
  const flat = await onBackend('cpu', () => Array.from(tf.unsortedSegmentSum(tf.tensor2d(x, [6, 5]), tf.tensor1d(c.ids, 'int32'), 3).dataSync()));
  expect(wasm.length).toBe(15);
  for (let i = 0; i < flat.length; i++) expect(wasm[i]).toBeCloseTo(flat[i], 3);
});

it('gives an embedding lookup (gather) the same gradient as the cpu backend', async () => {
  const table = values({ name: '', shape: [50, 8], ids: [], idShape: [], numSegments: 0 });
  const indices = [3, 7, 3, 49, 0, 7, 7, 12];
  const run = () => {
    const weights = tf.tensor2d(table, [50, 8]);
    const loss = (w: tf.Tensor) => tf.gather(w, tf.tensor1d(indices, 'int32')).square().sum() as tf.Scalar;
    return Array.from(tf.grad(loss)(weights).dataSync());
  };
  const wasm = await onBackend('wasm', run);
  const cpu = await onBackend('cpu', run);
  expect(wasm.length).toBe(400);
  for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i], 3);
  expect(wasm.slice(7 * 8, 8 * 8).every((v, k) => Math.abs(v - 2 * 3 * table[7 * 8 + k]) < 1e-3)).toBe(true); // row 7 gathered 3 times
});

it('keeps live tensors flat over repeated calls', async () => {
  await tf.setBackend('wasm');
  const x = tf.randomNormal([300, 32]);
  const ids = tf.tensor1d(
    Array.from({ length: 300 }, (_, i) => i % 40),
    'int32',
  );
  const before = tf.memory().numTensors;
  for (let k = 0; k < 20; k++) tf.unsortedSegmentSum(x, ids, 40).dispose();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, ids]);
});
