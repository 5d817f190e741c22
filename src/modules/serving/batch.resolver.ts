import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { BatchPrediction, BatchPredictionProgress } from './batch.type';

@Resolver()
export class BatchPredictionResolver {
  @Authorized('predict')
  @Mutation(() => BatchPrediction, { description: 'Predicts every row of a dataset with a model version (as predict picks it), as a job.' })
  startBatchPrediction(
    @Arg('model') model: string,
    @Arg('datasetId', () => ID) datasetId: string,
    @Arg('version', () => Int, { nullable: true }) version: number | null,
    @Arg('alias', () => String, { nullable: true }) alias: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.batch.start(ctx.actor!, model, { version: version ?? undefined, alias: alias ?? undefined }, datasetId);
  }

  @Authorized('predict')
  @Query(() => BatchPrediction)
  batchPrediction(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.batch.get(ctx.actor!, id);
  }

  @Authorized('predict')
  @Subscription(() => BatchPredictionProgress, {
    description: 'The current state at once, then one event per processed chunk, ending with SUCCEEDED or FAILED.',
    subscribe: ({ args, context }) => (context as Context).services.batch.progress((context as Context).actor!, String(args.id)),
  })
  batchPredictionProgress(@Arg('id', () => ID) _id: string, @Root() event: BatchPredictionProgress): BatchPredictionProgress {
    return event;
  }
}
