/** The paged, filtered audit log (`auditLogConnection`). Scope: `admin`. */
import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { connectionOf, CreatedRangeArgs, DEFAULT_PAGE, MAX_PAGE, PageArgs, type ConnectionShape } from '../common/connection.type';
import type { AuditService } from './audit.service';
import { AuditEvent } from './audit.type';
import { createdFilter } from '../common/created-filter';

/** What this resolver reads of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { audit: AuditService };
}

/** A page of audit entries (Relay). */
export const AuditEventConnection = connectionOf('AuditEvent', AuditEvent);

/** auditLogConnection. */
@Resolver()
export class AuditPagesResolver {
  /** A page of the tenant's audit log, newest first. Scope: `admin`. @throws BAD_USER_INPUT (paging arguments, cursor). */
  @Authorized('admin')
  @Query(() => AuditEventConnection, { description: "Your tenant's audit log, newest first, a page at a time (Relay connection; admin scope)." })
  auditLogConnection(
    @Args(() => PageArgs) page: PageArgs,
    @Args(() => CreatedRangeArgs) range: CreatedRangeArgs,
    @Arg('action', () => String, { nullable: true, description: "Only this action, e.g. 'apiKey.created'." }) action: string | null,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<AuditEvent>> {
    const filter = { action: action || undefined, ...createdFilter(range) };
    return ctx.services.audit.page(ctx.actor!, page, filter, { default: DEFAULT_PAGE, max: MAX_PAGE }) as unknown as Promise<ConnectionShape<AuditEvent>>;
  }
}
