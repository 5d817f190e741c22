/**
 * Large scoring calls in slices (issue 10, review F3 and reviews 2 and 5): a call of more than about
 * SCORING_SLICE_WORK multiply-adds goes to the scoring thread as several calls, each waiting its
 * turn in the tenants' round-robin (fair-queue.ts), so one tenant's 10,000-row predict, explanation
 * or batch chunk never holds the thread another tenant's call waits for for more than a slice.
 * Used by the API's served versions (src/modules/serving/served-scoring.ts) and by the batch jobs
 * (thread-predictor.ts, src/jobs/batch-images.ts).
 */
import { CALIBRATION_ROWS, type RowCostEstimate } from './row-cost';

/** Scores `rows` rows of `x` (row-major, `[rows, width]`). */
export type ScoreCall = (x: Float32Array, rows: number) => Promise<Float32Array>;

/** Rows per scoring-thread call for a model of `costPerRow` multiply-adds a row (Infinity: unknown cost, or no slicing). */
export function sliceRows(costPerRow: number | undefined, sliceWork: number | undefined): number {
  if (!costPerRow || !sliceWork) return Infinity;
  return Math.max(1, Math.floor(sliceWork / costPerRow));
}

/**
 * Scores `rows` rows of `x` (row-major) in calls of at most `perCall()` rows (asked again before
 * each call: a measured cost may change it), one after another — each call waits its turn on the
 * thread again, so other tenants' calls run between them.
 * @returns the outputs of every row, in order.
 */
export async function inSlices(x: Float32Array, rows: number, perCall: () => number, call: ScoreCall): Promise<Float32Array> {
  const width = x.length / rows;
  const parts: Float32Array[] = [];
  for (let start = 0; start < rows;) {
    const n = Math.min(perCall(), rows - start);
    parts.push(await call(x.slice(start * width, (start + n) * width), n));
    start += n;
  }
  const out = new Float32Array(parts.reduce((t, p) => t + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * `call` sliced: calls of about `sliceWork` multiply-adds, by the family's `knownCost` per row, else
 * by `measured` (which times every call; before its first, a call sends CALIBRATION_ROWS rows).
 * @param knownCost multiply-adds per row when the family can tell (`ModelFamily.costPerRow`).
 * @param sliceWork SCORING_SLICE_WORK; undefined or 0: never sliced.
 * @param measured the version's measured cost, for families that cannot tell theirs.
 */
export function slicedScore(call: ScoreCall, knownCost: number | undefined, sliceWork: number | undefined, measured?: RowCostEstimate): ScoreCall {
  const rowsPerCall = (): number => {
    if (knownCost !== undefined || !measured || !sliceWork) return sliceRows(knownCost, sliceWork);
    const cost = measured.perRow;
    return cost === undefined ? CALIBRATION_ROWS : sliceRows(cost, sliceWork);
  };
  const timed: ScoreCall = measured ? (x, n) => measured.time(n, () => call(x, n)) : call;
  return (x, rows) => (rows > rowsPerCall() ? inSlices(x, rows, rowsPerCall, timed) : timed(x, rows));
}
