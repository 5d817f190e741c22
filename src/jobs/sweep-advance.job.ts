/**
 * The `sweep-advance` task: one pass of a sweep's driver (src/modules/sweeps/sweep-driver.ts).
 * The sweep's poll chain (`poll: true`, queued by startSweep) queues itself again every
 * {@link SWEEP_POLL_SECONDS} while the sweep runs, whatever the pass did, so a sweep whose trial
 * events were missed (a run cancelled while QUEUED, a reaped run) still moves on. Other passes
 * (queued on a trial's epoch or end) throw on failure and are retried by the queue.
 */
import type { Logger } from '../lib/logger';
import type { SweepDriver } from '../modules/sweeps/sweep-driver';
import type { Queue, TaskPayload } from '../modules/tasks';

/** Seconds between two passes of a running sweep's poll chain. */
export const SWEEP_POLL_SECONDS = 2;

/** What the handler is built from (src/jobs/handlers.ts). */
export interface SweepJobDeps {
  driver: SweepDriver;
  queue: Queue;
  log: Logger;
}

/** The `sweep-advance` handler. */
export function sweepAdvanceHandler({ driver, queue, log }: SweepJobDeps) {
  return async ({ tenantId, sweepId, poll }: TaskPayload<'sweep-advance'>): Promise<void> => {
    let done = false;
    try {
      ({ done } = await driver.advance(tenantId, sweepId));
    } catch (err) {
      if (!poll) throw err;
      log.warn({ sweepId, err: (err as Error).message }, 'sweep pass failed; the next poll tries again');
    }
    if (poll && !done) await queue.enqueue('sweep-advance', { tenantId, sweepId, poll: true }, { startAfterSeconds: SWEEP_POLL_SECONDS });
  };
}
