/** The paged, filtered API keys list (`apiKeysConnection`). Scope: `admin`. */
import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Actor } from './actor';
import { connectionOf, CreatedRangeArgs, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import type { ApiKeyService } from './api-key.service';
import { ApiKeyInfo } from './api-key.type';
import { createdFilter } from '../common/created-filter';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { apiKeys: ApiKeyService };
}

/** A page of API keys (Relay). */
export const ApiKeyConnection = connectionOf('ApiKey', ApiKeyInfo);

/** apiKeysConnection. */
@Resolver()
export class ApiKeyPagesResolver {
  /** A page of the tenant's keys, newest first, without secrets. Scope: `admin`. @throws BAD_USER_INPUT (paging arguments, cursor). */
  @Authorized('admin')
  @Query(() => ApiKeyConnection, { description: "Your tenant's API keys (prefix only, never the secret), newest first, a page at a time (Relay connection)." })
  apiKeysConnection(
    @Args(() => PageArgs) page: PageArgs,
    @Args(() => CreatedRangeArgs) range: CreatedRangeArgs,
    @Arg('name', () => String, { nullable: true, description: 'Only keys whose name contains this, any case.' }) name: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ApiKeyInfo>> {
    const filter = { name: name || undefined, ...createdFilter(range) };
    return ctx.services.apiKeys.page(ctx.actor!, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE }) as unknown as Promise<ConnectionShape<ApiKeyInfo>>;
  }
}
