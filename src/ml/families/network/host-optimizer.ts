/**
 * Optimizer updates done on the host, one pass over each variable's values, instead of tfjs-core's
 * optimizers. Adam: tfjs-core's AdamOptimizer which spends ~18 backend kernels per variable per step (mul, add, square, div,
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

/** An optimizer's state and update for one training run's variables, on the host. */
export interface HostOptimizer {
  /**
   * Applies one step to `variables` (assigned new values) from `grads` (by variable name). The
   * caller owns `grads`; call inside a `tf.tidy` so the new values' temporaries are freed.
   */
  apply(variables: tf.Variable[], grads: tf.NamedTensorMap): void;
  /**
   * Updates the values `w` of the variable `name` in place from its gradient `g` (same length),
   * for this step; {@link advance} ends the step once every variable had its update.
   */
  step(name: string, w: Float32Array, g: ArrayLike<number>): void;
  /** Ends a step. */
  advance(): void;
}

/** Applies `host`'s step to tensors: each variable read, updated on the host, assigned. */
function applyOnHost(host: HostOptimizer, variables: tf.Variable[], grads: tf.NamedTensorMap): void {
  for (const variable of variables) {
    const gradient = grads[variable.name];
    if (!gradient) continue;
    const w = Float32Array.from(variable.dataSync() as Float32Array);
    host.step(variable.name, w, gradient.dataSync() as Float32Array);
    variable.assign(tf.tensor(w, variable.shape));
  }
  host.advance();
}

/**
 * Plain stochastic gradient descent, tfjs-core's SGDOptimizer: w ← w − lr·g. Momentum and the
 * other optimizers keep tfjs' own.
 */
export class HostSgd implements HostOptimizer {
  constructor(private readonly learningRate: number) {}

  apply(variables: tf.Variable[], grads: tf.NamedTensorMap): void {
    applyOnHost(this, variables, grads);
  }

  step(_name: string, w: Float32Array, g: ArrayLike<number>): void {
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - this.learningRate * g[i]!;
  }

  advance(): void {}
}

/** Adam state and its update for one training run's variables. */
export class HostAdam implements HostOptimizer {
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  /** β1ᵗ and β2ᵗ for the coming step (t from 1). */
  private accBeta1: number;
  private accBeta2: number;

  constructor(private readonly config: AdamConfig) {
    this.accBeta1 = config.beta1;
    this.accBeta2 = config.beta2;
  }

  apply(variables: tf.Variable[], grads: tf.NamedTensorMap): void {
    applyOnHost(this, variables, grads);
  }

  step(name: string, w: Float32Array, g: ArrayLike<number>): void {
    const { learningRate, beta1, beta2, epsilon } = this.config;
    const [c1, c2] = [1 - this.accBeta1, 1 - this.accBeta2];
    let slot = this.moments.get(name);
    if (!slot) this.moments.set(name, (slot = { m: new Float32Array(w.length), v: new Float32Array(w.length) }));
    const { m, v } = slot;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]!;
      const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * gi);
      const vi = (v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi);
      w[i] = w[i]! - (learningRate * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
    }
  }

  /** Ends a step: the bias corrections move on to the next one. */
  advance(): void {
    this.accBeta1 *= this.config.beta1;
    this.accBeta2 *= this.config.beta2;
  }
}

/**
 * Networks of more weights than this keep tfjs' optimizers: there the kernels' fixed costs are small next
 * to their work, which WASM does with SIMD, and a host pass over every weight is not cheaper
 * (measured on the 3×256 MLP, 133k weights: equal or slower).
 */
export const MAX_HOST_OPTIMIZER_WEIGHTS = 16_384;

/**
 * The host's update for `optimizer` when it is tfjs' Adam or plain SGD and `weights` (trainable
 * values in all) are at most MAX_HOST_OPTIMIZER_WEIGHTS, else undefined (the optimizer applies its
 * own steps).
 */
export function hostOptimizerFor(optimizer: tf.Optimizer, weights: number): HostOptimizer | undefined {
  if (weights > MAX_HOST_OPTIMIZER_WEIGHTS) return undefined;
  // Not `instanceof tf.AdamOptimizer`: tfjs' Optimizer answers instanceof for any optimizer (duck-typed Symbol.hasInstance).
  const name = optimizer.getClassName();
  if (name === 'Adam') return new HostAdam(optimizer.getConfig() as unknown as AdamConfig);
  if (name === 'SGD') return new HostSgd((optimizer.getConfig() as { learningRate: number }).learningRate);
  return undefined;
}
