/**
 * Environment variables of the training queue: leases, slots (regular and shared), polling, the
 * parsed-dataset cache and attempts. Part of the configuration schema (src/config.ts spreads it in);
 * only parses the environment.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';

/** trainingQueueEnv: zod parsers keyed by environment variable, each documented with its default. */
export const trainingQueueEnv = {
  /** A training run's lease, seconds: a worker silent this long is presumed dead and its run handed back. (Default: 30) */
  TRAINING_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /**
   * Training runs one worker process trains at once, each on its own training thread (with
   * TRAINING_THREAD=main, or the native backend, always 1). At least 2 by default: with one slot,
   * one tenant's single long run held all of a worker's training, and pre-emption (which takes back
   * a second run) could not help (issue 10, review F2); two runs on one core share it. (Default:
   * CPU cores - 1, at least 2)
   */
  TRAINING_SLOTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(2, availableParallelism() - 1)),
  /**
   * Further training runs one worker process trains at once, past TRAINING_SLOTS, only for tenants
   * with nothing training anywhere (src/jobs/slot-counter.ts): when other tenants' long runs hold
   * every slot, a newcomer's run starts at once and the runs time-share the cores, instead of
   * waiting for one to end (issue 10, review F2). Each is a training thread of its own
   * (TRAINING_THREAD_HEAP_MB). 0: a run waits for a slot. Not used with TRAINING_THREAD=main or the
   * native backend. (Default: CPU cores - 1, at least 2)
   */
  TRAINING_SHARED_SLOTS: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(Math.max(2, availableParallelism() - 1)),
  /**
   * Seconds between an idle worker's polls of the job queue. A new job wakes workers at once
   * (LISTEN/NOTIFY, src/lib/queue.ts); polling is the fallback. (Default: 5)
   */
  QUEUE_POLL_SECONDS: z.coerce.number().min(0.5).max(3600).default(5),
  /**
   * Bytes of parsed datasets a worker process keeps between training runs (src/ml/data/table-cache.ts;
   * least recently used first past it); 0 keeps none. (Default: 256 MiB)
   */
  TRAINING_DATASET_CACHE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(256 * 1024 * 1024),
  /** Attempts of a training run (counting runs whose worker died) before it is FAILED. (Default: 3) */
  TRAINING_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
};
