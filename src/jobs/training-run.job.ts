/**
 * Executes a training run: claimed from the queue by any worker process, acting as the run's
 * tenant (system actor). Where a run is started: src/modules/training/start-training-run.ts;
 * executed: here; published as a model version: src/modules/registry/publish-version.ts.
 *
 * Idempotent: a run that already finished, or that another worker holds the lease of
 * (src/jobs/lease.ts), is never claimed.
 *
 * Failure policy: problems with the data or spec (AppError) are permanent: the run is FAILED with
 * the error's code and message. Anything else puts the run back to QUEUED with a new ticket (see
 * the handler); once it used retryLimit + 1 attempts (counted on the run) it is FAILED with
 * INTERNAL_SERVER_ERROR. A fault of the training thread itself (WASM
 * abort, out of memory: RuntimeFault) fails the run at once with RUNTIME_FAULT; the thread is replaced. A worker that is draining (SIGTERM) stops
 * after the current epoch and hands the run back to the queue. A run that passes its wall-clock
 * limit (the tenant's trainingMaxRunSeconds, TRAINING_MAX_RUN_SECONDS) has its thread ended by the
 * supervisor and is FAILED with TIME_LIMIT_EXCEEDED, no version written; the limit counts from the
 * claim, per attempt. Every end publishes one FINAL event.
 */
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { DEFAULT_COST_LIMITS, type CostLimits } from '../ml/cost-limits';
import type { Table } from '../ml/data/csv';
import type { ColumnProfile } from '../ml/data/profile';
import type { TableCache, TableKey } from '../ml/data/table-cache';
import type { StepProgress } from '../ml/families/model-family';
import { trainingCsvOptions } from '../ml/pipeline';
import type { TrainingSpec } from '../ml/spec';
import { isRuntimeAbort, markRuntimeFault } from '../ml/runtime-fault';
import { activeBackend, type BackendName } from '../ml/tf';
import type { TrainingThreads, TrainOutput } from '../ml/train-task';
import { PLATFORM_VERSION } from '../lib/platform-version';
import { LIMIT_CAPS } from '../modules/quotas/tenant-limits';
import type { RunProvenance } from '../modules/registry/lineage';
import type { VersionPublisher } from '../modules/registry/publish-version';
import { FailureCode, RunStatus } from '../modules/status';
import { TASKS, type TaskPayload } from '../modules/tasks';
import type { DatasetSummary } from '../modules/datasets/dataset.repo';
import type { HeldRun, TrainingRunLifecycle, TrainingRunRow } from '../modules/training/run-lifecycle';
import { WORKER_ID } from './lease';
import { ProgressClock } from './progress-clock';
import { PhaseClock, type PhaseObserver, type RunPhase } from './run-phases';
import { traceTicket, type RunTrace } from './run-tracing';
import { superviseRun, type RunSupervision } from './run-supervisor';
import type { SlotCounter } from './slot-counter';
import { RuntimeFault, trainInThread } from './train-in-thread';
import type { WorkerState } from './worker-state';

/** What the training job is built from (src/jobs/handlers.ts). */
export interface TrainingJobDeps {
  lifecycle: TrainingRunLifecycle;
  publisher: VersionPublisher;
  /** Parses the dataset and trains: on a training thread, or 'main-thread' (see train-in-thread.ts). */
  trainer: TrainingThreads | 'main-thread';
  log: Logger;
  state: WorkerState;
  /** Lease length, ms (TRAINING_LEASE_SECONDS). */
  leaseMs: number;
  /**
   * Reads the run's tenant's training cost limits (its TenantLimits over TRAINING_MAX_*), checked
   * again on the thread. (Default: DEFAULT_COST_LIMITS for every tenant)
   */
  limitsFor?: (tenantId: string) => Promise<CostLimits>;
  /** Runs RUNNING at once per tenant without an override (QUOTA_RUNNING_RUNS). (Default: unlimited) */
  defaultMaxRunning?: number;
  /**
   * Seconds another tenant's run waits, with nothing of its tenant running, before a tenant holding
   * two or more slots gives one back (TRAINING_PREEMPT_AFTER_SECONDS; see run-supervisor.ts).
   * 0 or unset: never.
   */
  preemptAfterSeconds?: number;
  /** Parsed datasets kept between runs (TRAINING_DATASET_CACHE_BYTES; src/jobs/dataset-tables.ts). (Default: none) */
  tables?: TableCache;
  /** Told how long each phase of a run took (src/jobs/run-phases.ts). (Default: nobody) */
  observePhase?: PhaseObserver;
  /**
   * The worker's regular and shared slots (slot-counter.ts): a claim made while every regular slot
   * is taken picks only a run of a tenant with nothing training. (Default: every slot regular)
   */
  slots?: SlotCounter;
}

