/**
 * Drives a sweep, one pass at a time (the `sweep-advance` task, src/jobs/sweep-advance.job.ts):
 *
 * 1. Under the sweep's lock, in one tenant transaction: trials whose run ended take its outcome
 *    (SUCCEEDED with the version's objective, FAILED, CANCELLED); trials clearly behind are
 *    stopped (their runs CANCELLED, the median stopping rule of objective.ts); successive halving
 *    adds the next rung's trials when a rung is over; when no trial is open the sweep ends
 *    SUCCEEDED pointing at its best trial's version (FAILED when none succeeded); and the next
 *    PENDING trials, up to `maxConcurrent` open runs, are claimed (STARTING).
 * 2. After commit: the stopped runs' FINAL events are published (their workers stop), and each
 *    claimed trial is started as an ordinary training run (startTrainingRun as the system actor:
 *    same checks, quota and fair share as any run), then marked STARTED with its run id.
 *
 * Passes may run concurrently (the lock serialises step 1; a claimed trial is started by the pass
 * that claimed it). A cancelled sweep's trial claimed before the cancel has its new run cancelled.
 * A pass that dies between claiming and starting leaves its trials STARTING: a later pass takes
 * claims older than {@link STALE_CLAIM_MS} back to PENDING (if the first pass then still creates
 * its run, it keeps the trial only while STARTING, else cancels that run).
 */
import type { Db } from '../../lib/db';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { PubSub } from '../../lib/pubsub';
import { withTenant, type Tx } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import { systemActor } from '../auth/actor';
import { Topics } from '../events';
import { ACTIVE_STATUSES, RunStatus, isTerminal } from '../status';
import type { StartTrainingRunInput } from '../training/spec.input';
import { startTrainingRun, type StartDeps } from '../training/start-training-run';
import type { TrainingSpec } from '../../ml/spec';
import { readLeaderboard, type TrialView } from './leaderboard';
import { compareObjective, nextRung, shouldStopEarly, type Direction, type ObjectiveMetric } from './objective';
import { OPEN_TRIAL_STATUSES, TrialStatus, type SweepRepo } from './sweep.repo';

type SweepRow = NonNullable<Awaited<ReturnType<SweepRepo['find']>>>;

/** A STARTING claim older than this (ms) is taken back: its pass died before starting the run. */
const STALE_CLAIM_MS = 60_000;

/** What the driver needs: the start-run dependencies and the sweep table. */
export interface DriverDeps extends StartDeps {
  sweeps: SweepRepo;
  pubsub: PubSub;
  log: Logger;
}

/** What step 1 decided. */
interface Plan {
  sweep?: SweepRow;
  claimed: TrialView[];
  stoppedRuns: string[];
  changed: boolean;
}

/** Advances sweeps (see the module comment). */
export class SweepDriver {
  private readonly prisma: Db;
  private readonly audit: AuditRepo;

  constructor(private readonly deps: DriverDeps) {
    this.prisma = deps.prisma;
    this.audit = deps.audit;
  }

  /**
   * One pass over the sweep.
   * @returns `done` when the sweep has ended (or is gone): no more passes are needed.
   */
  async advance(tenantId: string, sweepId: string): Promise<{ done: boolean }> {
    const plan = await withTenant(this.prisma, tenantId, (tx) => this.plan(tx, tenantId, sweepId));
    for (const runId of plan.stoppedRuns) {
      await this.deps.pubsub.publish(Topics.trainingProgress(runId), { runId, kind: 'FINAL', status: RunStatus.CANCELLED });
    }
    if (!plan.sweep) return { done: true };
    for (const trial of plan.claimed) await this.startTrial(plan.sweep, trial);
    const status = plan.sweep.status;
    if (plan.changed || plan.claimed.length) await this.deps.pubsub.publish(Topics.sweepChanged(sweepId), { sweepId, status });
    return { done: isTerminal(status) };
  }

