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
import type { ModelAlias } from './alias.type';

/** Published with `{ tenantId, modelName }` whenever what a model name resolves to may change. */
export const MODEL_CHANGED_TOPIC = 'registry:model-changed';

const ALIAS = /^[a-z][a-z0-9_-]{0,39}$/;

export class AliasService {
  constructor(
    private readonly prisma: Db,
    private readonly audit: AuditRepo,
    private readonly pubsub: PubSub,
    /** Called in this process right after a change commits (other processes hear it by pub/sub). */
    private readonly onChange: (tenantId: string, modelName: string) => void = () => undefined,
  ) {}

  /**
   * Points `alias` at `version` of `modelName`, creating or moving it.
   * @throws AppError BAD_USER_INPUT (alias name), NOT_FOUND (model or version).
   */
  async set(actor: Actor, modelName: string, alias: string, version: number): Promise<ModelAlias> {
    requireScope(actor, 'models:write');
    if (!ALIAS.test(alias)) throw badInput(`alias '${alias}' must be 1-40 lower-case letters, digits, '_' or '-', starting with a letter`);
    const row = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const target = await tx.modelVersion.findFirst({
        where: { tenantId: actor.tenantId, version, model: { tenantId: actor.tenantId, name: modelName } },
        select: { id: true, modelId: true },
      });
      if (!target) throw notFound('Model version', `${modelName}@${version}`);
      const saved = await tx.modelAlias.upsert({
        where: { modelId_name: { modelId: target.modelId, name: alias } },
        create: { tenantId: actor.tenantId, modelId: target.modelId, name: alias, versionId: target.id },
        update: { versionId: target.id, updatedAt: new Date() },
      });
      await this.audit.record(tx, actor, { action: 'modelAlias.set', targetType: 'ModelAlias', targetId: saved.id, details: { modelName, alias, version } });
      return saved;
    });
    this.onChange(actor.tenantId, modelName);
    await this.pubsub.publish(MODEL_CHANGED_TOPIC, { tenantId: actor.tenantId, modelName });
    return { name: row.name, version, modelVersionId: row.versionId, updatedAt: row.updatedAt };
  }

  /** @throws AppError NOT_FOUND. */
  async delete(actor: Actor, modelName: string, alias: string): Promise<boolean> {
    requireScope(actor, 'models:write');
    await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const { count } = await tx.modelAlias.deleteMany({ where: { tenantId: actor.tenantId, name: alias, model: { name: modelName, tenantId: actor.tenantId } } });
      if (count === 0) throw notFound('Model alias', `${modelName}@${alias}`);
      await this.audit.record(tx, actor, { action: 'modelAlias.deleted', targetType: 'ModelAlias', details: { modelName, alias } });
    });
    this.onChange(actor.tenantId, modelName);
    await this.pubsub.publish(MODEL_CHANGED_TOPIC, { tenantId: actor.tenantId, modelName });
    return true;
  }

  /** Aliases of a model, or of one version when `versionId` is given. */
  async list(actor: Actor, filter: { modelId?: string; versionId?: string }): Promise<ModelAlias[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) =>
      tx.modelAlias.findMany({ where: { tenantId: actor.tenantId, ...filter }, include: { version: { select: { version: true } } }, orderBy: { name: 'asc' } }),
    );
    return rows.map((r) => ({ name: r.name, version: r.version.version, modelVersionId: r.versionId, updatedAt: r.updatedAt }));
  }
}
