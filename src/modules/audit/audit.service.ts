import type { Db } from '../../lib/db';
import { pageWindow, type PageRequest } from '../common/keyset';
import { withTenant } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { AuditRepo } from './audit.repo';
import type { CreatedFilter } from '../common/created-filter';

/** Reading the audit log (writing happens in the transaction of each audited action, AuditRepo.record). */
export class AuditService {
  constructor(
    private readonly prisma: Db,
    readonly repo: AuditRepo,
  ) {}

  /**
   * A page of the tenant's audit log, newest first. Needs the `admin` scope.
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(actor: Actor, args: PageRequest, filter: CreatedFilter & { action?: string }, sizes: { default: number; max: number }) {
    requireScope(actor, 'admin');
    const window = pageWindow(args, sizes.default, sizes.max, 'audit');
    const page = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.page(tx, actor.tenantId, filter, window));
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: { ...e.node, details: e.node.details as object | null } })) };
  }

  /** The tenant's audit log, newest first. Needs the `admin` scope. */
  async list(actor: Actor, take: number, action?: string) {
    requireScope(actor, 'admin');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.list(tx, actor.tenantId, take, action));
    return rows.map((r) => ({ ...r, details: r.details as object | null }));
  }
}
