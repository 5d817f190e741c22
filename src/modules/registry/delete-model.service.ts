/**
 * Deleting a whole model (models:write): its versions and their artifacts go, in one
 * transaction; refused (MODEL_IN_USE) while an alias points at one of its versions unless `force`,
 * which removes the aliases too. The training runs (and their loss curves) stay; the audit log
 * keeps the fact. Every API process evicts the versions from its model cache (published after commit).
 */
import type { Db } from '../../lib/db';
import { AppError } from '../../lib/errors';
import { modelNotFound } from './not-found-hints';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import { Topics, type VersionDeletedEvent } from '../events';
import type { AliasRepo } from './alias.repo';
import type { ModelRepo } from './model.repo';

/** Aliases listed in a MODEL_IN_USE error, at most. */
const MAX_LISTED_ALIASES = 20;

/** Deleting a tenant's models. */
export class DeleteModelService {
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly aliases: AliasRepo,
    private readonly audit: AuditRepo,
    private readonly pubsub: PubSub,
    /** Called in this process for each deleted version right after the deletion commits. */
    private readonly onDeleted: (e: VersionDeletedEvent) => void = () => undefined,
  ) {}

  /**
   * Deletes the tenant's model `name` with every version (models:write); audited as
   * `model.deleted` with the version numbers and the aliases removed.
   * @throws AppError FORBIDDEN, NOT_FOUND (no such model in the tenant), MODEL_IN_USE (details:
   *   `aliases` as `alias → version`, at most 20) while aliases point at its versions, without `force`.
   */
  async delete(actor: Actor, name: string, force = false): Promise<boolean> {
    requireScope(actor, 'models:write');
    const deleted = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const model = await this.models.findModel(tx, actor.tenantId, name);
      if (!model) throw await modelNotFound(tx, this.models, actor.tenantId, name);
      const aliases = (await this.aliases.list(tx, actor.tenantId, { modelId: model.id })).map((a) => ({ alias: a.name, version: a.version.version }));
      if (aliases.length && !force) {
        const listed = aliases.slice(0, MAX_LISTED_ALIASES).map((a) => `${a.alias} → ${a.version}`);
        throw new AppError(
          'MODEL_IN_USE',
          `Model '${name}' has ${aliases.length} alias${aliases.length > 1 ? 'es' : ''} pointing at its versions (${listed.join(', ')}); delete them first or pass force: true`,
          { field: 'name', model: name, aliases: aliases.slice(0, MAX_LISTED_ALIASES), totalAliases: aliases.length },
        );
      }
      await this.aliases.deleteOfModel(tx, actor.tenantId, model.id);
      await this.models.deleteModel(tx, actor.tenantId, model.id);
      await this.audit.record(tx, actor, {
        action: 'model.deleted',
        targetType: 'Model',
        targetId: model.id,
        details: { name, versions: model.versions.map((v) => v.version), aliases: aliases.map((a) => a.alias), forced: force },
      });
      return model.versions.map((v) => v.id);
    });
    for (const modelVersionId of deleted) {
      const event: VersionDeletedEvent = { modelVersionId, tenantId: actor.tenantId, modelName: name };
      this.onDeleted(event);
      await this.pubsub.publish(Topics.versionDeleted, event);
    }
    return true;
  }
}
