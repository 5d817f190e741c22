/**
 * The task list: name -> version, payload schema, retry and lease settings. Producers (services in
 * src/modules) and consumers (handlers in src/jobs) share it, so a payload is validated on both
 * sides. Bump `version` when a payload changes shape: the queue name carries it, so old workers
 * never see new payloads. The handlers are listed in src/jobs/handlers.ts.
 */
import { z } from 'zod';
import type { JobQueue, TaskHandlersOf } from '../lib/queue';

/** The tasks. */
export const TASKS = {
  'training-run': {
    version: 1,
    payload: z.object({ tenantId: z.string().min(1), runId: z.string().min(1) }),
    /** Transient failures (e.g. a lost database connection) are retried this many times. */
    retryLimit: 2,
    /** Seconds before a claimed job whose worker vanished is handed to another worker. */
    expireInSeconds: 3600,
  },
  'batch-prediction': {
    version: 1,
    payload: z.object({ tenantId: z.string().min(1), batchId: z.string().min(1) }),
    retryLimit: 2,
    expireInSeconds: 3600,
  },
  /** evaluateModelVersion: a version scored on another labelled dataset (src/jobs/model-evaluation.job.ts). */
  'model-evaluation': {
    version: 1,
    payload: z.object({ tenantId: z.string().min(1), evaluationId: z.string().min(1) }),
    retryLimit: 2,
    expireInSeconds: 3600,
  },
  /**
   * startSweep: one pass of a sweep's driver (src/modules/sweeps/sweep-driver.ts): sync its trials
   * with their runs, stop losers, start the next trials, finish. `poll` marks the one chain per
   * sweep that queues itself again every few seconds while the sweep runs (other passes are
   * queued when a trial's run reports an epoch or ends).
   */
  'sweep-advance': {
    version: 1,
    payload: z.object({ tenantId: z.string().min(1), sweepId: z.string().min(1), poll: z.boolean().optional() }),
    retryLimit: 2,
    expireInSeconds: 300,
  },
} as const;

/** A task's name. */
export type TaskName = keyof typeof TASKS;
/** The payload of task `K`. */
export type TaskPayload<K extends TaskName> = z.infer<(typeof TASKS)[K]['payload']>;

/** The platform's job queue (started with TASKS by src/infrastructure.ts). */
export type Queue = JobQueue<typeof TASKS>;
/** One handler per task. */
export type TaskHandlers = TaskHandlersOf<typeof TASKS>;
