/** archivedDatasets and restoreDataset (src/modules/datasets/restore-dataset.ts). */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { Take } from '../common/take';
import { ArchivedDataset } from './archived-dataset.type';
import type { DatasetService } from './dataset.service';
import { Dataset } from './dataset.type';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { datasets: DatasetService };
}

@Resolver()
export class ArchivedDatasetResolver {
  /** The tenant's archived datasets, newest archive first. Scope: `datasets:read`. */
  @Authorized('datasets:read')
  @Query(() => [ArchivedDataset], { description: 'Datasets deleted with force while model versions used them, newest archive first, with when each is purged.' })
  archivedDatasets(@Take(50, 500) take: number, @Ctx() ctx: Context) {
    return ctx.services.datasets.archived(ctx.actor!, take);
  }

  /**
   * Brings back an archived dataset before its purge. Scope: `datasets:write`.
   * @throws NOT_FOUND, INVALID_STATE (not archived, or purged).
   */
  @Authorized('datasets:write')
  @Mutation(() => Dataset, {
    description:
      'Brings back a dataset archived by deleteDataset(force: true), with the same id, rows and checksum, until its rows are purged (DATASET_ARCHIVE_RETENTION_DAYS after archiving; INVALID_STATE after).',
  })
  restoreDataset(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.datasets.restore(ctx.actor!, id);
  }
}
