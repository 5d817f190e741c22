import type { Db } from '../../lib/db';
import { withTenant } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { AuditRepo } from './audit.repo';

/** Reading the audit log (writing happens in the transaction of each audited action, AuditRepo.record). */
export class AuditService {
  constructor(
    private readonly prisma: Db,
    readonly repo: AuditRepo,
  ) {}

  /** The tenant's audit log, newest first. Needs the `admin` scope. */
  async list(actor: Actor, take: number, action?: string) {
    requireScope(actor, 'admin');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.list(tx, actor.tenantId, take, action));
    return rows.map((r) => ({ ...r, details: r.details as object | null }));
  }
}
