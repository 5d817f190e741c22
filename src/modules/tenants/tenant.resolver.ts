/** Tenant creation: the one mutation guarded by the operator's admin secret instead of an API key. */
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { CreatedTenant } from './tenant.type';
import { UNKNOWN_ADDRESS } from '../../lib/client-address';

/** createTenant (public: on the schema's allow-list; the X-Admin-Secret header guards it). */
@Resolver()
export class TenantResolver {
  /**
   * Creates a tenant and its first API key, with every scope.
   * @throws UNAUTHENTICATED (no X-Admin-Secret), FORBIDDEN (wrong secret), QUOTA_EXCEEDED (throttled),
   *   BAD_USER_INPUT (name), CONFLICT (name taken, in any case).
   */
  @Mutation(() => CreatedTenant, {
    description: 'Creates a tenant. Needs the X-Admin-Secret header (ADMIN_SECRET). Returns its first API key once.',
  })
  createTenant(@Arg('name') name: string, @Ctx() ctx: Context): Promise<CreatedTenant> {
    return ctx.services.tenants.createTenant(ctx.adminSecret, name, ctx.clientAddress ?? UNKNOWN_ADDRESS);
  }
}
