/**
 * Training runs as the API sees them: started (start-training-run.ts), read, cancelled and
 * followed by subscription. Executed by src/jobs/training-run.job.ts.
 */
import { mainTurns } from '../../lib/fair-turns';
import type { Db } from '../../lib/db';
import { AppError, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import { Topics } from '../events';
import { pageWindow, type PageRequest } from '../common/keyset';
import { ACTIVE_STATUSES, RunStatus } from '../status';
import type { RunFilter } from './training-run.repo';
import { downsample, type MetricSeries } from './metric-history';
import type { ProgressEvent } from './progress';
import { progressStream } from './progress-stream';
import type { StartTrainingRunInput } from './spec.input';
import { startTrainingRun, type StartDeps, type StartOptions } from './start-training-run';

/** Training runs of a tenant, for the API. */
export class TrainingRunService {
  private readonly prisma: Db;
  private readonly runs: StartDeps['runs'];

  constructor(
    private readonly deps: StartDeps,
    private readonly pubsub: PubSub,
  ) {
    this.prisma = deps.prisma;
    this.runs = deps.runs;
  }

  /** See {@link startTrainingRun}. */
  start(actor: Actor, input: StartTrainingRunInput, options?: StartOptions) {
    return startTrainingRun(this.deps, actor, input, options);
  }

  /**
   * A page of the tenant's runs, newest first (`training:read`).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(actor: Actor, args: PageRequest, filter: RunFilter, sizes: { default: number; max: number }) {
    requireScope(actor, 'training:read');
    const window = pageWindow(args, sizes.default, sizes.max, 'runs');
    return withTenant(this.prisma, actor.tenantId, (tx) => this.runs.page(tx, actor.tenantId, filter, window));
  }

  /**
   * Epoch metrics of several runs in one statement, grouped per run in `runIds` order (DataLoader's
   * batch function; runs of other tenants get none). Scope: `training:read`.
   */
  async metricsOfRuns(actor: Actor, runIds: readonly string[]) {
    requireScope(actor, 'training:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.runs.metricsOfRuns(tx, actor.tenantId, runIds));
    const byRun = new Map<string, typeof rows>(runIds.map((id) => [id, []]));
    for (const r of rows) byRun.get(r.trainingRunId)?.push(r);
    return runIds.map((id) => byRun.get(id)!);
  }

  /**
   * A run's metric curves for charts, down-sampled to about `samples` points each (`training:read`).
   * @throws AppError NOT_FOUND (unknown or another tenant's run), BAD_USER_INPUT (keys, samples).
   */
  async metricHistory(actor: Actor, runId: string, keys: readonly string[], samples: number): Promise<MetricSeries[]> {
    requireScope(actor, 'training:read');
    const epochs = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      if (!(await this.runs.find(tx, actor.tenantId, runId))) throw notFound('Training run', runId);
      return this.runs.metrics(tx, actor.tenantId, runId);
    });
    return downsample(epochs, keys, samples);
  }

  /** One of the tenant's runs (`training:read`). @throws AppError FORBIDDEN, NOT_FOUND. */
  async get(actor: Actor, id: string) {
    requireScope(actor, 'training:read');
    const run = await withTenant(this.prisma, actor.tenantId, (tx) => this.runs.find(tx, actor.tenantId, id));
    if (!run) throw notFound('Training run', id);
    return run;
  }

  /** Runs by id, in `ids` order, null for each unknown or another tenant's (`training:read`): one statement. @throws AppError FORBIDDEN. */
  async getMany(actor: Actor, ids: readonly string[]) {
    requireScope(actor, 'training:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.runs.findMany(tx, actor.tenantId, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The tenant's runs, newest first (`training:read`). @throws AppError FORBIDDEN. */
  async list(actor: Actor, take: number, status?: RunStatus) {
    requireScope(actor, 'training:read');
    return withTenant(this.prisma, actor.tenantId, (tx) => this.runs.list(tx, actor.tenantId, take, status));
  }

  /** Stored epoch metrics of the tenant's run (empty for another tenant's). @throws AppError FORBIDDEN. */
  async metrics(actor: Actor, runId: string) {
    requireScope(actor, 'training:read');
    return withTenant(this.prisma, actor.tenantId, (tx) => this.runs.metrics(tx, actor.tenantId, runId));
  }

  /** The id of the version the tenant's run produced, or null. */
  async versionId(actor: Actor, runId: string): Promise<string | null> {
    const v = await withTenant(this.prisma, actor.tenantId, (tx) => this.runs.versionOf(tx, actor.tenantId, runId));
    return v?.id ?? null;
  }

  /**
   * Cancels a QUEUED or RUNNING run (`training:run`); audited. A running one is ended by its worker
   * on the FINAL CANCELLED event published after commit.
   * @throws AppError FORBIDDEN, NOT_FOUND, INVALID_STATE (already finished).
   */
  async cancel(actor: Actor, id: string) {
    requireScope(actor, 'training:run');
    const run = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const found = await this.runs.find(tx, actor.tenantId, id);
      if (!found) throw notFound('Training run', id);
      const moved = await this.runs.transition(tx, actor.tenantId, id, ACTIVE_STATUSES, { status: RunStatus.CANCELLED, finishedAt: new Date() });
      if (!moved) throw new AppError('INVALID_STATE', `Training run '${id}' has already finished with status ${found.status}`);
      await this.deps.audit.record(tx, actor, { action: 'trainingRun.cancelled', targetType: 'TrainingRun', targetId: id });
      return this.runs.find(tx, actor.tenantId, id);
    });
    await this.pubsub.publish(Topics.trainingProgress(id), { runId: id, kind: 'FINAL', status: RunStatus.CANCELLED } satisfies ProgressEvent);
    return run!;
  }

  /**
   * Progress of a run: first the epochs already stored (those after `afterEpoch`, see
   * {@link progressStream}), then live events, ending with FINAL.
   * @throws AppError FORBIDDEN, NOT_FOUND (before the stream starts) for another tenant's or an
   *   unknown run; BAD_USER_INPUT naming `afterEpoch` when it is negative.
   */
  async progress(actor: Actor, runId: string, afterEpoch = 0): Promise<AsyncIterable<ProgressEvent>> {
    requireScope(actor, 'training:read');
    if (!Number.isInteger(afterEpoch) || afterEpoch < 0) {
      throw new AppError('BAD_USER_INPUT', `afterEpoch must be a whole number of 0 or more, got ${afterEpoch}`, { field: 'afterEpoch', value: afterEpoch });
    }
    const live = this.pubsub.subscribe(Topics.trainingProgress(runId));
    try {
      const { run, stored, versionId } = await withTenant(this.prisma, actor.tenantId, async (tx) => {
        const found = await this.runs.find(tx, actor.tenantId, runId);
        if (!found) throw notFound('Training run', runId);
        return {
          run: found,
          stored: await this.runs.metrics(tx, actor.tenantId, runId),
          versionId: (await this.runs.versionOf(tx, actor.tenantId, runId))?.id ?? null,
        };
      });
      return progressStream(run, stored, versionId, live, afterEpoch, () => mainTurns.turn(actor.tenantId));
    } catch (err) {
      await live.return();
      throw err;
    }
  }
}