  private async plan(tx: Tx, tenantId: string, sweepId: string): Promise<Plan> {
    const { sweeps, runs } = this.deps;
    await sweeps.lock(tx, sweepId);
    const found = await sweeps.find(tx, tenantId, sweepId);
    if (!found || found.status !== RunStatus.RUNNING) return { sweep: found ?? undefined, claimed: [], stoppedRuns: [], changed: false };
    const sweep = found;
    const metric = sweep.objectiveMetric as ObjectiveMetric;
    const direction = sweep.objectiveDirection as Direction;
    const { trials } = await readLeaderboard(tx, sweeps, sweep);
    const plan: Plan = { sweep, claimed: [], stoppedRuns: [], changed: false };
    const now = new Date();

    // 1. Trials whose run ended take its outcome; stale claims go back to PENDING.
    for (const t of trials) {
      if (t.status === TrialStatus.STARTING && (t.claimedAt?.getTime() ?? 0) < now.getTime() - STALE_CLAIM_MS) {
        if (await sweeps.updateTrial(tx, tenantId, t.id, [TrialStatus.STARTING], { status: TrialStatus.PENDING, claimedAt: null })) t.status = TrialStatus.PENDING;
        continue;
      }
      if (t.status !== TrialStatus.STARTED) continue;
      const ended = t.runStatus === null || isTerminal(t.runStatus);
      if (!ended) continue;
      const status = t.runStatus === RunStatus.SUCCEEDED ? TrialStatus.SUCCEEDED : t.runStatus === RunStatus.CANCELLED ? TrialStatus.CANCELLED : TrialStatus.FAILED;
      const objective = status === TrialStatus.SUCCEEDED ? t.objective : null;
      const failureMessage = t.runStatus === null ? 'The training run was deleted' : null;
      await sweeps.updateTrial(tx, tenantId, t.id, [TrialStatus.STARTED], { status, objective, modelVersionId: t.modelVersionId, finishedAt: now, failureMessage });
      Object.assign(t, { status, objective });
      plan.changed = true;
    }

    // 2. Early stopping: running trials clearly behind the finished ones of their rung.
    if (sweep.earlyStop) {
      for (const t of trials) {
        if (t.status !== TrialStatus.STARTED || t.runStatus !== RunStatus.RUNNING || !t.runId) continue;
        const finished = trials.filter((o) => o.rung === t.rung && o.status === TrialStatus.SUCCEEDED).map((o) => o.curve);
        if (!shouldStopEarly(direction, t.curve, finished, t.epochs)) continue;
        const moved = await runs.transition(tx, tenantId, t.runId, ACTIVE_STATUSES, { status: RunStatus.CANCELLED, finishedAt: now });
        if (!moved) continue;
        await sweeps.updateTrial(tx, tenantId, t.id, [TrialStatus.STARTED], { status: TrialStatus.STOPPED_EARLY, objective: t.objective, finishedAt: now });
        await this.audit.record(tx, systemActor(tenantId), {
          action: 'sweep.trialStopped',
          targetType: 'TrainingRun',
          targetId: t.runId,
          details: { sweepId, trial: t.index, epoch: t.epochsDone, objective: t.objective },
        });
        t.status = TrialStatus.STOPPED_EARLY;
        plan.stoppedRuns.push(t.runId);
        plan.changed = true;
      }
    }

    // 3. Successive halving: the next rung once the current one is over.
    const open = (t: TrialView) => OPEN_TRIAL_STATUSES.includes(t.status as TrialStatus);
    const top = Math.max(...trials.map((t) => t.rung));
    const rung = trials.filter((t) => t.rung === top);
    if (sweep.strategy === 'SUCCESSIVE_HALVING' && !rung.some(open)) {
      const succeeded = rung.filter((t) => t.status === TrialStatus.SUCCEEDED && t.objective !== null);
      succeeded.sort((a, b) => compareObjective(direction, a.objective, b.objective) || a.index - b.index);
      const next = nextRung(sweep.eta ?? 3, rung[0].epochs ?? 1, sweep.maxEpochs ?? 1, succeeded.length);
      if (next) {
        let index = Math.max(...trials.map((t) => t.index)) + 1;
        const added = succeeded.slice(0, next.keep).map((t) => ({
          index: index++,
          config: t.config,
          rung: top + 1,
          params: t.params as object,
          spec: { ...(t.spec as object), epochs: next.epochs },
          epochs: next.epochs,
        }));
        await sweeps.addTrials(tx, tenantId, sweepId, added);
        plan.changed = true;
        return { ...plan, ...(await this.claim(tx, sweep, plan)) };
      }
    }

    // 4. The end: no open trial left.
    if (!trials.some(open)) {
      const pool = sweep.strategy === 'SUCCESSIVE_HALVING' ? rung : trials;
      const best = pool
        .filter((t) => t.status === TrialStatus.SUCCEEDED && t.objective !== null && t.modelVersionId)
        .sort((a, b) => compareObjective(direction, a.objective, b.objective) || a.index - b.index)[0];
      const data = best
        ? { status: RunStatus.SUCCEEDED, bestTrialId: best.id, bestVersionId: best.modelVersionId, finishedAt: now }
        : { status: RunStatus.FAILED, failureMessage: `No trial succeeded with a ${metric} on the test split`, finishedAt: now };
      await sweeps.updateSweep(tx, tenantId, sweepId, [RunStatus.RUNNING], data);
      await this.audit.record(tx, systemActor(tenantId), {
        action: 'sweep.finished',
        targetType: 'Sweep',
        targetId: sweepId,
        details: { status: data.status, bestTrial: best?.index ?? null, bestVersionId: best?.modelVersionId ?? null, objective: best?.objective ?? null },
      });
      return { ...plan, sweep: { ...sweep, ...data } as SweepRow, changed: true };
    }
    return { ...plan, ...(await this.claim(tx, sweep, plan)) };
  }

