/**
 * Runs for clients and charts: the paged, filtered `trainingRunsConnection`, `metricHistory`, and
 * `TrainingRun.dataset` (batched per request). Scope: `training:read` (`datasets:read` for the dataset).
 */
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { CreatedRangeArgs, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import { Dataset } from '../datasets/dataset.type';
import { MetricSeries, TrainingRunConnection } from './run-pages.type';
import { RunStatus, TrainingRun } from './training-run.type';
import type { TrainingRunService } from './training-run.service';
import { createdFilter } from '../common/created-filter';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts, loaders.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { training: TrainingRunService };
  loaders: { dataset: { load(id: string): Promise<unknown> } };
}

/** trainingRunsConnection, metricHistory and TrainingRun.dataset. */
@Resolver(() => TrainingRun)
export class RunPagesResolver {
  /** A page of the tenant's runs, newest first, filtered. Scope: `training:read`. @throws BAD_USER_INPUT (paging arguments, cursor). */
  @Authorized('training:read')
  @Query(() => TrainingRunConnection, { description: "Your tenant's training runs, newest first, a page at a time (Relay connection), filtered." })
  trainingRunsConnection(
    @Args(() => PageArgs) page: PageArgs,
    @Args(() => CreatedRangeArgs) range: CreatedRangeArgs,
    @Arg('status', () => RunStatus, { nullable: true, description: 'Only runs in this status.' }) status: RunStatus | null,
    @Arg('modelName', () => String, { nullable: true, description: 'Only runs whose model name contains this, any case.' }) modelName: string | null,
    @Arg('datasetId', () => ID, { nullable: true, description: 'Only runs on this dataset.' }) datasetId: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<TrainingRun>> {
    const filter = {
      status: status ?? undefined,
      modelName: modelName || undefined,
      datasetId: datasetId ?? undefined,
      ...createdFilter(range),
    };
    return ctx.services.training.page(ctx.actor!, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE }) as Promise<ConnectionShape<TrainingRun>>;
  }

  /** A run's metric curves, down-sampled for charts. Scope: `training:read`. @throws NOT_FOUND, BAD_USER_INPUT (keys, samples). */
  @Authorized('training:read')
  @Query(() => [MetricSeries], {
    description:
      "A run's per-epoch metric curves (loss, accuracy, valLoss, valAccuracy, elapsedMs), each down-sampled to at most `samples` points with Largest-Triangle-Three-Buckets, which keeps peaks and dips: a chart of a long run without fetching every epoch.",
  })
  metricHistory(
    @Arg('runId', () => ID) runId: string,
    @Arg('keys', () => [String], { defaultValue: ['loss', 'valLoss'], description: 'Metrics wanted. (Default: loss, valLoss)' }) keys: string[],
    @Arg('samples', () => Int, { defaultValue: 200, description: 'Points per curve, 3 to 10000. (Default: 200)' }) samples: number,
    @Ctx() ctx: Context,
  ): Promise<MetricSeries[]> {
    return ctx.services.training.metricHistory(ctx.actor!, runId, keys, samples);
  }

  /** `TrainingRun.dataset`, one statement per page of runs (DataLoader). */
  @Authorized('datasets:read')
  @FieldResolver(() => Dataset, { nullable: true, description: 'The dataset it trains on (null once deleted or archived). Scope: datasets:read.' })
  dataset(@Root() run: TrainingRun, @Ctx() ctx: Context) {
    return ctx.loaders.dataset.load(run.datasetId);
  }
}
