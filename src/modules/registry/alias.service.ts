/**
 * Aliases on model versions. Moving an alias is one UPDATE of one row, so a reader sees the old
 * or the new version, never a mix; every API process drops its cached resolution on the change.
 */
import type { Db } from '../../lib/db';
import { badInput, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import { Topics } from '../events';
import type { AliasRepo } from './alias.repo';
import type { ModelAlias } from './alias.type';
import type { ModelRepo } from './model.repo';

const ALIAS = /^[a-z][a-z0-9_-]{0,39}$/;

/** Setting, deleting and listing a tenant's model aliases. */
export class AliasService {
  constructor(
    private readonly prisma: Db,
    private readonly aliases: AliasRepo,
    private readonly models: ModelRepo,
    private readonly audit: AuditRepo,
    private readonly pubsub: PubSub,
    /** Called in this process right after a change commits (other processes hear it by pub/sub). */
    private readonly onChange: (tenantId: string, modelName: string) => void = () => undefined,
  ) {}

  /**
   * Points `alias` at `version` of the tenant's `modelName`, creating or moving it (models:write);
   * audited; every process drops its cached resolutions of the model after commit.
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (alias name), NOT_FOUND (model or version).
   */
  async set(actor: Actor, modelName: string, alias: string, version: number): Promise<ModelAlias> {
    requireScope(actor, 'models:write');
    if (!ALIAS.test(alias)) throw badInput(`alias '${alias}' must be 1-40 lower-case letters, digits, '_' or '-', starting with a letter`);
    const row = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const target = await this.models.findVersionByNumber(tx, actor.tenantId, modelName, version);
      if (!target) throw notFound('Model version', `${modelName}@${version}`);
      const saved = await this.aliases.upsert(tx, actor.tenantId, { modelId: target.modelId, versionId: target.id }, alias);
      await this.audit.record(tx, actor, { action: 'modelAlias.set', targetType: 'ModelAlias', targetId: saved.id, details: { modelName, alias, version } });
      return saved;
    });
    this.onChange(actor.tenantId, modelName);
    await this.pubsub.publish(Topics.modelChanged, { tenantId: actor.tenantId, modelName });
    return { name: row.name, version, modelVersionId: row.versionId, updatedAt: row.updatedAt };
  }

  /** Deletes an alias of the tenant's model (models:write); audited. @throws AppError FORBIDDEN, NOT_FOUND. */
  async delete(actor: Actor, modelName: string, alias: string): Promise<boolean> {
    requireScope(actor, 'models:write');
    await withTenant(this.prisma, actor.tenantId, async (tx) => {
      if (!(await this.aliases.delete(tx, actor.tenantId, modelName, alias))) throw notFound('Model alias', `${modelName}@${alias}`);
      await this.audit.record(tx, actor, { action: 'modelAlias.deleted', targetType: 'ModelAlias', details: { modelName, alias } });
    });
    this.onChange(actor.tenantId, modelName);
    await this.pubsub.publish(Topics.modelChanged, { tenantId: actor.tenantId, modelName });
    return true;
  }

  /** The tenant's aliases of a model, or of one version when `versionId` is given (models:read). @throws AppError FORBIDDEN. */
  async list(actor: Actor, filter: { modelId?: string; versionId?: string }): Promise<ModelAlias[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.aliases.list(tx, actor.tenantId, filter));
    return rows.map((r) => ({ name: r.name, version: r.version.version, modelVersionId: r.versionId, updatedAt: r.updatedAt }));
  }
}
