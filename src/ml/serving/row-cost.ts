/**
 * A served version's scoring cost per row, learned from its own calls, for families that cannot
 * compute it from the artifact (text and convolutional networks; dense networks and trees tell
 * theirs: `ModelFamily.costPerRow`). It slices large scoring calls on a scoring thread, so one
 * tenant's large predict does not hold the thread for the others (issue 10, review 2), and bounds
 * explanations (explain.service.ts).
 */

/** Rows of the first call of a version of unknown cost: the first slice of a large call, or the calibration call of rowCost. */
export const CALIBRATION_ROWS = 16;

/**
 * The lowest cost per row seen, in nanoseconds of wall time per row, counted as one multiply-add a
 * nanosecond (the unit of SCORING_SLICE_WORK and MAX_EXPLAIN_*_WORK). Each call's time includes its
 * wait for the thread, so a busy thread makes one observation too high; the minimum over calls
 * comes down to the model's own cost as soon as one call runs unqueued.
 */
export class RowCostEstimate {
  private best?: number;

  /** The estimate, ns per row; undefined before the first call. */
  get perRow(): number | undefined {
    return this.best;
  }

  /**
   * Records a call of `rows` rows that took `ms` milliseconds, wall time. A call of fewer than
   * CALIBRATION_ROWS rows is not counted: its fixed cost (the hand-over to the thread) over one row
   * made a text model's row cost 13 ms under load, and its explanations were refused.
   */
  observe(rows: number, ms: number): void {
    if (rows < CALIBRATION_ROWS || !Number.isFinite(ms)) return;
    const ns = Math.max(1, Math.round((ms * 1e6) / rows));
    this.best = this.best === undefined ? ns : Math.min(this.best, ns);
  }

  /** Runs `call` of `rows` rows and records its time. @returns what `call` returns. */
  async time<T>(rows: number, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const out = await call();
    this.observe(rows, performance.now() - started);
    return out;
  }
}
