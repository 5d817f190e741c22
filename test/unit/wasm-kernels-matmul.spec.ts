/**
 * The WASM BatchMatMul wrapper (src/ml/tfjs-kernels/matmul-transposed.ts): transposed products
 * against TF.js' cpu backend (rank 2 and 3, each flag, both, below and above MIN_MULTIPLY_ADDS), a
 * dense layer's gradients, that it is installed at start-up and can be taken back, and that the
 * WASM backend's memory stays flat.
 */
import { tf } from '../../src/ml/tf';
import { onBackend, onWasmThroughout } from '../support/tf-backends';
import { MIN_MULTIPLY_ADDS, useExplicitTranspose } from '../../src/ml/tfjs-kernels/matmul-transposed';
import { rng } from '../../src/ml/random';

/** [aShape, bShape, transposeA, transposeB] */
type Case = [number[], number[], boolean, boolean];

const CASES: Case[] = [
  [[64, 48], [64, 40], true, false],
  [[32, 64], [80, 64], false, true],
  [[64, 48], [80, 64], true, true],
  [[3, 40, 36], [3, 40, 50], true, false],
  [[2, 33, 40], [2, 45, 40], false, true],
  // Below MIN_MULTIPLY_ADDS: the stock path.
  [[32, 8], [32, 10], true, false],
];

const values = (n: number, seed: number) => {
  const next = rng(seed);
  return Array.from({ length: n }, () => next() * 2 - 1);
};
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

onWasmThroughout();

it('is installed when the wasm backend starts, and taken back and put again on request', () => {
  const installed = () => tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc.name;
  expect(installed()).toBe('explicitTransposeBatchMatMul');
  expect(useExplicitTranspose(false)).toBe(false);
  expect(installed()).not.toBe('explicitTransposeBatchMatMul');
  expect(useExplicitTranspose(true)).toBe(true);
  expect(useExplicitTranspose(true)).toBe(true);
  expect(installed()).toBe('explicitTransposeBatchMatMul');
  expect(32 * 8 * 10).toBeLessThan(MIN_MULTIPLY_ADDS);
});

it.each(CASES)('matches the cpu backend: a %j b %j transposeA %s transposeB %s', async (aShape, bShape, ta, tb) => {
  const run = () => tf.matMul(tf.tensor(values(size(aShape), 1), aShape), tf.tensor(values(size(bShape), 2), bShape), ta, tb);
  const wasm = await onBackend('wasm', run);
  const cpu = await onBackend('cpu', run);
  expect(wasm.shape).toEqual(cpu.shape);
  const worst = wasm.data.reduce((m, v, i) => Math.max(m, Math.abs(v - cpu.data[i])), 0);
  expect(worst).toBeLessThan(1e-4);
});

it("gives a dense layer's gradients as the cpu backend does, with the tensor count flat", async () => {
  const grads = () => {
    const x = tf.tensor(values(32 * 64, 3), [32, 64]);
    const w = tf.tensor(values(64 * 128, 4), [64, 128]);
    const bias = tf.tensor(values(128, 5), [128]);
    const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.fused.matMul({ a: xx, b: ww, bias, activation: 'relu' }).square().sum());
    const [dx, dw] = g([x, w]);
    return tf.concat([dx.flatten(), dw.flatten()]);
  };
  const cpu = await onBackend('cpu', grads);
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const bytes = tf.memory().numBytes;
  const wasm = await onBackend('wasm', grads);
  expect(tf.memory().numTensors).toBe(before);
  expect(tf.memory().numBytes).toBe(bytes);
  const worst = wasm.data.reduce((m, v, i) => Math.max(m, Math.abs(v - cpu.data[i]) / Math.max(1, Math.abs(cpu.data[i]))), 0);
  expect(worst).toBeLessThan(1e-4);
});
