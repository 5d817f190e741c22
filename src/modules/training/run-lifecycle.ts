/**
 * What a worker does to a training run's row and its subscribers, acting as the run's tenant
 * (a system actor): claim, load, record each epoch, fail, hand back, reap. The job handler
 * (src/jobs/training-run.job.ts) decides *when*; this module is *how*, so every transition writes
 * the row first and publishes after commit. A successful run ends in
 * src/modules/registry/publish-version.ts, the only writer of model versions.
 */
import type { Db } from '../../lib/db';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { EpochResult } from '../../ml/families/model-family';
import type { DatasetRepo, DatasetSummary } from '../datasets/dataset.repo';
import { Topics } from '../events';
import { FailureCode, RunStatus } from '../status';
import type { Queue } from '../tasks';
import type { ProgressEvent } from './progress';
import type { TrainingRunRepo } from './training-run.repo';

/** A training run's row as the lifecycle reads it. */
export type TrainingRunRow = NonNullable<Awaited<ReturnType<TrainingRunRepo['find']>>>;

/** A run as one worker holds it. */
export interface HeldRun {
  tenantId: string;
  runId: string;
  /** The worker id holding the lease (src/jobs/lease.ts). */
  owner: string;
}

/** Training-run transitions made by workers and the reaper. */
export class TrainingRunLifecycle {
  constructor(
    private readonly prisma: Db,
    private readonly runs: TrainingRunRepo,
    private readonly datasets: DatasetRepo,
    private readonly pubsub: PubSub,
    private readonly queue: Queue,
    /**
     * Told of every event published (src/modules/sweeps/sweep-trigger.ts: a sweep trial's epoch or
     * end queues a pass of its sweep). Its failures are ignored: the sweep's poll catches up.
     */
    private readonly onEvent?: (tenantId: string, runId: string, e: Omit<ProgressEvent, 'runId'>) => Promise<void>,
  ) {}

  /** Publishes a progress event of a held run (stamped with `emittedAt`). */
  async publish(run: HeldRun, e: Omit<ProgressEvent, 'runId'>): Promise<void> {
    await this.pubsub.publish(Topics.trainingProgress(run.runId), { runId: run.runId, emittedAt: Date.now(), ...e });
    await this.onEvent?.(run.tenantId, run.runId, e).catch(() => undefined);
  }

  /** The run's progress events (the job listens for a CANCELLED from another process). */
  subscribe(runId: string) {
    return this.pubsub.subscribe(Topics.trainingProgress(runId));
  }

  /**
   * Claims for `owner` the run a free training slot should train next, over every tenant (see
   * TrainingRunRepo.claimFairly): the job that asked is a ticket for "one run is queued", not
   * necessarily for that run. Counts an attempt.
   * @param defaultMaxRunning the running limit of tenants without an override (QUOTA_RUNNING_RUNS).
   * @param idleTenantsOnly claim only a run of a tenant with no run training (a shared slot,
   *   src/jobs/slot-counter.ts). (Default: false)
   * @returns the held run; or none, with `waiting` true when queued runs wait behind their
   *   tenants' running limits or for a regular slot (the caller keeps its ticket for later).
   */
  async claimNext(owner: string, leaseMs: number, defaultMaxRunning: number, idleTenantsOnly = false): Promise<{ held?: HeldRun; waiting: boolean }> {
    const { run, waiting } = await this.runs.claimFairly(this.prisma, owner, leaseMs, defaultMaxRunning, idleTenantsOnly);
    return { held: run ? { tenantId: run.tenantId, runId: run.id, owner } : undefined, waiting };
  }

  /**
   * Queues the ticket of `run` again to be claimed after `delaySeconds`: its run (or another)
   * waits behind a running limit, and a new ticket counts no attempt.
   */
  async retryClaimLater(run: { tenantId: string; runId: string }, delaySeconds: number): Promise<void> {
    await this.queue.enqueue('training-run', { tenantId: run.tenantId, runId: run.runId }, { startAfterSeconds: delaySeconds });
  }

  /** Extends the lease by `leaseMs`. @returns false when the run is no longer held by `run.owner`. */
  renewLease(run: HeldRun, leaseMs: number): Promise<boolean> {
    return this.runs.renewLease(this.prisma, run.tenantId, run.runId, run.owner, leaseMs);
  }

  /**
   * Clears the epochs of an earlier attempt and loads the run with its dataset, in one transaction;
   * the dataset's bytes only when `needsContent` says so (not when a parsed copy is at hand).
   * @returns `dataset` null when the dataset was deleted or archived, its `content` null when not
   *   read; throws when the run is gone.
   */
  load(run: HeldRun, needsContent: (dataset: DatasetSummary, run: TrainingRunRow) => boolean = () => true) {
    const { tenantId, runId } = run;
    return withTenant(this.prisma, tenantId, async (t) => {
      await this.runs.clearEpochs(t, tenantId, runId);
      const row = await this.runs.find(t, tenantId, runId);
      if (!row) throw new Error(`Training run '${runId}' vanished after it was claimed`);
      const dataset = await this.datasets.find(t, tenantId, row.datasetId);
      const content = dataset && needsContent(dataset, row) ? await this.datasets.content(t, tenantId, dataset.id) : null;
      return { run: row, dataset: dataset && { ...dataset, content } };
    });
  }

