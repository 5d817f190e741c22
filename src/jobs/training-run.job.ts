/**
 * Executes a training run: claimed from the queue by any worker process, acting as the run's
 * tenant (system actor). Idempotent: a run that already finished, or that another worker holds
 * the lease of (src/jobs/lease.ts), is left alone.
 *
 * Failure policy: problems with the data or spec (AppError) are permanent: the run is FAILED with
 * the error's code and message. Anything else is thrown so the queue retries it; on the last
 * attempt the run is FAILED with INTERNAL_SERVER_ERROR. A worker that is draining (SIGTERM) stops
 * after the current epoch and hands the run back to the queue. Every end publishes one FINAL event.
 */
import type { Db } from '../lib/db';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { LARGE_WRITE, withTenant } from '../lib/tenant-tx';
import type { ColumnProfile } from '../ml/data/profile';
import { trainingCsvOptions } from '../ml/pipeline';
import { activeBackend, type BackendName } from '../ml/tf';
import type { TrainingThreads } from '../ml/train-task';
import { trainInThread, type ThreadTraining } from './train-in-thread';
import type { TrainingSpec } from '../ml/spec';
import type { EpochResult } from '../ml/families/model-family';
import type { DatasetRepo } from '../modules/datasets/dataset.repo';
import type { ModelRepo } from '../modules/registry/model.repo';
import { progressTopic, type ProgressEvent } from '../modules/training/progress';
import type { TrainingRunRepo } from '../modules/training/training-run.repo';
import { MODEL_CHANGED_TOPIC } from '../modules/registry/alias.service';
import { claimRun, holdLease, WORKER_ID } from './lease';
import type { JobQueue } from './queue';
import { TASKS, type TaskPayload } from './tasks';
import type { WorkerState } from './worker-state';

/** Draining: how long a training thread may take to reach the end of its epoch before it is ended. */
const DRAIN_GRACE_MS = 2_000;

export interface TrainingJobDeps {
  prisma: Db;
  runs: TrainingRunRepo;
  datasets: DatasetRepo;
  models: ModelRepo;
  pubsub: PubSub;
  queue: JobQueue;
  /** Parses the dataset and trains: on a training thread, or 'main-thread' (see train-in-thread.ts). */
  trainer: TrainingThreads | 'main-thread';
  log: Logger;
  state: WorkerState;
  /** Lease length, ms (TRAINING_LEASE_SECONDS). */
  leaseMs: number;
}

