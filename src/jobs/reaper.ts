/**
 * Finds RUNNING training runs whose lease lapsed (their worker died or hung) and hands them back
 * to the queue, or marks them FAILED (code WORKER_LOST) once they used every attempt, publishing
 * the FINAL event (TrainingRunLifecycle.reap). Runs in every worker process; the UPDATEs make
 * concurrent reapers harmless.
 */
import type { Logger } from '../lib/logger';
import type { TrainingRunLifecycle } from '../modules/training/run-lifecycle';

/** What a reaper needs. */
export interface ReaperOptions {
  lifecycle: TrainingRunLifecycle;
  log: Logger;
  /** Lease length, ms; the reaper looks every third of it. */
  leaseMs: number;
  /** Attempts after which a lost run fails instead of being retried. */
  maxAttempts: number;
}

/** One pass. @returns the ids handed back and failed. */
export async function reapOnce(o: ReaperOptions): Promise<{ requeued: string[]; failed: string[] }> {
  const { requeued, failed } = await o.lifecycle.reap(o.maxAttempts);
  if (failed.length || requeued.length) o.log.warn({ requeued, failed }, 'reaped training runs with lapsed leases');
  return { requeued, failed };
}

/** Starts periodic passes. @returns stop(). */
export function startReaper(o: ReaperOptions): () => void {
  const timer = setInterval(
    () => {
      reapOnce(o).catch((err) => o.log.warn({ err: (err as Error).message }, 'reaper pass failed'));
    },
    Math.max(100, Math.floor(o.leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
