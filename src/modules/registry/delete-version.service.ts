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
import { Topics, type VersionDeletedEvent } from '../events';
import type { AliasRepo } from './alias.repo';
import type { ModelRepo } from './model.repo';

/** Deleting a tenant's model versions. */
export class DeleteVersionService {
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly aliases: AliasRepo,
    private readonly audit: AuditRepo,
    private readonly pubsub: PubSub,
    /** Called in this process right after a deletion commits (other processes hear it by pub/sub). */
    private readonly onDeleted: (e: VersionDeletedEvent) => void = () => undefined,
  ) {}

  /**
   * Deletes version `version` of the tenant's `modelName` (models:write); audited; every process
   * evicts it after commit.
   * @throws AppError FORBIDDEN, NOT_FOUND when the tenant has no such version, CONFLICT while an
   *   alias points at it.
   */
  async delete(actor: Actor, modelName: string, version: number): Promise<boolean> {
    requireScope(actor, 'models:write');
    const id = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const row = await this.models.findVersionByNumber(tx, actor.tenantId, modelName, version);
      if (!row) throw notFound('Model version', `${modelName}@${version}`);
      const aliases = await this.aliases.namesOf(tx, actor.tenantId, row.id);
      if (aliases.length) {
        throw new AppError('CONFLICT', `Version ${version} of model '${modelName}' is the target of alias '${aliases[0]}'; move or delete the alias first`);
      }
      await this.models.deleteVersion(tx, actor.tenantId, row.id);
      await this.audit.record(tx, actor, { action: 'modelVersion.deleted', targetType: 'ModelVersion', targetId: row.id, details: { modelName, version } });
      return row.id;
    });
    const event: VersionDeletedEvent = { modelVersionId: id, tenantId: actor.tenantId, modelName };
    this.onDeleted(event);
    await this.pubsub.publish(Topics.versionDeleted, event);
    return true;
  }
}
