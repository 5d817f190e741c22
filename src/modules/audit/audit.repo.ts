/** The audit log: insert and read only (a trigger refuses UPDATE and DELETE). */
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import type { Tx } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';
import { createdWhere, type CreatedFilter } from '../common/created-filter';

/** Every action the audit log records. */
export type AuditAction =
  | 'apiKey.created'
  | 'apiKey.revoked'
  | 'token.issued'
  | 'dataset.uploaded'
  | 'dataset.deleted'
  | 'dataset.archived'
  | 'dataset.restored'
  | 'dataset.purged'
  | 'model.deleted'
  | 'trainingRun.started'
  | 'trainingRun.cancelled'
  | 'modelVersion.deleted'
  | 'modelVersion.uploaded'
  | 'modelVersion.exported'
  | 'modelVersion.stage'
  | 'modelEvaluation.started'
  | 'modelAlias.set'
  | 'modelAlias.deleted'
  | 'tenantLimits.set'
  | 'sweep.started'
  | 'sweep.cancelled'
  | 'sweep.finished'
  | 'sweep.trialStopped';

/** One audited action; the actor and tenant come from the caller. */
export interface AuditEntry {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  /** Small facts about the action (names, sizes): never secrets or row data. */
  details?: Record<string, unknown>;
}

/** The only code that touches the AuditLog table (besides a new tenant's first entry, TenantRepo). */
export class AuditRepo {
  /** Records an action inside the transaction that performs it, so both commit or neither. */
  record(tx: Tx, actor: Actor, entry: AuditEntry) {
    return tx.auditLog.create({
      data: {
        tenantId: actor.tenantId,
        actorKind: actor.kind,
        actorId: actor.id,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        details: (entry.details ?? undefined) as object | undefined,
      },
    });
  }

  /** One keyset page of the tenant's entries, newest first, optionally of one action. */
  page(tx: Tx, tenantId: string, filter: CreatedFilter & { action?: string }, window: PageWindow) {
    const where = {
      tenantId,
      ...(filter.action ? { action: filter.action } : {}),
      ...createdWhere(filter),
    };
    return readPage(tx.auditLog as unknown as PageableTable<Awaited<ReturnType<AuditRepo['list']>>[number]>, where, window);
  }

  /** The tenant's entries, newest first, optionally of one action. */
  list(tx: Tx, tenantId: string, take: number, action?: string) {
    return tx.auditLog.findMany({ where: { tenantId, ...(action ? { action } : {}) }, orderBy: { createdAt: 'desc' }, take });
  }
}
