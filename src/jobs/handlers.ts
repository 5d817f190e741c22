/**
 * The worker's composition: repos -> the training-run lifecycle and version publisher -> one
 * handler per task of src/modules/tasks.ts. Loads nothing of the API (no GraphQL).
 */
import type pg from 'pg';
import type { Config } from '../config';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import type { CostLimits } from '../ml/cost-limits';
import type { MlThreads } from '../ml/threads';
import type { TrainingThreads } from '../ml/train-task';
import { VersionPublisher } from '../modules/registry/publish-version';
import { createRepos } from '../modules/repos';
import type { Queue, TaskHandlers } from '../modules/tasks';
import { TrainingRunLifecycle } from '../modules/training/run-lifecycle';
import { SweepDriver } from '../modules/sweeps/sweep-driver';
import { sweepTrigger } from '../modules/sweeps/sweep-trigger';
import { QuotaService } from '../modules/quotas/quota.service';
import { defaultLimits } from '../modules/quotas/tenant-limits';
import { batchPredictionHandler } from './batch-prediction.job';
import { modelEvaluationHandler } from './model-evaluation.job';
import { sweepAdvanceHandler } from './sweep-advance.job';
import { trainingRunHandler } from './training-run.job';
import type { TableCache } from '../ml/data/table-cache';
import type { PhaseObserver } from './run-phases';
import type { SlotCounter } from './slot-counter';
import type { WorkerState } from './worker-state';

/** What the worker's handlers are built from (opened by src/infrastructure.ts). */
export interface WorkerDeps {
  prisma: Db;
  pubsub: PubSub;
  queue: Queue;
  threads: MlThreads;
  log: Logger;
  /** The database pool (the quota service's store; sweeps start their trials' runs under the quotas). */
  pool: pg.Pool;
  config: Config;
  /** Told how long each phase of a training run took (an API process: its /metrics). (Default: nobody) */
  observePhase?: PhaseObserver;
}

/** The lifecycle of training runs as a worker drives it (also used by the reaper). */
export function createLifecycle(deps: WorkerDeps): TrainingRunLifecycle {
  const r = createRepos(deps.prisma);
  return new TrainingRunLifecycle(deps.prisma, r.runs, r.datasets, deps.pubsub, deps.queue, sweepTrigger(deps.prisma, r.sweeps, deps.queue));
}

/** The worker's task handlers. */
export function createTaskHandlers(
  deps: WorkerDeps & {
    lifecycle: TrainingRunLifecycle;
    state: WorkerState;
    leaseMs: number;
    trainer: TrainingThreads | 'main-thread';
    tables?: TableCache;
    limitsFor?: (tenantId: string) => Promise<CostLimits>;
    defaultMaxRunning?: number;
    preemptAfterSeconds?: number;
    slots?: SlotCounter;
  },
): TaskHandlers {
  const r = createRepos(deps.prisma);
  const publisher = new VersionPublisher(deps.prisma, r.models, r.runs, deps.pubsub);
  return {
    'training-run': trainingRunHandler({ ...deps, publisher }),
    'batch-prediction': batchPredictionHandler({
      ...deps,
      batches: r.batches,
      datasets: r.datasets,
      threads: deps.threads.csv,
      scoring: deps.threads.scoring,
      quotas: new QuotaService(defaultLimits(deps.config), deps.pool, deps.prisma, r),
    }),
    'model-evaluation': modelEvaluationHandler({ ...deps, evaluations: r.evaluations, datasets: r.datasets, threads: deps.threads.csv, scoring: deps.threads.scoring }),
    'sweep-advance': sweepAdvanceHandler({ ...deps, driver: sweepDriver(deps) }),
  };
}

/** The sweep driver of the worker: trials start as runs under the same quotas as the API's. */
function sweepDriver(deps: WorkerDeps): SweepDriver {
  const r = createRepos(deps.prisma);
  const quotas = new QuotaService(defaultLimits(deps.config), deps.pool, deps.prisma, r);
  return new SweepDriver({
    prisma: deps.prisma,
    runs: r.runs,
    datasets: r.datasets,
    queue: deps.queue,
    quotas,
    audit: r.audit,
    sweeps: r.sweeps,
    pubsub: deps.pubsub,
    log: deps.log,
  });
}
