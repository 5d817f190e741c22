/**
 * Puts a wrapper in place of one of the WASM backend's own kernels and can put the stock kernel
 * back: for kernels the backend has but runs slowly (./matmul-transposed.ts, ./slice-view.ts). The
 * stock config's setupFunc is kept, since it binds the WASM function the stock kernelFunc calls.
 */
import * as tf from '@tensorflow/tfjs';

/** One wrapped kernel: its switch, and the stock kernel the wrapper falls back to. */
export interface KernelWrapper {
  /**
   * Registers the wrapper (`on`) or the stock kernel (`!on`) for 'wasm'. Idempotent; does nothing
   * before the WASM backend is loaded.
   * @returns whether the wrapper is registered after the call.
   */
  use(on: boolean): boolean;
  /** The stock kernel function, for the wrapper's fallback path (set once the wrapper is registered). */
  stock: tf.KernelFunc;
}

/** A switch for `wrapper` in place of the WASM backend's `kernelName`. */
export function kernelWrapper(kernelName: string, wrapper: tf.KernelFunc): KernelWrapper {
  let stockConfig: tf.KernelConfig | undefined;
  const self: KernelWrapper = {
    stock: (args) => stockConfig!.kernelFunc(args),
    use(on) {
      const current = tf.getKernel(kernelName, 'wasm');
      if (!current) return false;
      const wrapped = current.kernelFunc === wrapper;
      if (on === wrapped) return on;
      tf.unregisterKernel(kernelName, 'wasm');
      if (on) {
        stockConfig = current;
        tf.registerKernel({ ...current, kernelFunc: wrapper });
      } else tf.registerKernel(stockConfig!);
      return on;
    },
  };
  return self;
}