  /** Claims PENDING trials (lowest index first) up to `maxConcurrent` open runs. */
  private async claim(tx: Tx, sweep: SweepRow, plan: Plan): Promise<Pick<Plan, 'claimed'>> {
    const { trials } = await readLeaderboard(tx, this.deps.sweeps, sweep);
    const running = trials.filter((t) => t.status === TrialStatus.STARTING || t.status === TrialStatus.STARTED).length;
    const pending = trials.filter((t) => t.status === TrialStatus.PENDING).sort((a, b) => a.index - b.index);
    const claimed = pending.slice(0, Math.max(0, sweep.maxConcurrent - running));
    for (const t of claimed) await this.deps.sweeps.updateTrial(tx, sweep.tenantId, t.id, [TrialStatus.PENDING], { status: TrialStatus.STARTING, claimedAt: new Date() });
    return { claimed: [...plan.claimed, ...claimed] };
  }

  /**
   * Starts a claimed trial's run and marks it STARTED. A refused start goes back to PENDING when
   * the tenant is at its concurrent-runs quota (a later pass retries), else FAILS the trial with
   * the error's message.
   */
  private async startTrial(sweep: SweepRow, trial: TrialView): Promise<void> {
    const { tenantId } = sweep;
    const { sweeps, runs } = this.deps;
    const input = {
      datasetId: sweep.datasetId,
      targetColumn: sweep.targetColumn,
      featureColumns: sweep.featureColumns,
      modelName: sweep.modelName,
    } as StartTrainingRunInput;
    let runId: string;
    try {
      runId = (await startTrainingRun(this.deps, systemActor(tenantId), input, { normalizedSpec: trial.spec as unknown as TrainingSpec })).id;
    } catch (err) {
      const retry = !(err instanceof AppError) || err.code === 'QUOTA_EXCEEDED';
      if (!(err instanceof AppError)) this.deps.log.warn({ sweepId: sweep.id, trial: trial.index, err: (err as Error).message }, 'sweep trial could not be started');
      await withTenant(this.prisma, tenantId, (tx) =>
        sweeps.updateTrial(
          tx,
          tenantId,
          trial.id,
          [TrialStatus.STARTING],
          retry ? { status: TrialStatus.PENDING } : { status: TrialStatus.FAILED, failureMessage: (err as Error).message, finishedAt: new Date() },
        ),
      );
      return;
    }
    const kept = await withTenant(this.prisma, tenantId, async (tx) => {
      await sweeps.lock(tx, sweep.id);
      if (await sweeps.updateTrial(tx, tenantId, trial.id, [TrialStatus.STARTING], { status: TrialStatus.STARTED, runId })) return true;
      // The sweep was cancelled while the run was being created: cancel the run too.
      await runs.transition(tx, tenantId, runId, ACTIVE_STATUSES, { status: RunStatus.CANCELLED, finishedAt: new Date() });
      return false;
    });
    if (!kept) await this.deps.pubsub.publish(Topics.trainingProgress(runId), { runId, kind: 'FINAL', status: RunStatus.CANCELLED });
  }
}
