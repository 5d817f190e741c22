/**
 * Hyperparameter sweeps as the API sees them: started (start-sweep.ts), read with their ranked
 * trials, paged, cancelled, and followed by subscription. Driven by src/modules/sweeps/sweep-driver.ts
 * (the `sweep-advance` task). Glossary: a *sweep* tries configurations of one base spec; a
 * *trial* is one configuration trained as one ordinary training run; its *objective* is a test
 * metric of the version the run produced.
 */
import { AppError, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import { pageWindow, type PageRequest } from '../common/keyset';
import { Topics } from '../events';
import { ACTIVE_STATUSES, RunStatus } from '../status';
import { readLeaderboard, type Leaderboard } from './leaderboard';
import { leaderboardStream } from './leaderboard-stream';
import { startSweep, type SpecParser, type StartSweepDeps, type StartSweepRequest } from './start-sweep';
import { OPEN_TRIAL_STATUSES, TrialStatus } from './sweep.repo';

/** Sweeps of a tenant, for the API. */
export class SweepService {
  constructor(
    private readonly deps: StartSweepDeps,
    private readonly pubsub: PubSub,
  ) {}

  /** See {@link startSweep}. */
  start(actor: Actor, req: StartSweepRequest, parser: SpecParser) {
    return startSweep(this.deps, actor, req, parser);
  }

  /**
   * The sweep with its trials ranked (`training:read`).
   * @throws AppError FORBIDDEN, NOT_FOUND (unknown, or another tenant's).
   */
  async leaderboard(actor: Actor, id: string): Promise<Leaderboard> {
    requireScope(actor, 'training:read');
    return withTenant(this.deps.prisma, actor.tenantId, async (tx) => {
      const sweep = await this.deps.sweeps.find(tx, actor.tenantId, id);
      if (!sweep) throw notFound('Sweep', id);
      return readLeaderboard(tx, this.deps.sweeps, sweep);
    });
  }

  /** One sweep of the tenant (`training:read`). @throws AppError FORBIDDEN, NOT_FOUND. */
  async get(actor: Actor, id: string) {
    requireScope(actor, 'training:read');
    const sweep = await withTenant(this.deps.prisma, actor.tenantId, (tx) => this.deps.sweeps.find(tx, actor.tenantId, id));
    if (!sweep) throw notFound('Sweep', id);
    return sweep;
  }

  /** Several sweeps of the tenant by id, in `ids` order, null for each unknown or another tenant's (`training:read`; one statement: the `nodes` DataLoader). @throws AppError FORBIDDEN. */
  async getMany(actor: Actor, ids: readonly string[]) {
    requireScope(actor, 'training:read');
    const rows = await withTenant(this.deps.prisma, actor.tenantId, (tx) => this.deps.sweeps.findMany(tx, actor.tenantId, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * A page of the tenant's sweeps, newest first (`training:read`).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(actor: Actor, args: PageRequest, filter: { status?: RunStatus }, sizes: { default: number; max: number }) {
    requireScope(actor, 'training:read');
    const window = pageWindow(args, sizes.default, sizes.max, 'sweeps');
    return withTenant(this.deps.prisma, actor.tenantId, (tx) => this.deps.sweeps.page(tx, actor.tenantId, filter, window));
  }

  /**
   * Cancels a RUNNING sweep (`training:run`): its QUEUED and RUNNING trial runs are CANCELLED (their
   * workers stop on the FINAL event published after commit), trials not started yet are CANCELLED;
   * audited.
   * @throws AppError FORBIDDEN, NOT_FOUND, INVALID_STATE (the sweep already ended).
   */
  async cancel(actor: Actor, id: string) {
    requireScope(actor, 'training:run');
    const { sweeps, runs, audit } = this.deps;
    const { cancelledRuns, sweep } = await withTenant(this.deps.prisma, actor.tenantId, async (tx) => {
      await sweeps.lock(tx, id);
      const found = await sweeps.find(tx, actor.tenantId, id);
      if (!found) throw notFound('Sweep', id);
      const now = new Date();
      if (!(await sweeps.updateSweep(tx, actor.tenantId, id, [RunStatus.RUNNING, RunStatus.QUEUED], { status: RunStatus.CANCELLED, finishedAt: now })))
        throw new AppError('INVALID_STATE', `Sweep '${id}' has already finished with status ${found.status}`);
      const cancelledRuns: string[] = [];
      for (const t of await sweeps.trials(tx, actor.tenantId, id)) {
        if (!OPEN_TRIAL_STATUSES.includes(t.status as TrialStatus)) continue;
        if (t.runId && (await runs.transition(tx, actor.tenantId, t.runId, ACTIVE_STATUSES, { status: RunStatus.CANCELLED, finishedAt: now }))) cancelledRuns.push(t.runId);
        await sweeps.updateTrial(tx, actor.tenantId, t.id, OPEN_TRIAL_STATUSES, { status: TrialStatus.CANCELLED, finishedAt: now });
      }
      await audit.record(tx, actor, { action: 'sweep.cancelled', targetType: 'Sweep', targetId: id, details: { runsCancelled: cancelledRuns.length } });
      // Read back here, not through get(): a training:run key may cancel what it may not read elsewhere (as cancelTrainingRun).
      return { cancelledRuns, sweep: (await sweeps.find(tx, actor.tenantId, id))! };
    });
    for (const runId of cancelledRuns) await this.pubsub.publish(Topics.trainingProgress(runId), { runId, kind: 'FINAL', status: RunStatus.CANCELLED });
    await this.pubsub.publish(Topics.sweepChanged(id), { sweepId: id, status: RunStatus.CANCELLED });
    return sweep;
  }

  /**
   * The ranked trials now, then again whenever a trial's run reports an epoch or ends or the sweep
   * changes; the stream ends after the sweep has ended (`training:read`).
   * @throws AppError FORBIDDEN, NOT_FOUND (before the stream starts).
   */
  async follow(actor: Actor, id: string): Promise<AsyncIterable<Leaderboard>> {
    requireScope(actor, 'training:read');
    const changes = this.pubsub.subscribe(Topics.sweepChanged(id));
    try {
      const first = await this.leaderboard(actor, id);
      return leaderboardStream(
        first,
        changes,
        (runId) => this.pubsub.subscribe(Topics.trainingProgress(runId)),
        () => this.leaderboard(actor, id),
      );
    } catch (err) {
      await changes.return();
      throw err;
    }
  }
}