export function trainingRunHandler(deps: TrainingJobDeps) {
  const { prisma, runs, datasets, models, pubsub, queue, trainer, log, state, leaseMs } = deps;
  const owner = WORKER_ID;

  return async ({ tenantId, runId }: TaskPayload<'training-run'>, job: { retryCount: number }): Promise<void> => {
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(prisma, tenantId, fn);
    const publish = (e: Omit<ProgressEvent, 'runId'>) => pubsub.publish(progressTopic(runId), { runId, emittedAt: Date.now(), ...e });
    const fail = async (code: string, message: string) => {
      const moved = await tx((t) =>
        runs.transition(t, tenantId, runId, ['RUNNING'], { status: 'FAILED', failureCode: code, failureMessage: message, finishedAt: new Date() }, owner),
      );
      if (moved) await publish({ kind: 'FINAL', status: 'FAILED', failureCode: code, failureMessage: message });
    };

    if (state.draining) throw new Error('worker is draining; the job goes back to the queue');
    if (!(await claimRun(prisma, tenantId, runId, owner, leaseMs))) return log.info({ runId }, 'training run finished, gone or held by another worker; skipping');
    const loaded = await tx(async (t) => {
      await runs.clearEpochs(t, tenantId, runId);
      const run = (await runs.find(t, tenantId, runId))!;
      return { run, dataset: await datasets.findWithContent(t, tenantId, run.datasetId) };
    });
    const { run, dataset } = loaded;
    const spec = run.spec as unknown as TrainingSpec;
    const runLog = log.child({ runId, tenantId, worker: owner });
    runLog.info({ attempt: run.attempts }, 'training run started');
    // A cancellation or a lost lease ends the training thread at once. Draining asks it to stop at
    // the end of its epoch and ends it after DRAIN_GRACE_MS (a forest is one long fit), so the run
    // can be handed back while the process is still allowed to.
    let training: ThreadTraining | undefined;
    let cancelled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const lease = holdLease(prisma, runId, owner, leaseMs, () => training?.abort());
    const onDrain = () => {
      training?.stop();
      graceTimer ??= setTimeout(() => training?.abort(), DRAIN_GRACE_MS);
    };
    const stopOnDrain = state.onDrain(onDrain);
    const events = pubsub.subscribe<ProgressEvent>(progressTopic(runId));
    void (async () => {
      for await (const e of events) {
        if (e.kind === 'FINAL' && e.status === 'CANCELLED') {
          cancelled = true;
          training?.abort();
        }
      }
    })();

    try {
      if (!dataset) throw new AppError('NOT_FOUND', `Dataset '${run.datasetId}' was deleted before the run started`);
      const options = trainingCsvOptions({ ...dataset, columns: dataset.columns as unknown as ColumnProfile[] }, spec);
      // Parsing and training run on a training thread; each epoch's write and event run here, in
      // order, while the next epoch trains.
      let writes: Promise<void> = Promise.resolve();
      const record = async (e: EpochResult) => {
        const status = await tx(async (t) => {
          await runs.addEpoch(t, tenantId, runId, e);
          return (await runs.find(t, tenantId, runId))?.status;
        });
        if (status !== 'RUNNING') {
          cancelled ||= status === 'CANCELLED';
          training?.abort(); // cancelled on a process that missed the event, or the run is gone
        }
        await publish({ kind: 'EPOCH', status: 'RUNNING', epochs: spec.epochs, ...e });
      };
      const input = { bytes: dataset.content, options, choice: { target: run.targetColumn, features: run.featureColumns }, spec, backend: activeBackend() as BackendName };
      const thread = trainInThread(trainer, input, (e) => {
        writes = writes.then(() => record(e));
        writes.catch(() => undefined); // awaited (and thrown) after training; not an unhandled rejection meanwhile
      });
      training = thread;
      if (lease.lost || cancelled) thread.abort();
      else if (state.draining) onDrain();
      const outcome = await thread.done.catch((err: unknown) => {
        if (thread.aborted) return undefined; // ended on purpose; what to do next is decided below
        throw err;
      });
      await writes;
      if (cancelled) return runLog.info('training run was cancelled');
      if (lease.lost) return runLog.warn('lost the lease of this training run (reaped or taken over); leaving it');
      if (state.draining || !outcome) {
        // Hand back: the next worker starts the run over.
        if (await tx((t) => runs.transition(t, tenantId, runId, ['RUNNING'], { status: 'QUEUED', leaseOwner: null }, owner))) {
          await queue.enqueue('training-run', { tenantId, runId });
          runLog.info('worker draining: training run handed back to the queue');
        }
        return;
      }
      const { model: trained, tensors } = outcome;
      runLog.debug({ threadTensors: tensors }, 'training thread finished');
      const version = await withTenant(prisma, tenantId, async (t) => {
        const current = await runs.find(t, tenantId, runId);
        if (current?.status !== 'RUNNING' || current.leaseOwner !== owner) return undefined; // cancelled or taken over: no version
        const created = await models.addVersion(t, tenantId, run.modelName, {
          trainingRunId: runId,
          task: trained.pipeline.target.task,
          framework: trained.framework,
          topology: trained.artifact.topology,
          weights: trained.artifact.weights,
          inputSchema: { features: trained.pipeline.columns.map((c) => ({ name: c.name, type: c.type })), inputs: trained.inputNames },
          outputSchema: { target: trained.pipeline.target },
          preprocessing: trained.pipeline,
          metrics: {
            ...trained.metrics,
            rows: trained.rows,
            ...(trained.featureImportances ? { featureImportances: trained.featureImportances } : {}),
            ...(trained.bestEpoch !== undefined ? { bestEpoch: trained.bestEpoch, stoppedEarly: trained.stoppedEarly } : {}),
          },
        });
        await runs.transition(t, tenantId, runId, ['RUNNING'], { status: 'SUCCEEDED', finishedAt: new Date() }, owner);
        return created;
      }, LARGE_WRITE);
      if (!version) return runLog.info('training run was cancelled');
      runLog.info({ version: version.version, metrics: trained.metrics, rows: trained.rows }, 'training run succeeded');
      // Caches of "latest" must hear of the new version before anyone hears the run finished.
      await pubsub.publish(MODEL_CHANGED_TOPIC, { tenantId, modelName: run.modelName });
      await publish({ kind: 'FINAL', status: 'SUCCEEDED', modelVersionId: version.id });
    } catch (err) {
      if (err instanceof AppError) {
        runLog.info({ code: err.code, message: err.message }, 'training run failed');
        return fail(err.code, err.message);
      }
      runLog.error({ err: (err as Error).message, retryCount: job.retryCount }, 'training run crashed');
      if (job.retryCount >= TASKS['training-run'].retryLimit) return fail('INTERNAL_SERVER_ERROR', 'Training failed unexpectedly');
      await tx((t) => runs.transition(t, tenantId, runId, ['RUNNING'], { status: 'QUEUED', leaseOwner: null }, owner));
      throw err;
    } finally {
      lease.release();
      clearTimeout(graceTimer);
      stopOnDrain();
      await events.return();
    }
  };
}