/** The REQUEUED event's reason when a run gives its slot to another tenant. */
const YIELD_REASON =
  "Another tenant's run was waiting for a training slot with nothing running, and this was the most recently started of your tenant's running runs: it went back to the queue and starts over from epoch 1 when a slot is free (TRAINING_PREEMPT_AFTER_SECONDS)";

/** Seconds before a ticket whose queued runs all wait behind running limits is tried again. */
const CLAIM_RETRY_SECONDS = 1;

type Loaded = Awaited<ReturnType<TrainingRunLifecycle['load']>>;

/**
 * Parses and trains on the trainer; each epoch's write and event run here, in order, while the
 * next epoch trains. @returns undefined when the thread was ended on purpose (see RunSupervision).
 */
async function runTraining(
  deps: TrainingJobDeps,
  held: HeldRun,
  { run, dataset }: Loaded,
  limits: CostLimits | undefined,
  watch: RunSupervision,
  trace: RunTrace,
  clock: PhaseClock,
  table: Table | undefined,
): Promise<TrainOutput | undefined> {
  const { lifecycle, trainer } = deps;
  const bytes = dataset?.content;
  if (!dataset || (!table && !bytes)) throw new AppError('NOT_FOUND', `Dataset '${run.datasetId}' was deleted before the run started`);
  const spec = run.spec as unknown as TrainingSpec;
  const key = tableKey(held, dataset, run);
  let writes: Promise<void> = Promise.resolve();
  const progress = new ProgressClock();
  const record = async (e: Parameters<TrainingRunLifecycle['recordEpoch']>[1]) => {
    trace.epoch(e);
    const status = await lifecycle.recordEpoch(held, e);
    // Cancelled (on a process whose event this one missed) or gone: the epoch was not stored, nor is it announced.
    if (status !== RunStatus.RUNNING) return watch.stopFor(status);
    await lifecycle.publish(held, { kind: 'EPOCH', status: RunStatus.RUNNING, epochs: spec.epochs, etaSeconds: progress.etaSeconds(e.epoch, spec.epochs), ...e });
  };
  // Steps inside a fit (a forest's trees): published, throttled, never stored.
  const step = (p: StepProgress) => {
    if (!progress.stepDue(p.step, p.steps)) return;
    const event = { kind: 'PROGRESS' as const, status: RunStatus.RUNNING, step: p.step, steps: p.steps, stepUnit: p.unit, etaSeconds: progress.etaSeconds(p.step, p.steps) };
    writes = writes.then(() => lifecycle.publish(held, event));
  };
  const input = {
    ...(table ? { table } : { bytes: bytes!, keepTable: key !== undefined && deps.tables !== undefined }),
    format: dataset.format === 'image' ? ('image' as const) : ('csv' as const),
    options: trainingCsvOptions({ ...dataset, columns: dataset.columns as unknown as ColumnProfile[] }, spec),
    choice: { target: run.targetColumn, features: run.featureColumns },
    spec,
    backend: activeBackend() as BackendName,
    limits,
  };
  const thread = trainInThread(
    trainer,
    input,
    (e) => {
      writes = writes.then(() => record(e));
      writes.catch(() => undefined); // awaited (and thrown) after training; not an unhandled rejection meanwhile
    },
    step,
  );
  watch.attach(thread);
  const outcome = await thread.done.catch((err: unknown) => {
    if (thread.aborted) return undefined; // ended on purpose; what to do next is decided by the caller
    throw err;
  });
  const handedOver = clock.split(); // the thread's work and the hand-over both ways
  if (outcome) {
    if (key && outcome.table) deps.tables?.set(key, outcome.table);
    const phases = Object.entries(outcome.phases) as [RunPhase, number][];
    for (const [phase, ms] of phases) clock.report(phase, ms);
    clock.report('thread', Math.max(0, handedOver - phases.reduce((sum, [, ms]) => sum + ms, 0)));
  }
  await writes;
  clock.lap('epochs');
  return outcome;
}

