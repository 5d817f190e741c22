/** The paged, filtered batch predictions list (`batchPredictionsConnection`). Scope: `predict`. */
import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { connectionOf, CreatedRangeArgs, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import { RunStatus } from '../common/job.type';
import type { BatchPredictionService } from './batch.service';
import { BatchPrediction } from './batch.type';
import { createdFilter } from '../common/created-filter';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { batch: BatchPredictionService };
}

/** A page of batch predictions (Relay). */
export const BatchPredictionConnection = connectionOf('BatchPrediction', BatchPrediction);

/** batchPredictionsConnection. */
@Resolver()
export class BatchPagesResolver {
  /** A page of the tenant's batch predictions, newest first. Scope: `predict`. @throws BAD_USER_INPUT (paging arguments, cursor). */
  @Authorized('predict')
  @Query(() => BatchPredictionConnection, { description: "Your tenant's batch predictions, newest first, a page at a time (Relay connection)." })
  batchPredictionsConnection(
    @Args(() => PageArgs) page: PageArgs,
    @Args(() => CreatedRangeArgs) range: CreatedRangeArgs,
    @Arg('status', () => RunStatus, { nullable: true, description: 'Only batches in this status.' }) status: RunStatus | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<BatchPrediction>> {
    const filter = { status: status ?? undefined, ...createdFilter(range) };
    return ctx.services.batch.page(ctx.actor!, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE });
  }
}
