/**
 * For the WASM kernel specs (test/unit/wasm-kernels-*.spec.ts): the same computation on the wasm
 * and cpu backends, compared; the spec starts on wasm and ends there.
 */
import { initBackend, tf } from '../../src/ml/tf';

/** Runs `fn` on `name` (in a tidy) and reads its result: shape and values. */
export async function onBackend(name: 'wasm' | 'cpu', fn: () => tf.Tensor): Promise<{ shape: number[]; data: number[] }> {
  await tf.setBackend(name);
  await tf.ready();
  return tf.tidy(() => {
    const out = fn();
    return { shape: out.shape, data: Array.from(out.dataSync() as ArrayLike<number>) };
  });
}

/** Registers the spec's hooks: the wasm backend before its tests (asserted), wasm again after them. */
export function onWasmThroughout(): void {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });
}
