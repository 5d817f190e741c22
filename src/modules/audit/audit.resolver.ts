/** The tenant's audit log. Needs the `admin` scope (UNAUTHENTICATED without a credential, FORBIDDEN without admin). */
import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Take } from '../common/take';
import { AuditEvent } from './audit.type';

/** The `auditLog` query. */
@Resolver()
export class AuditResolver {
  /** Audit events of the caller's tenant, newest first, optionally of one action. Scope: `admin`. */
  @Authorized('admin')
  @Query(() => [AuditEvent], {
    description: "The tenant's audit log, newest first (admin scope).",
    deprecationReason: 'Use auditLogConnection: cursor paging (first/after), totalCount and filters. This list stays until clients have moved.',
  })
  auditLog(
    @Arg('action', () => String, { nullable: true, description: "Only this action, e.g. 'apiKey.created'." }) action: string | null,
    @Take(100, 1000) take: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.audit.list(ctx.actor!, take, action ?? undefined);
  }
}
