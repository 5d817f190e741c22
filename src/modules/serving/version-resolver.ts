/**
 * Which version a predict call means: `model` + (`version` | `alias` | latest) -> version id.
 * Resolutions are cached per process and dropped when the registry says the model changed (new
 * version, alias moved, version deleted: Topics.modelChanged / Topics.versionDeleted), with a short
 * expiry as a safety net for a lost notification.
 */
import type { Db } from '../../lib/db';
import { AppError, notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import type { AliasRepo } from '../registry/alias.repo';
import type { ModelRepo } from '../registry/model.repo';
import type { TrainingRunRepo } from '../training/training-run.repo';

/** Which version: a number, an alias, or neither (the latest). */
export interface VersionSelector {
  version?: number;
  alias?: string;
}

/** A resolved version. */
export interface VersionRef {
  id: string;
  version: number;
  modelName: string;
}

/** Longest a cached resolution is trusted without a change notification, ms. */
const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

/** Resolves selectors to versions, cached per process (tenant in every key). */
export class VersionResolver {
  private readonly cache = new Map<string, { ref: VersionRef; until: number }>();

  constructor(
    private readonly prisma: Db,
    private readonly repos: { models: ModelRepo; aliases: AliasRepo; runs: TrainingRunRepo },
  ) {}

  /**
   * Resolves within the tenant (a name of another tenant is NOT_FOUND).
   * @throws AppError NOT_FOUND (model, version or alias), MODEL_NOT_READY (no version yet).
   */
  async resolve(tenantId: string, modelName: string, selector: VersionSelector): Promise<VersionRef> {
    const key = `${tenantId}\u0000${modelName}\u0000${selector.alias !== undefined ? `@${selector.alias}` : (selector.version ?? 'latest')}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.ref;
    const ref = await withTenant(this.prisma, tenantId, async (tx) => {
      const { models, aliases, runs } = this.repos;
      const model = await models.findModelId(tx, tenantId, modelName);
      if (!model) {
        if (await runs.namesModel(tx, tenantId, modelName)) throw new AppError('MODEL_NOT_READY', `Model '${modelName}' has no trained version yet`);
        throw notFound('Model', modelName);
      }
      if (selector.alias !== undefined) {
        const target = await aliases.target(tx, tenantId, model.id, selector.alias);
        if (!target) throw notFound('Model alias', `${modelName}@${selector.alias}`);
        return { id: target.id, version: target.version, modelName };
      }
      const found = await models.findVersionRef(tx, tenantId, model.id, selector.version);
      if (found) return { id: found.id, version: found.version, modelName };
      if (selector.version !== undefined) throw notFound('Model version', `${modelName}@${selector.version}`);
      throw new AppError('MODEL_NOT_READY', `Model '${modelName}' has no trained version yet`);
    });
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { ref, until: Date.now() + TTL_MS });
    return ref;
  }

  /** Forgets every resolution of a model (called for changes published by any process). */
  invalidate(tenantId: string, modelName: string): void {
    const prefix = `${tenantId}\u0000${modelName}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}
