/**
 * Where a training run's time goes, phase by phase, from the queue to its FINAL event: observed by
 * the training job (src/jobs/training-run.job.ts) and, in an API process, recorded in the
 * `maas_training_phase_seconds` histogram (src/app.ts; `npm run bench` reads it). Phases of one run
 * follow each other, except `epochs`, the epoch writes still pending once the fit has returned.
 */

/** A phase of a training run (see bench/training.ts for what each covers). */
export type RunPhase = 'pickup' | 'claim' | 'load' | 'data' | 'thread' | 'prepare' | 'fit' | 'evaluate' | 'epochs' | 'publish' | 'final';

/** Receives each phase's duration, ms. */
export type PhaseObserver = (phase: RunPhase, ms: number) => void;

/** A stopwatch that reports each lap as a phase. */
export class PhaseClock {
  private last = performance.now();
  constructor(private readonly observe: PhaseObserver = () => undefined) {}

  /** Reports the time since the previous lap (or the clock's start) as `phase`. @returns that time, ms. */
  lap(phase: RunPhase): number {
    const ms = this.split();
    this.observe(phase, ms);
    return ms;
  }

  /** The time since the previous lap, ms, starting the next one without reporting it. */
  split(): number {
    const now = performance.now();
    const ms = now - this.last;
    this.last = now;
    return ms;
  }

  /** Reports a duration measured elsewhere (the thread's phases), without moving the lap. */
  report(phase: RunPhase, ms: number): void {
    this.observe(phase, ms);
  }
}
