/**
 * Adam's update done on the host, one pass over each variable's values, instead of tfjs-core's
 * AdamOptimizer, which spends ~18 backend kernels per variable per step (mul, add, square, div,
 * sqrt …). On a small network those kernels' fixed costs are most of a training step; here each
 * variable costs one read of its gradient and values and one write (BENCHMARKS.md, "Tabular training
 * against PyTorch"). Same formula and defaults as tfjs-core's AdamOptimizer (Kingma & Ba 2015,
 * with tfjs' placement of epsilon):
 *
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,
 *   w ← w − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
 *
 * computed in double precision and stored as float32. The moments live in Float32Arrays, by
 * variable name: no tensor to dispose.
 */
import { tf } from '../../tf';

/** An Adam optimizer's settings, as tfjs' `AdamOptimizer.getConfig()` gives them. */
interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Adam state and its update for one training run's variables. */
export class HostAdam {
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  /** β1ᵗ and β2ᵗ for the coming step (t from 1). */
  private accBeta1: number;
  private accBeta2: number;

  constructor(private readonly config: AdamConfig) {
    this.accBeta1 = config.beta1;
    this.accBeta2 = config.beta2;
  }

  /**
   * Applies one step to `variables` (assigned new values) from `grads` (by variable name). The
   * caller owns `grads`; call inside a `tf.tidy` so the new values' temporaries are freed.
   */
  apply(variables: tf.Variable[], grads: tf.NamedTensorMap): void {
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const [c1, c2] = [1 - this.accBeta1, 1 - this.accBeta2];
    for (const variable of variables) {
      const gradient = grads[variable.name];
      if (!gradient) continue;
      const g = gradient.dataSync() as Float32Array;
      const w = Float32Array.from(variable.dataSync() as Float32Array);
      let slot = this.moments.get(variable.name);
      if (!slot) this.moments.set(variable.name, (slot = { m: new Float32Array(w.length), v: new Float32Array(w.length) }));
      const { m, v } = slot;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * gi);
        const vi = (v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi);
        w[i] = w[i]! - (learningRate * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
      }
      variable.assign(tf.tensor(w, variable.shape));
    }
    this.accBeta1 *= beta1;
    this.accBeta2 *= beta2;
  }
}

/**
 * Networks of more weights than this keep tfjs' Adam: there the kernels' fixed costs are small next
 * to their work, which WASM does with SIMD, and a host pass over every weight is not cheaper
 * (measured on the 3×256 MLP, 133k weights: equal or slower).
 */
export const MAX_HOST_ADAM_WEIGHTS = 16_384;

/**
 * A HostAdam for `optimizer` when it is tfjs' Adam and `weights` (trainable values in all) are at
 * most MAX_HOST_ADAM_WEIGHTS, else undefined (the optimizer applies its own steps).
 */
export function hostAdamFor(optimizer: tf.Optimizer, weights: number): HostAdam | undefined {
  if (weights > MAX_HOST_ADAM_WEIGHTS) return undefined;
  // Not `instanceof tf.AdamOptimizer`: tfjs' Optimizer answers instanceof for any optimizer (duck-typed Symbol.hasInstance).
  return optimizer.getClassName() === 'Adam' ? new HostAdam(optimizer.getConfig() as unknown as AdamConfig) : undefined;
}
