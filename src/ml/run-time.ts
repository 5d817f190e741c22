/**
 * How long a training run will take, estimated before it is queued, so startTrainingRun refuses a
 * run that could never finish within its wall-clock limit (TRAINING_MAX_RUN_SECONDS, per tenant
 * `trainingMaxRunSeconds`) instead of letting it hold a training slot until the supervisor ends it
 * (src/jobs/run-supervisor.ts). Each trainable family gives its estimate (ModelFamily.estimateRunTime)
 * from the formulas here: work ÷ a throughput measured on this machine + fixed costs per batch and
 * per run. The estimate is rough (within a few times either way: the machine's load moves it as
 * much), which is why only runs estimated past twice the limit are refused.
 *
 * Calibration: `node -r ./test/support/ts-register.cjs bench/run-time-calibration.ts` trains
 * synthetic CSVs end to end (parse, preprocessing, fit, test metrics) on one thread with the WASM
 * backend and prints wall-clock and CPU seconds beside the estimate. The rates are per CPU second,
 * i.e. what a run gets on a core of its own, so the estimate is about right on a quiet machine and
 * a lower bound on a busy one: a refused run would not finish in time even alone. Measured
 * 2026-12-06 on this project's 2-core machine (load average 13 from other jobs: wall clock was
 * 3.3× the CPU time):
 * - dense networks: 16-256-256-1 (batch 64, 3 epochs, 2.0e9 multiply-adds) 2.5 CPU s, 16-512-512-1
 *   (batch 256, 2 epochs, 5.2e9) 5.3 CPU s: 0.8e9–1e9 multiply-adds a second, hence 1e9 (3
 *   multiply-adds per weight and training row: the forward pass, and the backward pass for the
 *   inputs and for the weights);
 * - a batch costs ≈ 1.2–1.5 ms besides its arithmetic (kernel dispatch, the optimizer step,
 *   callbacks): a 16-10-1 network trained 1,600 batches of 1 row, or 2,000 of 32 rows, in 2.5 CPU s;
 *   hence 1 ms;
 * - convolutions run faster per multiply-add than dense layers: BENCHMARKS.md's MNIST CNN trains
 *   470 images a second (1.2e6 forward multiply-adds each: 1.6e9 a second), so the estimate errs
 *   long for CNNs by about 1.6× (8,000 images × 5 epochs: estimated 138 s, ≈ 85 s measured);
 * - trees: 30 forest trees of depth 10, or 100 boosting rounds (5 levels), on 16,000 rows × 16
 *   inputs in 1.3 CPU s each: 1e8–1.4e8 visits a second as counted in {@link treeRunTime}, hence 1e8;
 * - matrix factorisation: BENCHMARKS.md's 4.1 M ratings a second at 50 factors, 2e8 rating·factor
 *   updates a second.
 * A busy machine is several times slower (the supervisor's wall-clock limit still ends such a run),
 * tfjs-node faster than WASM (there the estimate errs long). Parsing the CSV is not counted: it is
 * seconds for the largest uploads, small beside runs near an hour.
 */
import { AppError } from '../lib/errors';
import type { DataShape, ModelFamily, RunTimeEstimate } from './families/model-family';
import type { TrainingSpec } from './spec-types';

export type { RunTimeEstimate };

/** The measured throughputs (see the module comment). */
export const RUN_TIME_RATES = Object.freeze({
  /** TF.js (WASM) multiply-adds a second while training a network. */
  tfjsMultiplyAddsPerSecond: 1e9,
  /** Fixed seconds per training batch, besides its arithmetic. */
  batchSeconds: 1e-3,
  /** Histogram tree learner: row · (inputs + {@link TREE_ROW_OVERHEAD}) visits a second, per tree level. */
  treeVisitsPerSecond: 1e8,
  /** Matrix factorisation: rating · factor SGD updates a second. */
  mfUpdatesPerSecond: 2e8,
  /** Fixed seconds per run: the thread hop, parsing a small CSV, test metrics, storing the version. */
  runSeconds: 0.5,
});

/** Per-row cost of a tree level besides its inputs' histograms (partitioning, gradients), in input visits. */
const TREE_ROW_OVERHEAD = 8;

/** Runs estimated past this many times their limit are refused at start. */
export const RUN_TIME_REFUSAL_FACTOR = 2;

const sci = (n: number) => (n < 1000 ? String(Math.round(n)) : n.toExponential(1));

