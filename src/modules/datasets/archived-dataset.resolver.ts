/** archivedDatasetsConnection, the deprecated archivedDatasets, and restoreDataset (src/modules/datasets/restore-dataset.ts). */
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { connectionOf, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import { Take } from '../common/take';
import { ArchivedDataset } from './archived-dataset.type';
import type { DatasetService } from './dataset.service';
import { Dataset } from './dataset.type';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { datasets: DatasetService };
}

/** A page of archived datasets (Relay), keyed on (archivedAt, id). */
export const ArchivedDatasetConnection = connectionOf('ArchivedDataset', ArchivedDataset);

@Resolver()
export class ArchivedDatasetResolver {
  /** The tenant's archived datasets, newest archive first. Scope: `datasets:read`. Deprecated for archivedDatasetsConnection. */
  @Authorized('datasets:read')
  @Query(() => [ArchivedDataset], {
    description: 'Datasets deleted with force while model versions used them, newest archive first, with when each is purged.',
    deprecationReason: 'Use archivedDatasetsConnection: cursor paging (first/after), totalCount and filters. This list stays until clients have moved.',
  })
  archivedDatasets(@Take(50, 500) take: number, @Ctx() ctx: Context) {
    return ctx.services.datasets.archived(ctx.actor!, take);
  }

  /**
   * A page of the tenant's archived datasets, newest archive first (keyset on archivedAt, id).
   * Scope: `datasets:read`. @throws BAD_USER_INPUT (paging arguments, cursor).
   */
  @Authorized('datasets:read')
  @Query(() => ArchivedDatasetConnection, {
    description: 'Datasets deleted with force while model versions used them, newest archive first, a page at a time (Relay connection), each with when it is purged; filtered.',
  })
  archivedDatasetsConnection(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('name', () => String, { nullable: true, description: 'Only datasets whose name contains this, any case.' }) name: string | null,
    @Arg('restorable', () => Boolean, { nullable: true, description: 'true: only those restoreDataset can bring back (rows not purged yet); false: only purged ones.' })
    restorable: boolean | null,
    @Arg('archivedAfter', () => Date, { nullable: true, description: 'Only datasets archived at or after this instant.' }) archivedAfter: Date | null,
    @Arg('archivedBefore', () => Date, { nullable: true, description: 'Only datasets archived before this instant.' }) archivedBefore: Date | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ArchivedDataset>> {
    const filter = { name: name || undefined, restorable: restorable ?? undefined, archivedAfter: archivedAfter ?? undefined, archivedBefore: archivedBefore ?? undefined };
    return ctx.services.datasets.archivedPage(ctx.actor!, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE }) as unknown as Promise<ConnectionShape<ArchivedDataset>>;
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