/**
 * The cache key of a CSV dataset's parsed table for this run (its spec's missing-value codes are
 * part of the parse); undefined for image datasets, rows without a checksum, and specs the run
 * itself will refuse (trainingCsvOptions throws there, inside the run's error handling).
 */
function tableKey(held: HeldRun, dataset: DatasetSummary, run: TrainingRunRow): TableKey | undefined {
  if (dataset.format === 'image' || !dataset.checksum) return undefined;
  try {
    const options = trainingCsvOptions({ ...dataset, columns: dataset.columns as unknown as ColumnProfile[] }, run.spec as unknown as TrainingSpec);
    return { tenantId: held.tenantId, datasetId: dataset.id, checksum: dataset.checksum, options };
  } catch {
    return undefined;
  }
}

/** What the version's lineage records about the run and its dataset (src/modules/registry/lineage.ts). */
function provenanceOf({ run, dataset }: Loaded, backend: string): RunProvenance | undefined {
  if (!dataset) return undefined;
  const { id, name, checksum, rowCount, sizeBytes, format } = dataset;
  return { run, dataset: { id, name, checksum, rowCount, sizeBytes, format }, backend, platformVersion: PLATFORM_VERSION };
}

/**
 * The `training-run` task handler. A job is a ticket: "a run is queued". Its handler claims the
 * run the cluster should train next (fair share over tenants, lifecycle.claimNext), which may be
 * another run than the ticket's: that run's own ticket then serves the one left QUEUED. When every
 * queued run waits behind its tenant's running limit, the ticket is queued again for a second later.
 * Then: train the claimed run on the trainer under supervision, then
 * hand the result on: a VersionPublisher publishes the version, or the lifecycle fails or hands
 * back the run. Throws (so the queue retries the ticket) only when draining, or when claiming or
 * loading a run (or its tenant's limits) fails (a claimed run whose lease then lapses is handed back by the reaper).
 */
