/** The paged, filtered datasets list (`datasetsConnection`). Scope: `datasets:read`. */
import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { connectionOf, CreatedRangeArgs, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import type { DatasetService } from './dataset.service';
import { Dataset } from './dataset.type';
import { createdFilter } from '../common/created-filter';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { datasets: DatasetService };
}

/** A page of datasets (Relay). */
export const DatasetConnection = connectionOf('Dataset', Dataset);

/** datasetsConnection. */
@Resolver()
export class DatasetPagesResolver {
  /** A page of the tenant's datasets, newest first. Scope: `datasets:read`. @throws BAD_USER_INPUT (paging arguments, cursor). */
  @Authorized('datasets:read')
  @Query(() => DatasetConnection, { description: "Your tenant's datasets, newest first, a page at a time (Relay connection), filtered." })
  datasetsConnection(
    @Args(() => PageArgs) page: PageArgs,
    @Args(() => CreatedRangeArgs) range: CreatedRangeArgs,
    @Arg('name', () => String, { nullable: true, description: 'Only datasets whose name contains this, any case.' }) name: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Dataset>> {
    const filter = { name: name || undefined, ...createdFilter(range) };
    return ctx.services.datasets.page(ctx.actor!, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE }) as unknown as Promise<ConnectionShape<Dataset>>;
  }
}
