/**
 * The one TensorFlow.js instance every module uses, and backend selection.
 *
 * Order of preference: the native `@tensorflow/tfjs-node` ("tensorflow") when it is installed
 * (an optionalDependency: it needs libtensorflow, downloaded by its install script), then WASM
 * (SIMD, single-threaded in Node), then the pure-JS "cpu" backend.
 */
import * as tf from '@tensorflow/tfjs';
import { registerMissingWasmKernels } from './tfjs-kernels';

export { tf };

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let ready: Promise<BackendName> | undefined;

/**
 * Picks and initialises the backend once per process; later calls return the same promise.
 * @param preferred force one backend (TF_BACKEND); falls back down the list if it cannot start.
 */
export function initBackend(preferred?: BackendName): Promise<BackendName> {
  ready ??= choose(preferred);
  return ready;
}

/** The active backend's name ('tensorflow', 'wasm' or 'cpu'). */
export function activeBackend(): string {
  return tf.getBackend();
}

async function choose(preferred?: BackendName): Promise<BackendName> {
  const order: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
  const candidates = preferred ? [preferred, ...order.filter((b) => b !== preferred)] : order;
  for (const name of candidates) {
    if (await tryBackend(name)) return name;
  }
  throw new Error('No TensorFlow.js backend could be initialised');
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      // Registers the native backend on this same tfjs-core instance when the addon is present.
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      require('@tensorflow/tfjs-backend-wasm');
      registerMissingWasmKernels();
    }
    // setBackend resolves false (rather than throwing) when initialisation fails; check it.
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}
