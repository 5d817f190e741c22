import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { AuditEvent } from './audit.type';

@Resolver()
export class AuditResolver {
  @Authorized('admin')
  @Query(() => [AuditEvent], { description: "The tenant's audit log, newest first (admin scope)." })
  auditLog(
    @Arg('action', () => String, { nullable: true }) action: string | null,
    @Arg('take', () => Int, { defaultValue: 100 }) take: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.audit.list(ctx.actor!, Math.min(Math.max(take, 1), 1000), action ?? undefined);
  }
}
