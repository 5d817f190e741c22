/**
 * The operator's tenant fields (public on the schema's allow-list; the X-Admin-Secret header
 * guards each, like createTenant): every tenant a page at a time, and a tenant's API keys.
 */
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ApiKeyConnection } from '../auth/api-key-pages.resolver';
import { ApiKeyInfo, CreateApiKeyInput, CreatedApiKey } from '../auth/api-key.type';
import { connectionOf, CreatedRangeArgs, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import type { OperatorCall, TenantAdminService } from './tenant-admin.service';
import { Tenant } from './tenant.type';
import { createdFilter } from '../common/created-filter';
import { UNKNOWN_ADDRESS } from '../../lib/client-address';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts), named here so src/modules does not import the server. */
interface Context {
  adminSecret?: string;
  clientAddress?: string;
  services: { tenantAdmin: TenantAdminService };
}

const operator = (ctx: Context): OperatorCall => ({ secret: ctx.adminSecret, clientAddress: ctx.clientAddress ?? UNKNOWN_ADDRESS });

/** A page of tenants (Relay). */
export const TenantConnection = connectionOf('Tenant', Tenant);

/** tenants, tenantApiKeysConnection (and the deprecated tenantApiKeys), createTenantApiKey, revokeTenantApiKey. */
@Resolver()
export class TenantAdminResolver {
  /** Every tenant, newest first. @throws UNAUTHENTICATED, FORBIDDEN, QUOTA_EXCEEDED (admin secret), BAD_USER_INPUT (paging). */
  @Query(() => TenantConnection, { description: 'Every tenant, newest first, a page at a time (Relay connection). Needs the X-Admin-Secret header.' })
  tenants(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('name', () => String, { nullable: true, description: 'Only tenants whose name contains this, any case.' }) name: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Tenant>> {
    return ctx.services.tenantAdmin.page(operator(ctx), page, { name: name || undefined }, { default: DEFAULT_PAGE, max: MAX_PAGE });
  }

  /** A tenant's keys, without secrets. Deprecated for tenantApiKeysConnection. @throws (admin secret), NOT_FOUND (tenant). */
  @Query(() => [ApiKeyInfo], {
    description: "A tenant's API keys (prefix only, never the secret), oldest first. Needs the X-Admin-Secret header.",
    deprecationReason: 'Use tenantApiKeysConnection: cursor paging (first/after), totalCount and filters. This list stays until clients have moved.',
  })
  tenantApiKeys(@Arg('tenantId', () => ID) tenantId: string, @Ctx() ctx: Context) {
    return ctx.services.tenantAdmin.keys(operator(ctx), tenantId);
  }

  /**
   * A page of a tenant's keys, newest first, without secrets (as apiKeysConnection, for the operator).
   * @throws (admin secret), NOT_FOUND (tenant), BAD_USER_INPUT (paging arguments, cursor).
   */
  @Query(() => ApiKeyConnection, {
    description: "A tenant's API keys (prefix only, never the secret), newest first, a page at a time (Relay connection). Needs the X-Admin-Secret header.",
  })
  tenantApiKeysConnection(
    @Arg('tenantId', () => ID) tenantId: string,
    @Args(() => PageArgs) page: PageArgs,
    @Args(() => CreatedRangeArgs) range: CreatedRangeArgs,
    @Arg('name', () => String, { nullable: true, description: 'Only keys whose name contains this, any case.' }) name: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<ApiKeyInfo>> {
    const filter = { name: name || undefined, ...createdFilter(range) };
    return ctx.services.tenantAdmin.keysPage(operator(ctx), tenantId, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE }) as unknown as Promise<ConnectionShape<ApiKeyInfo>>;
  }

  /** Creates a key of the tenant. @throws (admin secret), NOT_FOUND (tenant), BAD_USER_INPUT (name, scopes, expiry). */
  @Mutation(() => CreatedApiKey, {
    description: "Creates an API key of a tenant with the given scopes; the key is returned once. Needs the X-Admin-Secret header. Audited in the tenant's log.",
  })
  createTenantApiKey(@Arg('tenantId', () => ID) tenantId: string, @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: Context) {
    return ctx.services.tenantAdmin.createKey(operator(ctx), tenantId, input);
  }

  /** Revokes a tenant's key. @throws (admin secret), NOT_FOUND (tenant, or a key not of it). */
  @Mutation(() => ApiKeyInfo, {
    description: "Revokes one of a tenant's API keys at once: its requests and open subscriptions fail. Needs the X-Admin-Secret header. Audited.",
  })
  revokeTenantApiKey(@Arg('tenantId', () => ID) tenantId: string, @Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.tenantAdmin.revokeKey(operator(ctx), tenantId, id);
  }
}
