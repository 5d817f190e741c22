import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { ModelVersion } from '../registry/model.type';
import type { ProgressEvent } from './progress';
import { StartTrainingRunInput } from './spec.input';
import { EpochMetric, RunStatus, TrainingProgress, TrainingRun } from './training-run.type';

@Resolver(() => TrainingRun)
export class TrainingRunResolver {
  @Authorized('training:run')
  @Mutation(() => TrainingRun, { description: 'Validates the spec against the dataset and queues the run. Returns at once, in QUEUED.' })
  startTrainingRun(@Arg('input', () => StartTrainingRunInput) input: StartTrainingRunInput, @Ctx() ctx: Context) {
    return ctx.services.training.start(ctx.actor!, input);
  }

  @Authorized('training:run')
  @Mutation(() => TrainingRun, { description: 'Cancels a QUEUED or RUNNING run (a running one stops after its current epoch).' })
  cancelTrainingRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.training.cancel(ctx.actor!, id);
  }

  @Authorized('training:read')
  @Query(() => TrainingRun)
  trainingRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.training.get(ctx.actor!, id);
  }

  @Authorized('training:read')
  @Query(() => [TrainingRun], { description: 'Newest first.' })
  trainingRuns(
    @Arg('status', () => RunStatus, { nullable: true }) status: RunStatus | null,
    @Arg('take', () => Int, { defaultValue: 50 }) take: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.training.list(ctx.actor!, Math.min(Math.max(take, 1), 500), status ?? undefined);
  }

  @FieldResolver(() => String, { nullable: true, description: "The worker that ran (or runs) it: 'host:pid:id'." })
  workerId(@Root() run: TrainingRun): string | null {
    return run.leaseOwner ?? null;
  }

  @FieldResolver(() => [EpochMetric], { description: 'Per-epoch metrics, in epoch order.' })
  metrics(@Root() run: TrainingRun, @Ctx() ctx: Context) {
    return ctx.services.training.metrics(ctx.actor!, run.id);
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: 'The version this run produced, once SUCCEEDED.' })
  async modelVersion(@Root() run: TrainingRun, @Ctx() ctx: Context) {
    const id = await ctx.services.training.versionId(ctx.actor!, run.id);
    return id ? ctx.services.models.getVersion(ctx.actor!, id) : null;
  }

  @Authorized('training:read')
  @Subscription(() => TrainingProgress, {
    description: 'One EPOCH event per finished epoch (epochs already done are replayed first), then one FINAL event; then the stream ends.',
    subscribe: ({ args, context }) => (context as Context).services.training.progress((context as Context).actor!, String(args.runId)),
  })
  trainingProgress(@Arg('runId', () => ID) _runId: string, @Root() event: ProgressEvent): TrainingProgress {
    return event as TrainingProgress;
  }
}

@Resolver(() => TrainingProgress)
export class TrainingProgressResolver {
  @FieldResolver(() => ModelVersion, { nullable: true })
  modelVersion(@Root() event: TrainingProgress, @Ctx() ctx: Context) {
    return event.modelVersionId ? ctx.services.models.getVersion(ctx.actor!, event.modelVersionId) : null;
  }
}
