/**
 * Deleting a model version (models:write). The row and its artifact go; the audit log keeps the
 * fact. Every API process evicts the version from its model cache (published after commit).
 */
import type { Db } from '../../lib/db';
import { AppError, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';

/** Topic carrying `{ modelVersionId, tenantId, modelName }` of deleted versions, for cache eviction. */
export const VERSION_DELETED_TOPIC = 'registry:version-deleted';

export class DeleteVersionService {
  constructor(
    private readonly prisma: Db,
    private readonly audit: AuditRepo,
    private readonly pubsub: PubSub,
    /** Called in this process right after a deletion commits (other processes hear it by pub/sub). */
    private readonly onDeleted: (e: { modelVersionId: string; tenantId: string; modelName: string }) => void = () => undefined,
  ) {}

  /** @throws AppError NOT_FOUND when the tenant has no such version. */
  async delete(actor: Actor, modelName: string, version: number): Promise<boolean> {
    requireScope(actor, 'models:write');
    const id = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const row = await tx.modelVersion.findFirst({ where: { tenantId: actor.tenantId, version, model: { name: modelName } }, select: { id: true } });
      if (!row) throw notFound('Model version', `${modelName}@${version}`);
      const aliases = await tx.modelAlias.findMany({ where: { tenantId: actor.tenantId, versionId: row.id }, select: { name: true } });
      if (aliases.length) {
        throw new AppError('CONFLICT', `Version ${version} of model '${modelName}' is the target of alias '${aliases[0].name}'; move or delete the alias first`);
      }
      await tx.modelVersion.deleteMany({ where: { tenantId: actor.tenantId, id: row.id } });
      await this.audit.record(tx, actor, { action: 'modelVersion.deleted', targetType: 'ModelVersion', targetId: row.id, details: { modelName, version } });
      return row.id;
    });
    const event = { modelVersionId: id, tenantId: actor.tenantId, modelName };
    this.onDeleted(event);
    await this.pubsub.publish(VERSION_DELETED_TOPIC, event);
    return true;
  }
}
