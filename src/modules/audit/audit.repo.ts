/** The audit log: insert and read only (a trigger refuses UPDATE and DELETE). */
import type { Tx } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';

export type AuditAction =
  | 'apiKey.created'
  | 'apiKey.revoked'
  | 'token.issued'
  | 'dataset.uploaded'
  | 'dataset.deleted'
  | 'trainingRun.started'
  | 'trainingRun.cancelled'
  | 'modelVersion.deleted'
  | 'modelAlias.set'
  | 'modelAlias.deleted';

export interface AuditEntry {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  /** Small facts about the action (names, sizes): never secrets or row data. */
  details?: Record<string, unknown>;
}

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

  list(tx: Tx, tenantId: string, take: number, action?: string) {
    return tx.auditLog.findMany({ where: { tenantId, ...(action ? { action } : {}) }, orderBy: { createdAt: 'desc' }, take });
  }
}
