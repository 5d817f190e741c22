/**
 * Permutation importance of a fitted model's inputs (Breiman 2001, "Random Forests", §10; the
 * model-agnostic form of scikit-learn's `sklearn.inspection.permutation_importance`): for each model
 * input, its column of the held-out rows is shuffled `repeats` times, and the importance is the mean
 * drop of the task's main test metric — accuracy for classification, R² for regression, what
 * scikit-learn's estimators' `score` gives — from the unshuffled rows' value. A drop near 0 (or
 * below: chance) says the model does not rely on the input.
 *
 * Shuffles follow scikit-learn 1.2's `_calculate_permutation_scores`: one index array per input,
 * shuffled in place at every repeat with a generator seeded the same for every input, and applied to
 * the column as shuffled so far (repeat r's column is the composition of r shuffles). The standard
 * deviation over the repeats is the population one (numpy's default, as `importances_std`).
 *
 * Cost is bounded: at most {@link PERMUTATION_LIMITS}.maxRows held-out rows, and rows · inputs ·
 * repeats · model weights (multiply-adds, one forward pass a row) at most `maxWork`; past that the
 * rows are cut, and below `minRows` rows nothing is computed.
 */
import { evaluate } from './evaluate';
import type { Scorer } from './families/model-family';
import { rng } from './random';
import type { Task } from './task';

/** Bounds of one computation (see the module comment). */
export interface PermutationLimits {
  repeats: number;
  maxRows: number;
  minRows: number;
  maxWork: number;
}

/** The bounds applied in training. */
export const PERMUTATION_LIMITS: Readonly<PermutationLimits> = Object.freeze({
  /** Shuffles per input (scikit-learn's default n_repeats). */
  repeats: 5,
  /** Held-out rows used at most: the first ones of the test split (itself drawn at random). */
  maxRows: 1000,
  /** Fewest rows worth a value; with fewer test rows, all of them. */
  minRows: 50,
  /** rows · inputs · repeats · weights at most: ~2 s at the 1e9 multiply-adds a second TF.js WASM does here (src/ml/run-time.ts). */
  maxWork: 2e9,
});

/** The held-out rows: x row-major [rows, inputs]; y [rows], class index or value. */
export interface HeldOut {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

export interface PermutationOptions {
  /** Seeds the shuffles. */
  seed: number;
  /** Multiply-adds of one forward pass of one row (a network: about its weight count). (Default: 1) */
  weights?: number;
  /** Overrides {@link PERMUTATION_LIMITS}. */
  limits?: Partial<PermutationLimits>;
  /**
   * Where each position of input `input`'s column reads its value at `repeat` (0-based): row
   * indexes into the rows used. (Default: scikit-learn's cumulative seeded shuffles, above.)
   * Tests pass scikit-learn's own orders to compare values exactly.
   */
  order?: (input: number, repeat: number, rows: number) => Int32Array;
}

/** Each input's importance, and how it was measured. */
export interface PermutationImportance {
  /** The metric whose drop is measured: 'accuracy' (classification) or 'r2' (regression). */
  metric: 'accuracy' | 'r2';
  /** The metric on the unshuffled rows used. */
  baseline: number;
  /** Held-out rows used, and shuffles per input. */
  rows: number;
  repeats: number;
  /** Per input, in input order: the mean drop of the metric, and its standard deviation over the repeats. */
  mean: number[];
  std: number[];
}

/** scikit-learn's orders: per input, the same seeded generator; an index array shuffled in place (Fisher–Yates) each repeat, composed with the orders before. */
function sklearnOrders(seed: number): (input: number, repeat: number, rows: number) => Int32Array {
  let input = -1;
  let random = rng(seed);
  let idx = new Int32Array(0);
  let order = new Int32Array(0);
  return (j, repeat, rows) => {
    if (j !== input || repeat === 0) {
      input = j;
      random = rng(seed);
      idx = Int32Array.from({ length: rows }, (_, i) => i);
      order = Int32Array.from(idx);
    }
    for (let i = rows - 1; i > 0; i--) {
      const k = Math.floor(random() * (i + 1));
      [idx[i], idx[k]] = [idx[k], idx[i]];
    }
    // The column as shuffled so far, read at idx: position i now holds what position idx[i] held.
    order = Int32Array.from(idx, (k) => order[k]);
    return order;
  };
}

/**
 * Permutation importance of each model input of `scorer` on `heldOut` (see the module comment).
 * @param inputs model inputs per row (the scorer's `inputShape[0]`).
 * @param classes the target's classes (classification), for `evaluate`.
 * @returns undefined when the bounds leave fewer than `minRows` rows (or no rows at all).
 * @throws AppError NON_FINITE_OUTPUT when the model answers NaN or ±Infinity for shuffled rows (as `evaluate`).
 */
export function permutationImportance(
  scorer: Scorer,
  heldOut: HeldOut,
  inputs: number,
  task: Task,
  classes: string[] | undefined,
  options: PermutationOptions,
): PermutationImportance | undefined {
  const limits = { ...PERMUTATION_LIMITS, ...options.limits };
  const { repeats } = limits;
  const affordable = Math.floor(limits.maxWork / (inputs * repeats * Math.max(1, options.weights ?? 1)));
  const rows = Math.min(heldOut.rows, limits.maxRows, affordable);
  if (rows === 0 || rows < Math.min(heldOut.rows, limits.minRows)) return undefined;
  const metric = task === 'regression' ? 'r2' : 'accuracy';
  const x = heldOut.x.subarray(0, rows * inputs);
  const y = heldOut.y.subarray(0, rows);
  const score = (outputs: Float32Array) => evaluate(task, outputs, y, rows, classes)[metric] ?? 0;
  const baseline = score(scorer.score(x, rows));
  const order = options.order ?? sklearnOrders(options.seed);
  // Every repeat's copy of the rows, one scorer call per input: [repeats · rows, inputs].
  const tiled = new Float32Array(repeats * rows * inputs);
  for (let r = 0; r < repeats; r++) tiled.set(x, r * rows * inputs);
  const units = scorer.outputShape.reduce((a, b) => a * b, 1);
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < inputs; j++) {
    for (let r = 0; r < repeats; r++) {
      const from = order(j, r, rows);
      const base = r * rows * inputs;
      for (let i = 0; i < rows; i++) tiled[base + i * inputs + j] = x[from[i] * inputs + j];
    }
    const outputs = scorer.score(tiled, repeats * rows);
    const drops = Array.from({ length: repeats }, (_, r) => baseline - score(outputs.subarray(r * rows * units, (r + 1) * rows * units)));
    const m = drops.reduce((s, d) => s + d, 0) / repeats;
    // Accuracy drops are multiples of 1/rows: their float sum leaves residues like -2.2e-17 for an
    // input that never changed a prediction, which read as a (tiny) importance. Rounded to 1e-12.
    mean.push(Math.round(m * 1e12) / 1e12);
    std.push(Math.sqrt(drops.reduce((s, d) => s + (d - m) ** 2, 0) / repeats));
    for (let r = 0; r < repeats; r++) for (let i = 0; i < rows; i++) tiled[r * rows * inputs + i * inputs + j] = x[i * inputs + j];
  }
  return { metric, baseline, rows, repeats, mean, std };
}
