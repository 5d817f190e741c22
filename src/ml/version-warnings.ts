/**
 * Warnings stored on a model version (`ModelVersion.warnings`) when the model is degenerate or its
 * loss does not fit its target. Each warning is `CODE: message`, the code one of
 * {@link VersionWarningCode}, so clients can match on it.
 *
 * A regression loss on a 0/1 target is a warning, not a refusal: a linear probability model is
 * sometimes wanted, and the spec has no separate `task` for networks (the loss implies it), so
 * refusing would leave no way to ask for it. The warning names the classification loss to choose.
 */
import type { EvaluationMetrics } from './evaluate';

/** The kinds of warning. */
export type VersionWarningCode = 'CONSTANT_PREDICTIONS' | 'CHANCE_AUC' | 'NEGATIVE_R2' | 'LOSS_TARGET_MISMATCH';

/** How close to 0.5 a ROC AUC counts as chance. */
export const CHANCE_AUC_MARGIN = 0.02;
/** Outputs whose range over the test split is below this are constant (float32 noise is ~1e-7). */
const CONSTANT_SPREAD = 1e-6;

/** What the warnings need from the test outputs and training labels (small, structured-cloneable). */
export interface OutputSummary {
  /** The largest, over output units, of max − min over the test rows; 0 when every row got the same outputs. */
  spread: number;
  /** Rows scored. */
  rows: number;
  /** Whether the training labels are all 0 or 1, both present (meaningful for regression targets). */
  zeroOneTarget: boolean;
}

/**
 * @param outputs model outputs on the test split, row-major `[rows, units]`.
 * @param units outputs per row (1 for binary and regression, #classes for multiclass).
 * @param trainY training labels `[rows]` in the target's own units.
 */
export function summarizeOutputs(outputs: Float32Array, units: number, trainY: Float32Array): OutputSummary {
  const rows = Math.floor(outputs.length / Math.max(1, units));
  let spread = 0;
  for (let u = 0; u < units; u++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < rows; r++) {
      const v = outputs[r * units + u];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (rows > 0) spread = Math.max(spread, hi - lo);
  }
  let zeros = 0;
  let ones = 0;
  for (const v of trainY) {
    if (v === 0) zeros++;
    else if (v === 1) ones++;
  }
  return { spread, rows, zeroOneTarget: zeros > 0 && ones > 0 && zeros + ones === trainY.length };
}

const round = (v: number) => Number(v.toFixed(4));

/**
 * The warnings of a trained model, in a fixed order.
 * @param loss the spec's loss (networks); undefined for families without one (trees).
 */
export function versionWarnings(metrics: EvaluationMetrics, outputs: OutputSummary | undefined, loss: string | undefined): string[] {
  const out: string[] = [];
  if (outputs && outputs.rows > 1 && outputs.spread < CONSTANT_SPREAD) {
    out.push('CONSTANT_PREDICTIONS: the model gives every test row the same output; it has learned nothing from the features');
  }
  // + 1e-12: 0.52 − 0.5 is 0.020000000000000018 in floating point, and 0.52 is meant to count.
  if (metrics.rocAuc !== undefined && Math.abs(metrics.rocAuc - 0.5) <= CHANCE_AUC_MARGIN + 1e-12) {
    out.push(`CHANCE_AUC: test ROC AUC ${round(metrics.rocAuc)} is within ${CHANCE_AUC_MARGIN} of 0.5, no better than chance`);
  }
  if (metrics.r2 !== undefined && metrics.r2 < 0) {
    out.push(`NEGATIVE_R2: test R² ${round(metrics.r2)} is below 0, worse than predicting the mean`);
  }
  if (metrics.task === 'regression' && outputs?.zeroOneTarget) {
    const lossText = loss ? `loss ${loss.toUpperCase()}` : 'a regression';
    out.push(
      `LOSS_TARGET_MISMATCH: the target holds only 0 and 1 but ${lossText} trains a regression; for a classifier choose loss BINARY_CROSSENTROPY with a SIGMOID output (trees: task BINARY)`,
    );
  }
  return out;
}
