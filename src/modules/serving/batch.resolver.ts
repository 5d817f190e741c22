/**
 * Batch prediction: predict every row of a dataset as a job, poll it or follow its progress, then
 * download the CSV (GET downloadPath). All fields need the `predict` scope (UNAUTHENTICATED
 * without a credential, FORBIDDEN without the scope); the CSV holds the dataset's cells only for
 * readers that also hold `datasets:read` (see BatchPredictionService.result).
 */
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { BatchPrediction, BatchPredictionProgress } from './batch.type';
import { VersionArgs, versionSelector } from './version.args';

/** Starts, reads and streams batch predictions. */
@Resolver()
export class BatchPredictionResolver {
  /**
   * Queues a batch prediction of `datasetId` with the chosen version; returns it QUEUED. Scope: `predict`.
   * @throws NOT_FOUND (model, version, alias or dataset), MODEL_NOT_READY (no version yet).
   */
  @Authorized('predict')
  @Mutation(() => BatchPrediction, { description: 'Predicts every row of a dataset with a model version (as predict picks it), as a job.' })
  startBatchPrediction(@Args(() => VersionArgs) which: VersionArgs, @Arg('datasetId', () => ID) datasetId: string, @Ctx() ctx: Context) {
    return ctx.services.batch.start(ctx.actor!, which.model, versionSelector(which), datasetId);
  }

  /** One batch prediction of the tenant. Scope: `predict`. @throws NOT_FOUND (unknown, or another tenant's). */
  @Authorized('predict')
  @Query(() => BatchPrediction, { description: 'One batch prediction of your tenant.' })
  batchPrediction(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.batch.get(ctx.actor!, id);
  }

  /**
   * Deletes a finished batch prediction with its result (which counts against the storage quota).
   * Scope: `predict`. @throws NOT_FOUND (unknown, or another tenant's), INVALID_STATE (queued or running).
   */
  @Authorized('predict')
  @Mutation(() => Boolean, {
    description:
      'Deletes a finished (SUCCEEDED, FAILED or CANCELLED) batch prediction with its result CSV, which counts against the storage quota; refused with INVALID_STATE while it is queued or running.',
  })
  deleteBatchPrediction(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.batch.delete(ctx.actor!, id);
  }

  /** Progress events of one batch prediction until it ends. Scope: `predict`. @throws NOT_FOUND (before the stream starts). */
  @Authorized('predict')
  @Subscription(() => BatchPredictionProgress, {
    description: 'The current state at once, then one event per processed chunk, ending with SUCCEEDED or FAILED.',
    subscribe: ({ args, context }) => (context as Context).services.batch.progress((context as Context).actor!, String(args.id)),
  })
  batchPredictionProgress(@Arg('id', () => ID) _id: string, @Root() event: BatchPredictionProgress): BatchPredictionProgress {
    return event;
  }
}
