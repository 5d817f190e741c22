/**
 * Sweeps: startSweep and cancelSweep (`training:run`), sweep, sweeps and the sweepLeaderboard
 * subscription (`training:read`). UNAUTHENTICATED without a credential, FORBIDDEN without the
 * scope, NOT_FOUND for another tenant's sweep.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import { RunStatus } from '../common/job.type';
import { ModelVersion } from '../registry/model.type';
import { TrainingRun } from '../training/training-run.type';
import type { Leaderboard, TrialView } from './leaderboard';
import { specParser, StartSweepInput } from './sweep.input';
import type { SweepService } from './sweep.service';
import { Sweep, SweepConnection, SweepLeaderboard, SweepObjective, SweepTrial, SweepTrialStatus } from './sweep.type';
import { isTerminal, type RunStatus as Status } from '../status';

type SweepRow = Leaderboard['sweep'];

/** What these resolvers read of the GraphQL context, named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  config: { GRAPHQL_FIELD_SUGGESTIONS?: boolean };
  services: {
    sweeps: SweepService;
    training: { get(actor: Actor, id: string): Promise<unknown> };
    models: { getVersion(actor: Actor, id: string): Promise<unknown> };
  };
}

/** A trial as the API shows it: a started trial shows its run's status until it takes the outcome. */
function trialOf(t: TrialView): SweepTrial {
  const status =
    t.status === 'PENDING' || t.status === 'STARTING'
      ? SweepTrialStatus.PENDING
      : t.status === 'STARTED'
        ? ((t.runStatus && !isTerminal(t.runStatus) ? t.runStatus : (t.runStatus ?? 'QUEUED')) as SweepTrialStatus)
        : (t.status as SweepTrialStatus);
  return { ...t, status, params: t.params as Record<string, unknown>, trainingRunId: t.runId };
}

const sweepOf = (s: SweepRow) => s as unknown as Sweep;
const boardOf = (b: Leaderboard): SweepLeaderboard => ({ sweep: sweepOf(b.sweep), trials: b.trials.map(trialOf) });

/** startSweep, cancelSweep, sweep, sweeps, sweepLeaderboard and Sweep's resolved fields. */
@Resolver(() => Sweep)
export class SweepResolver {
  /**
   * Validates every trial's spec and starts the sweep (its driver starts the trials). Scope: `training:run`.
   * @throws NOT_FOUND (dataset), BAD_USER_INPUT (space path or value, naming both; budget), QUOTA_EXCEEDED (budget caps).
   */
  @Authorized('training:run')
  @Mutation(() => Sweep, {
    description:
      "Starts a hyperparameter sweep: every trial's spec is checked as startTrainingRun would before anything is stored; trials then train as ordinary runs, at most budget.maxConcurrent at once. Returns at once, RUNNING.",
  })
  startSweep(@Arg('input', () => StartSweepInput) input: StartSweepInput, @Info() info: GraphQLResolveInfo, @Ctx() ctx: Context) {
    return ctx.services.sweeps.start(ctx.actor!, input, specParser(info.schema, { suggestions: ctx.config.GRAPHQL_FIELD_SUGGESTIONS === true }));
  }

  /** Cancels a running sweep and every trial run not finished. Scope: `training:run`. @throws NOT_FOUND, INVALID_STATE. */
  @Authorized('training:run')
  @Mutation(() => Sweep, { description: 'Cancels a RUNNING sweep: its QUEUED and RUNNING trial runs are cancelled, trials not started never will be.' })
  cancelSweep(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.sweeps.cancel(ctx.actor!, id);
  }

  /** One sweep of the tenant. Scope: `training:read`. @throws NOT_FOUND (unknown, or another tenant's). */
  @Authorized('training:read')
  @Query(() => Sweep, { description: 'One sweep of your tenant (its `leaderboard` ranks the trials).' })
  sweep(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.sweeps.get(ctx.actor!, id);
  }

  /** A page of the tenant's sweeps, newest first. Scope: `training:read`. */
  @Authorized('training:read')
  @Query(() => SweepConnection, { description: "Your tenant's sweeps, newest first, a page at a time (Relay connection)." })
  sweeps(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('status', () => RunStatus, { nullable: true, description: 'Only sweeps in this status.' }) status: Status | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Sweep>> {
    return ctx.services.sweeps.page(ctx.actor!, page, { status: status ?? undefined }, { default: DEFAULT_PAGE, max: MAX_PAGE }) as unknown as Promise<ConnectionShape<Sweep>>;
  }

  /** `Sweep.objective`. */
  @FieldResolver(() => SweepObjective)
  objective(@Root() s: SweepRow): SweepObjective {
    return { metric: s.objectiveMetric, direction: s.objectiveDirection as SweepObjective['direction'] };
  }

  /** `Sweep.leaderboard`: the trials ranked, best first. */
  @FieldResolver(() => [SweepTrial], { description: 'The trials ranked, best first (see SweepTrial.rank).' })
  async leaderboard(@Root() s: SweepRow, @Ctx() ctx: Context): Promise<SweepTrial[]> {
    return (await ctx.services.sweeps.leaderboard(ctx.actor!, s.id)).trials.map(trialOf);
  }

  /** `Sweep.bestVersion`. */
  @FieldResolver(() => ModelVersion, { nullable: true, description: "The best trial's version, once SUCCEEDED (null if it was deleted)." })
  async bestVersion(@Root() s: SweepRow, @Ctx() ctx: Context) {
    return s.bestVersionId ? ctx.services.models.getVersion(ctx.actor!, s.bestVersionId).catch(() => null) : null;
  }

  /**
   * The ranked trials now, then after every epoch or end of a trial's run and every change of the
   * sweep; ends after the sweep ended. Scope: `training:read`.
   * @throws NOT_FOUND (before the stream starts) for another tenant's or an unknown sweep.
   */
  @Authorized('training:read')
  @Subscription(() => SweepLeaderboard, {
    description: 'The sweep and its ranked trials now, then again whenever a trial reports an epoch or ends or the sweep changes; the stream ends after the sweep ended.',
    subscribe: ({ args, context }) => (context as Context).services.sweeps.follow((context as Context).actor!, String(args.sweepId)),
  })
  sweepLeaderboard(@Arg('sweepId', () => ID) _sweepId: string, @Root() board: Leaderboard): SweepLeaderboard {
    return boardOf(board);
  }
}

/** `SweepTrial.trainingRun` and `SweepTrial.modelVersion`. */
@Resolver(() => SweepTrial)
export class SweepTrialResolver {
  /** The trial's training run. */
  @FieldResolver(() => TrainingRun, { nullable: true })
  trainingRun(@Root() t: SweepTrial, @Ctx() ctx: Context) {
    return t.trainingRunId ? ctx.services.training.get(ctx.actor!, t.trainingRunId).catch(() => null) : null;
  }

  /** The version the trial's run produced. */
  @FieldResolver(() => ModelVersion, { nullable: true })
  modelVersion(@Root() t: SweepTrial, @Ctx() ctx: Context) {
    return t.modelVersionId ? ctx.services.models.getVersion(ctx.actor!, t.modelVersionId).catch(() => null) : null;
  }
}
