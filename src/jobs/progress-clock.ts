/**
 * The pace of one training run, for the ETA its progress events carry, and how often step events
 * (a forest's trees, which can come thousands a second) are published.
 */

/** At most one step event per this many ms (the last step always goes out). */
const STEP_EVENT_INTERVAL_MS = 250;

export class ProgressClock {
  private readonly started: number;
  private lastStepEvent = -Infinity;

  /** @param now the clock, ms (tests pass their own). (Default: Date.now) */
  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
  }

  /**
   * Seconds left at the pace so far: elapsed / done × (total − done), since the run started on this
   * worker (data preparation included, so early estimates run high), to 0.1 s.
   * @returns null when `done` or `total` is unknown or not positive; 0 once done ≥ total.
   */
  etaSeconds(done: number | undefined, total: number | undefined): number | null {
    if (!done || !total || done <= 0 || total <= 0) return null;
    if (done >= total) return 0;
    return Math.round(((this.now() - this.started) / done) * (total - done)) / 1000;
  }

  /** Whether step `step` of `steps` should be published now (throttled; the last one always is). */
  stepDue(step: number, steps: number): boolean {
    const t = this.now();
    if (step < steps && t - this.lastStepEvent < STEP_EVENT_INTERVAL_MS) return false;
    this.lastStepEvent = t;
    return true;
  }
}