/**
 * A TF.js network's estimate.
 * @param work multiply-adds of one forward pass over the training rows for all epochs (dense:
 *   weights · rows · epochs, as the families' cost functions give it); training costs 3× that.
 * @param shape rows are the training rows. spec.epochs and spec.batchSize give the batches.
 */
export function networkRunTime(work: number, spec: TrainingSpec, shape: DataShape): RunTimeEstimate {
  const r = RUN_TIME_RATES;
  const multiplyAdds = 3 * work;
  const batches = Math.ceil(shape.rows / spec.batchSize) * spec.epochs;
  const seconds = multiplyAdds / r.tfjsMultiplyAddsPerSecond + batches * r.batchSeconds + r.runSeconds;
  return { seconds, basis: `${sci(multiplyAdds)} multiply-adds at ${sci(r.tfjsMultiplyAddsPerSecond)}/s + ${batches} batches at ${r.batchSeconds * 1000} ms + ${r.runSeconds} s` };
}

/**
 * A tree run's estimate: every tree visits each training row once per level for each input (the
 * histograms) plus a fixed per-row cost; levels are bounded by spec.tree.maxDepth,
 * log2(maxLeafNodes) and log2(rows / minSamplesLeaf).
 * @param trees the trees the fit grows (boosting rounds × classes for multiclass boosting).
 */
export function treeRunTime(spec: TrainingSpec, shape: DataShape, trees: number): RunTimeEstimate {
  const r = RUN_TIME_RATES;
  const t = spec.tree!;
  const inputs = shape.inputs ?? shape.featureColumns;
  const levels = Math.max(
    1,
    Math.min(t.maxDepth ?? Infinity, t.maxLeafNodes != null ? Math.ceil(Math.log2(t.maxLeafNodes)) : Infinity, Math.ceil(Math.log2(Math.max(2, shape.rows / t.minSamplesLeaf)))),
  );
  const visits = trees * levels * shape.rows * (inputs + TREE_ROW_OVERHEAD);
  const seconds = visits / r.treeVisitsPerSecond + r.runSeconds;
  return {
    seconds,
    basis: `${trees} tree(s) × ${levels} levels × ${shape.rows} rows × (${inputs} inputs + ${TREE_ROW_OVERHEAD}) = ${sci(visits)} visits at ${sci(r.treeVisitsPerSecond)}/s + ${r.runSeconds} s`,
  };
}

/** A matrix factorisation's estimate: ratings × factors × epochs SGD updates. */
export function mfRunTime(spec: TrainingSpec, shape: DataShape): RunTimeEstimate {
  const r = RUN_TIME_RATES;
  const updates = shape.rows * spec.matrixFactorization!.factors * spec.epochs;
  return { seconds: updates / r.mfUpdatesPerSecond + r.runSeconds, basis: `${sci(updates)} rating·factor updates at ${sci(r.mfUpdatesPerSecond)}/s + ${r.runSeconds} s` };
}

/** The family's estimate of the run, or undefined for a family that gives none. */
export function estimateRunTime(family: ModelFamily, spec: TrainingSpec, shape: DataShape): RunTimeEstimate | undefined {
  return family.estimateRunTime?.(spec, shape);
}

/**
 * Refuses a run estimated past {@link RUN_TIME_REFUSAL_FACTOR} × its time limit.
 * @param maxRunSeconds the tenant's wall-clock limit per run, seconds.
 * @throws AppError QUOTA_EXCEEDED stating the estimate and the limit (details: reason
 *   'RUN_TIME_LIMIT', quota 'maxRunSeconds', estimateSeconds, limit). Not retryable by waiting.
 */
export function checkRunTime(kind: string, estimate: RunTimeEstimate | undefined, maxRunSeconds: number): void {
  if (!estimate || estimate.seconds <= RUN_TIME_REFUSAL_FACTOR * maxRunSeconds) return;
  const estimateSeconds = Math.ceil(estimate.seconds);
  throw new AppError(
    'QUOTA_EXCEEDED',
    `This ${kind.toUpperCase()} run is estimated to take about ${estimateSeconds} s (${estimate.basis}); the time limit is ${maxRunSeconds} s per run (TRAINING_MAX_RUN_SECONDS, or the tenant's trainingMaxRunSeconds), and runs estimated past ${RUN_TIME_REFUSAL_FACTOR}× the limit are refused: use fewer epochs or trees, a larger spec.batchSize, a smaller model or fewer rows`,
    { reason: 'RUN_TIME_LIMIT', quota: 'maxRunSeconds', estimateSeconds, limit: maxRunSeconds },
  );
}
