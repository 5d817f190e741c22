/**
 * Gradient kernels the TF.js WASM backend lacks (tfjs#8474 Conv2DBackpropFilter, tfjs#8082
 * UnsortedSegmentSum), registered for 'wasm' at backend start-up (./../tf.ts). Each kernel lives in
 * its own file here, with a unit test against the cpu backend's results (test/unit/wasm-kernels*).
 * Re-run those tests on every TF.js upgrade: a kernel TF.js starts shipping is skipped, not replaced.
 */
// The package itself, not ../tf (which imports this module at start-up): the same tfjs-core instance.
import * as tf from '@tensorflow/tfjs';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter';
import { useExplicitTranspose } from './matmul-transposed';
import { useSliceView } from './slice-view';

/** A kernel config as `tf.registerKernel` takes it, for the 'wasm' backend. */
export type WasmKernel = tf.KernelConfig;

/** Every kernel this module adds; each file appends its config here (one line each). */
export const KERNELS: readonly WasmKernel[] = [conv2dBackpropFilterKernel, unsortedSegmentSumKernel];

/**
 * Registers every kernel in KERNELS that the WASM backend does not already have, wraps its
 * BatchMatMul so transposed products go through a plain one (./matmul-transposed.ts) and its Slice
 * so a contiguous slice copies only what it keeps (./slice-view.ts). Idempotent.
 * @returns the names registered by this call.
 */
export function registerMissingWasmKernels(): string[] {
  const added: string[] = [];
  for (const kernel of KERNELS) {
    if (tf.getKernel(kernel.kernelName, 'wasm')) continue;
    tf.registerKernel({ ...kernel, backendName: 'wasm' });
    added.push(kernel.kernelName);
  }
  useExplicitTranspose(true);
  useSliceView(true);
  return added;
}