export function trainingRunHandler(deps: TrainingJobDeps) {
  const { lifecycle, publisher, log, state, leaseMs } = deps;

  return async (ticket: TaskPayload<'training-run'>, job?: { waitedMs?: number }): Promise<void> => {
    const slot = deps.slots?.take();
    try {
      return await traceTicket(ticket.runId, (trace) => handle(ticket, trace, slot?.idleTenantsOnly ?? false, job));
    } finally {
      slot?.release();
    }
  };

  async function handle(ticket: TaskPayload<'training-run'>, trace: RunTrace, idleTenantsOnly: boolean, job?: { waitedMs?: number }): Promise<void> {
    if (state.draining) throw new Error('worker is draining; the job goes back to the queue');
    const clock = new PhaseClock(deps.observePhase);
    if (job?.waitedMs !== undefined) clock.report('pickup', job.waitedMs);
    const { held, waiting } = await lifecycle.claimNext(WORKER_ID, leaseMs, deps.defaultMaxRunning ?? LIMIT_CAPS.maxRunningRuns, idleTenantsOnly);
    if (!held) trace.claimed(null);
    if (!held) {
      if (!waiting) return log.debug({ runId: ticket.runId }, 'no training run to claim (finished, cancelled or held elsewhere); ticket dropped');
      log.debug({ runId: ticket.runId, idleTenantsOnly }, 'queued training runs wait behind their tenants’ running limits (or for a regular slot); ticket kept for later');
      return lifecycle.retryClaimLater(ticket, CLAIM_RETRY_SECONDS);
    }
    clock.lap('claim');
    const { tenantId, runId } = held;
    // The dataset's bytes are read only when this process has no parsed copy of them.
    let table: Table | undefined;
    // Two reads at once: the run with its dataset, and the tenant's limits.
    const [loaded, limits] = await Promise.all([
      lifecycle.load(held, (dataset, run) => {
        const key = deps.tables && tableKey(held, dataset, run);
        table = key && deps.tables!.get(key);
        return !table;
      }),
      deps.limitsFor?.(tenantId),
    ]);
    trace.claimed(loaded.run);
    const runLog = log.child({ runId, tenantId, worker: held.owner });
    clock.lap('load');
    const maxRunSeconds = limits?.maxRunSeconds ?? DEFAULT_COST_LIMITS.maxRunSeconds;
    runLog.info({ attempt: loaded.run.attempts, maxRunSeconds }, 'training run started');
    const started = Date.now();
    const watch = superviseRun(deps, held, maxRunSeconds);
    const failLate = () => {
      const elapsed = Math.round((Date.now() - started) / 1000);
      runLog.info({ maxRunSeconds, elapsed }, 'training run passed its time limit; its thread was ended');
      return lifecycle.fail(
        held,
        FailureCode.TIME_LIMIT_EXCEEDED,
        `The run was ended after ${elapsed} s: it passed its time limit of ${maxRunSeconds} s per training run (TRAINING_MAX_RUN_SECONDS, or the tenant's trainingMaxRunSeconds set with setTenantLimits); no model version was stored. Use fewer epochs or trees, fewer rows, a larger spec.batchSize or a smaller model`,
      );
    };
    const yieldSlot = async () => {
      if (await lifecycle.yieldSlot(held, YIELD_REASON)) runLog.info('training run gave its slot to a waiting tenant; back in the queue');
    };
    try {
      const outcome = await runTraining(deps, held, loaded, limits, watch, trace, clock, table);
      trace.phases(outcome?.model.phases);
      if (watch.cancelled) return runLog.info('training run was cancelled');
      if (watch.leaseLost) return runLog.warn('lost the lease of this training run (reaped or taken over); leaving it');
      // Ended by the clock; on the main thread the fit stopped early and returned a model, which is dropped.
      if (watch.timedOut) return await failLate();
      if (watch.yielded) return await yieldSlot();
      if (state.draining || !outcome) {
        // Hand back: the next worker starts the run over.
        if (await lifecycle.release(held, { enqueue: true, reason: 'Its worker is shutting down: the run starts over from epoch 1 on the next free slot' }))
          runLog.info('worker draining: training run handed back to the queue');
        return;
      }
      const { model: trained, tensors } = outcome;
      runLog.debug({ threadTensors: tensors }, 'training thread finished');
      const version = await trace.step('publish-version', () => publisher.publish(held, loaded.run.modelName, trained, provenanceOf(loaded, outcome.backend)));
      if (!version) return runLog.info('training run was cancelled');
      clock.lap('publish');
      await lifecycle.publish(held, { kind: 'FINAL', status: RunStatus.SUCCEEDED, modelVersionId: version.id });
      clock.lap('final');
      const { rocCurve: _roc, testPredictions: _sample, ...metrics } = trained.metrics; // the curves are too long for a log line
      runLog.info({ version: version.version, metrics, rows: trained.rows }, 'training run succeeded');
    } catch (err) {
      if (watch.timedOut && !watch.cancelled && !watch.leaseLost) return await failLate(); // whatever the stopped fit threw
      if (watch.yielded && !watch.cancelled && !watch.leaseLost) return await yieldSlot();
      if (err instanceof RuntimeFault) {
        runLog.warn({ reason: err.reason }, 'training runtime failed; the thread was replaced and the run fails alone');
        return lifecycle.fail(
          held,
          FailureCode.RUNTIME_FAULT,
          `${err.message}. The run's spec is probably too large for the server (see the TRAINING_MAX_* limits); nothing else was affected`,
        );
      }
      if (isRuntimeAbort(err)) {
        // Trained on this process' main thread (TRAINING_THREAD=main): its runtime stays aborted, so /healthz fails from now on.
        const reason = ((err as Error).message ?? String(err)).slice(0, 500);
        markRuntimeFault(reason);
        runLog.error({ reason }, 'the TF.js runtime of this process aborted while training; /healthz now fails');
        return lifecycle.fail(held, FailureCode.RUNTIME_FAULT, new RuntimeFault(reason).message);
      }
      if (err instanceof AppError) {
        runLog.info({ code: err.code, message: err.message }, 'training run failed');
        return lifecycle.fail(held, err.code, err.message);
      }
      runLog.error({ err: (err as Error).message, attempt: loaded.run.attempts }, 'training run crashed');
      if (loaded.run.attempts > TASKS['training-run'].retryLimit) return lifecycle.fail(held, FailureCode.INTERNAL, 'Training failed unexpectedly');
      // Back to the queue with a new ticket (the attempt was counted on the run, not on this job).
      await lifecycle.release(held, { enqueue: true, reason: 'The attempt failed unexpectedly on the worker: the run is tried again from epoch 1' });
    } finally {
      await watch.close();
    }
  }
}
