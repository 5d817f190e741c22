/**
 * Per-tenant limits: setTenantLimits and tenantLimits for the operator (X-Admin-Secret, like
 * createTenant: public on the schema's allow-list, guarded by the secret), myLimits for a tenant.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Actor } from '../auth/actor';
import type { TenantLimitsService } from './tenant-limits.service';
import { StorageUsage, TenantLimits, TenantLimitsInput } from './tenant-limits.type';
import { UNKNOWN_ADDRESS } from '../../lib/client-address';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts), named here so src/modules does not import the server. */
interface Context {
  actor?: Actor;
  adminSecret?: string;
  clientAddress?: string;
  services: { limits: TenantLimitsService };
}

@Resolver()
export class TenantLimitsResolver {
  /**
   * Replaces a tenant's limits. @throws UNAUTHENTICATED (no X-Admin-Secret), FORBIDDEN (wrong
   * secret), QUOTA_EXCEEDED (throttled), BAD_USER_INPUT (a value), NOT_FOUND (tenant).
   */
  @Mutation(() => TenantLimits, {
    description: "Sets a tenant's limits (all of them: a field left out or null uses the global default). Needs the X-Admin-Secret header. Audited.",
  })
  setTenantLimits(@Arg('tenantId', () => ID) tenantId: string, @Arg('limits', () => TenantLimitsInput) limits: TenantLimitsInput, @Ctx() ctx: Context): Promise<TenantLimits> {
    return ctx.services.limits.set(ctx.adminSecret, ctx.clientAddress ?? UNKNOWN_ADDRESS, tenantId, { ...limits });
  }

  /** A tenant's effective limits. @throws UNAUTHENTICATED, FORBIDDEN, QUOTA_EXCEEDED (admin secret), NOT_FOUND. */
  @Query(() => TenantLimits, { description: "A tenant's effective limits. Needs the X-Admin-Secret header." })
  tenantLimits(@Arg('tenantId', () => ID) tenantId: string, @Ctx() ctx: Context): Promise<TenantLimits> {
    return ctx.services.limits.get(ctx.adminSecret, ctx.clientAddress ?? UNKNOWN_ADDRESS, tenantId);
  }

  /** The caller's tenant's effective limits. Any scope. @throws UNAUTHENTICATED. */
  @Authorized()
  @Query(() => TenantLimits, { description: "Your tenant's effective limits, and which are the global defaults." })
  myLimits(@Ctx() ctx: Context): Promise<TenantLimits> {
    return ctx.services.limits.mine(ctx.actor!);
  }
}

/** TenantLimits.storage: the usage beside the quota, for the tenant (myLimits) and the operator (tenantLimits). */
@Resolver(() => TenantLimits)
export class TenantStorageResolver {
  /** What the tenant stores now, read when asked. */
  @FieldResolver(() => StorageUsage, { description: 'What the tenant stores now against maxDatasetBytes, by kind.' })
  storage(@Root() limits: TenantLimits, @Ctx() ctx: Context): Promise<StorageUsage> {
    return ctx.services.limits.storage(limits.tenantId, limits.maxDatasetBytes);
  }
}
