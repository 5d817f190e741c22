/**
 * A training worker inside a process: claims jobs, reaps runs whose worker died, and drains on
 * shutdown (running runs stop after their current epoch and go back to the queue).
 */
import type { Config } from '../config';
import { activeBackend, type BackendName } from '../ml/tf';
import { defaultLimits } from '../modules/quotas/tenant-limits';
import { tenantTrainingLimits } from '../modules/quotas/training-limits';
import { createLifecycle, createTaskHandlers, type WorkerDeps } from './handlers';
import { createRepos } from '../modules/repos';
import type { TableCache } from '../ml/data/table-cache';
import { startDatasetPurge } from './dataset-purge';
import { startDatasetTables } from './dataset-tables';
import { startReaper } from './reaper';
import { SlotCounter } from './slot-counter';
import { WorkerState } from './worker-state';

/** A worker running inside a process. */
export interface RunningWorker {
  state: WorkerState;
  /** The parsed datasets this process keeps between runs (undefined with TRAINING_DATASET_CACHE_BYTES=0). */
  tables?: TableCache;
  /** Stops claiming, lets running jobs reach the end of their epoch, hands them back, then resolves. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * The training slots of this process: TRAINING_SLOTS regular and TRAINING_SHARED_SLOTS shared on
 * training threads (slot-counter.ts); 1 regular on the main thread.
 */
export function trainingSlots(config: Pick<Config, 'TRAINING_SLOTS' | 'TRAINING_SHARED_SLOTS'>, onThread: boolean): SlotCounter {
  return onThread ? new SlotCounter(config.TRAINING_SLOTS, config.TRAINING_SHARED_SLOTS) : new SlotCounter(1, 0);
}

/** Starts claiming jobs with this process' task handlers (TRAINING_SLOTS + TRAINING_SHARED_SLOTS training runs at once), and the reaper. */
export async function runWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const state = new WorkerState();
  const leaseMs = deps.config.TRAINING_LEASE_SECONDS * 1000;
  const where = deps.config.TRAINING_THREAD;
  const onThread = where === 'thread' || (where === 'auto' && activeBackend() !== 'tensorflow');
  if (onThread) {
    const backend = activeBackend() as BackendName;
    deps.threads.training.run('warmUp', backend).then(
      (got) => deps.log.info({ backend: got }, 'training thread ready'),
      (err: Error) => deps.log.warn({ err: err.message }, 'training thread warm-up failed; the first run will retry'),
    );
  }
  const lifecycle = createLifecycle(deps);
  const defaults = defaultLimits(deps.config);
  const slots = trainingSlots(deps.config, onThread);
  const datasetTables = startDatasetTables(deps.config.TRAINING_DATASET_CACHE_BYTES, deps.pubsub, deps.log);
  await deps.queue.work(
    createTaskHandlers({
      ...deps,
      lifecycle,
      state,
      leaseMs,
      limitsFor: tenantTrainingLimits(deps.prisma, defaults),
      defaultMaxRunning: defaults.maxRunningRuns,
      preemptAfterSeconds: deps.config.TRAINING_PREEMPT_AFTER_SECONDS,
      trainer: onThread ? deps.threads.training : 'main-thread',
      tables: datasetTables.tables,
      slots,
    }),
    // One run per training thread; on the main thread runs would share one TF.js runtime: one at a time.
    { 'training-run': slots.total },
  );
  const stopReaper = startReaper({ lifecycle, log: deps.log, leaseMs, maxAttempts: deps.config.TRAINING_MAX_ATTEMPTS });
  const repos = createRepos(deps.prisma);
  const stopPurge = startDatasetPurge({
    prisma: deps.prisma,
    datasets: repos.datasets,
    audit: repos.audit,
    log: deps.log,
    retentionDays: deps.config.DATASET_ARCHIVE_RETENTION_DAYS,
  });
  return {
    state,
    tables: datasetTables.tables,
    async stop(timeoutMs = 30_000) {
      state.drain();
      stopReaper();
      stopPurge();
      await deps.queue.stop(timeoutMs);
      await datasetTables.stop();
    },
  };
}
