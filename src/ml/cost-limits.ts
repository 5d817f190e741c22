/**
 * Bounds on what one training run may cost, checked before it is queued (startTrainingRun, from
 * the dataset's profile) and again on the training thread (from the prepared data), so a spec
 * whose layers are each within the per-field caps (src/ml/spec-types.ts LIMITS) but whose total is
 * huge cannot grow a training runtime to gigabytes. The API applies them per tenant as quotas
 * (src/modules/quotas/, TRAINING_MAX_* in src/config.ts); these are the defaults.
 */

/** Per-run cost limits of a network training run. */
export interface CostLimits {
  /** Weights of the network (kernels, biases, batch normalisation). */
  maxParameters: number;
  /** Activations of one batch: batchSize × (inputs + Σ layer widths). */
  maxActivations: number;
  /** Estimated peak memory of the run, bytes (see {@link estimateNetworkMemory} in network/cost.ts). */
  maxMemoryBytes: number;
  /** Weights · training rows · epochs: one forward and backward pass per weight, row and epoch. */
  maxWork: number;
  /**
   * Wall-clock seconds one run may train (every family): a run estimated past twice this is
   * refused at start (src/ml/run-time.ts), and a running one is ended when it passes it
   * (src/jobs/run-supervisor.ts, failureCode TIME_LIMIT_EXCEEDED).
   */
  maxRunSeconds: number;
}

/**
 * The defaults, derived from what the WASM backend trains here (notes/tfjs.md: about 1e9
 * weight·rows a second, a 3×256 MLP on 64 inputs has ~150k weights):
 * - maxParameters 5,000,000: 30× that MLP; 20 MB of float32 weights, 80 MB with gradients and
 *   Adam's two moments. One epoch over 10k rows is about a minute.
 * - maxActivations 2^22 (4,194,304): e.g. a batch of 1,024 through 4,096 units in all; 48 MB at
 *   12 bytes each (output, pre-activation and gradient, float32).
 * - maxMemoryBytes 512 MiB: what the two above and a 50 MiB upload's tensors need, with room; well
 *   under the 2–4 GiB a wasm32 memory can reach, where the module aborts.
 * - maxWork 1e12: about a quarter of an hour at 1e9 a second.
 * - maxRunSeconds 3600: an hour of one training slot; a run of the reference job takes about a
 *   second, and the longest runs the work limits allow take minutes.
 */
export const DEFAULT_COST_LIMITS: Readonly<CostLimits> = Object.freeze({
  maxParameters: 5_000_000,
  maxActivations: 2 ** 22,
  maxMemoryBytes: 512 * 1024 ** 2,
  maxWork: 1e12,
  maxRunSeconds: 3600,
});

/** The largest time limit per run, seconds (7 days): also well inside a Node.js timer's range (2^31 − 1 ms, ~24.8 days). */
export const MAX_RUN_SECONDS_CAP = 604_800;