  /**
   * Stores one epoch's metrics while the run is RUNNING (an epoch that finishes after a cancel is not
   * stored: the run's stored epochs never go past its FINAL event).
   * @returns the run's status (not RUNNING: cancelled, or gone when undefined; then nothing was stored).
   */
  recordEpoch(run: HeldRun, e: EpochResult): Promise<RunStatus | undefined> {
    const { tenantId, runId } = run;
    return withTenant(this.prisma, tenantId, (t) => this.runs.addEpochWhileRunning(t, tenantId, runId, e));
  }

  /**
   * Marks a RUNNING run this worker holds FAILED with `code` and publishes the FINAL event.
   * Nothing happens when the run is no longer held (cancelled, reaped, taken over).
   */
  async fail(run: HeldRun, code: FailureCode, message: string): Promise<void> {
    const { tenantId, runId, owner } = run;
    const moved = await withTenant(this.prisma, tenantId, (t) =>
      this.runs.transition(t, tenantId, runId, [RunStatus.RUNNING], { status: RunStatus.FAILED, failureCode: code, failureMessage: message, finishedAt: new Date() }, owner),
    );
    if (moved) await this.publish(run, { kind: 'FINAL', status: RunStatus.FAILED, failureCode: code, failureMessage: message });
  }

  /**
   * Puts a held RUNNING run back to QUEUED. With `enqueue`, also queues a new job (a draining
   * worker hands the run on); without, the queue's own retry brings it back. With `reason`, a
   * REQUEUED event tells the subscribers why.
   * @returns whether the run was still held.
   */
  async release(run: HeldRun, options: { enqueue: boolean; reason?: string }): Promise<boolean> {
    const { tenantId, runId, owner } = run;
    const moved = await withTenant(this.prisma, tenantId, (t) =>
      this.runs.transition(t, tenantId, runId, [RunStatus.RUNNING], { status: RunStatus.QUEUED, leaseOwner: null }, owner),
    );
    if (moved && options.enqueue) await this.queue.enqueue('training-run', { tenantId, runId });
    if (moved && options.reason) await this.publish(run, { kind: 'REQUEUED', status: RunStatus.QUEUED, reason: options.reason });
    return moved;
  }

  /**
   * Whether a held run should give its slot to another tenant that waits with nothing running
   * (see TrainingRunRepo.shouldYield).
   * @param afterSeconds how long the other tenant's run must have waited (TRAINING_PREEMPT_AFTER_SECONDS).
   */
  shouldYield(run: HeldRun, afterSeconds: number): Promise<boolean> {
    return this.runs.shouldYield(this.prisma, run.runId, run.owner, afterSeconds);
  }

  /**
   * Hands a held run back to the queue after it gave its slot to another tenant: QUEUED, its
   * attempt not counted and its epochs removed, a new ticket queued, and a REQUEUED event
   * published (the run starts over from epoch 1 when claimed again).
   * @returns whether the run was still held.
   */
  async yieldSlot(run: HeldRun, reason: string): Promise<boolean> {
    const { tenantId, runId, owner } = run;
    const moved = await withTenant(this.prisma, tenantId, (t) => this.runs.yieldSlot(t, tenantId, runId, owner));
    if (!moved) return false;
    await this.queue.enqueue('training-run', { tenantId, runId });
    await this.publish(run, { kind: 'REQUEUED', status: RunStatus.QUEUED, reason });
    return true;
  }

  /**
   * One reaper pass over every tenant: runs whose worker stopped renewing its lease go back to
   * the queue, or FAIL with WORKER_LOST after `maxAttempts` (their subscribers get the FINAL event).
   * @returns the ids handed back and failed.
   */
  async reap(maxAttempts: number): Promise<{ requeued: string[]; failed: string[] }> {
    const { failed, requeued } = await this.runs.reapLapsed(this.prisma, maxAttempts);
    for (const { id } of failed) {
      await this.pubsub.publish(Topics.trainingProgress(id), {
        runId: id,
        kind: 'FINAL',
        status: RunStatus.FAILED,
        failureCode: FailureCode.WORKER_LOST,
        failureMessage: 'The worker running this training run stopped responding',
      });
    }
    for (const { id, tenantId } of requeued) await this.queue.enqueue('training-run', { tenantId, runId: id });
    return { requeued: requeued.map((r) => r.id), failed: failed.map((r) => r.id) };
  }
}
