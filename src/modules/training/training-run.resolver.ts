/**
 * Training runs: start and cancel them (`training:run`), read them and follow their progress
 * (`training:read`). UNAUTHENTICATED without a credential, FORBIDDEN without the scope.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Take } from '../common/take';
import { ModelVersion } from '../registry/model.type';
import type { ProgressEvent } from './progress';
import { StartTrainingRunInput } from './spec.input';
import { EpochMetric, RunStatus, TrainingProgress, TrainingRun } from './training-run.type';

/** startTrainingRun, cancelTrainingRun, trainingRun(s), trainingProgress and TrainingRun's resolved fields. */
@Resolver(() => TrainingRun)
export class TrainingRunResolver {
  /**
   * Checks the spec against the dataset and queues the run (the worker trains it). Scope: `training:run`.
   * @throws NOT_FOUND (dataset), BAD_USER_INPUT (spec, columns, model name), QUOTA_EXCEEDED (too many
   *   QUEUED or RUNNING runs).
   */
  @Authorized('training:run')
  @Mutation(() => TrainingRun, { description: 'Validates the spec against the dataset and queues the run. Returns at once, in QUEUED.' })
  startTrainingRun(@Arg('input', () => StartTrainingRunInput) input: StartTrainingRunInput, @Ctx() ctx: Context) {
    return ctx.services.training.start(ctx.actor!, input);
  }

  /** Cancels a run that has not finished. Scope: `training:run`. @throws NOT_FOUND, INVALID_STATE (already finished). */
  @Authorized('training:run')
  @Mutation(() => TrainingRun, { description: 'Cancels a QUEUED or RUNNING run (a running one stops after its current epoch).' })
  cancelTrainingRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.training.cancel(ctx.actor!, id);
  }

  /** One run of the tenant. Scope: `training:read`. @throws NOT_FOUND (unknown, or another tenant's). */
  @Authorized('training:read')
  @Query(() => TrainingRun, { description: 'One training run of your tenant.' })
  trainingRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.training.get(ctx.actor!, id);
  }

  /** The tenant's runs, newest first, optionally in one status. Scope: `training:read`. */
  @Authorized('training:read')
  @Query(() => [TrainingRun], {
    description: 'Newest first.',
    deprecationReason: 'Use trainingRunsConnection: cursor paging (first/after), totalCount and filters. This list stays until clients have moved.',
  })
  trainingRuns(
    @Arg('status', () => RunStatus, { nullable: true, description: 'Only runs in this status.' }) status: RunStatus | null,
    @Take(50, 500) take: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.training.list(ctx.actor!, take, status ?? undefined);
  }

  /** `TrainingRun.workerId`: the lease owner. */
  @FieldResolver(() => String, { nullable: true, description: "The worker that ran (or runs) it: 'host:pid:id'." })
  workerId(@Root() run: TrainingRun): string | null {
    return run.leaseOwner ?? null;
  }

  /** `TrainingRun.metrics`: the stored epochs. */
  @FieldResolver(() => [EpochMetric], { description: 'Per-epoch metrics, in epoch order.' })
  metrics(@Root() run: TrainingRun, @Ctx() ctx: Context) {
    // Batched per request: a page of runs reads all their epochs in one statement (graphql/loaders.ts).
    return ctx.loaders.runMetrics.load(run.id);
  }

  /** `TrainingRun.modelVersion`: null until the run SUCCEEDS (or when the version was deleted). */
  @FieldResolver(() => ModelVersion, { nullable: true, description: 'The version this run produced, once SUCCEEDED.' })
  modelVersion(@Root() run: TrainingRun, @Ctx() ctx: Context) {
    // Batched per request (graphql/loaders.ts): one statement for a page of runs.
    return ctx.loaders.runVersion.load(run.id);
  }

  /**
   * Streams a run's progress: stored epochs replayed (those after `afterEpoch`), then live ones,
   * then FINAL. Scope: `training:read`.
   * @throws NOT_FOUND (before the stream starts) for another tenant's or an unknown run;
   *   BAD_USER_INPUT for a negative `afterEpoch`.
   */
  @Authorized('training:read')
  @Subscription(() => TrainingProgress, {
    description: 'One EPOCH event per finished epoch (epochs already done are replayed first, those after `afterEpoch` only), then one FINAL event; then the stream ends.',
    subscribe: ({ args, context }) =>
      (context as Context).services.training.progress((context as Context).actor!, String(args.runId), (args.afterEpoch as number | null | undefined) ?? 0),
  })
  trainingProgress(
    @Arg('runId', () => ID) _runId: string,
    @Arg('afterEpoch', () => Int, {
      nullable: true,
      description:
        'Replay only the stored epochs after this one, e.g. the last epoch a chart already has from metricHistory. Past the last stored epoch (the run started over since), every stored epoch is replayed. (Default: 0, every one)',
    })
    _afterEpoch: number | null,
    @Root() event: ProgressEvent,
  ): TrainingProgress {
    return event as TrainingProgress;
  }
}

/** `TrainingProgress.modelVersion`. */
@Resolver(() => TrainingProgress)
export class TrainingProgressResolver {
  /** The version a SUCCEEDED run created, on its FINAL event. */
  @FieldResolver(() => ModelVersion, { nullable: true })
  modelVersion(@Root() event: TrainingProgress, @Ctx() ctx: Context) {
    return event.modelVersionId ? ctx.services.models.getVersion(ctx.actor!, event.modelVersionId) : null;
  }
}
