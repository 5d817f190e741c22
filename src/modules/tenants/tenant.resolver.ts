import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { CreatedTenant } from './tenant.type';

@Resolver()
export class TenantResolver {
  @Mutation(() => CreatedTenant, {
    description: 'Creates a tenant. Needs the X-Admin-Secret header (ADMIN_SECRET). Returns its first API key once.',
  })
  createTenant(@Arg('name') name: string, @Ctx() ctx: Context): Promise<CreatedTenant> {
    return ctx.services.tenants.createTenant(ctx.adminSecret, name);
  }
}
