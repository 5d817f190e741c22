/**
 * Which version a predict call means: `model` + (`version` | `alias` | `stage` | latest) -> version id;
 * and a model's list of versions (V2 model metadata: `versions`, `platform`).
 * Both are cached per process and dropped when the registry says the model changed (new
 * version, alias moved, version deleted: Topics.modelChanged / Topics.versionDeleted), with a short
 * expiry as a safety net for a lost notification. Concurrent misses of one key share one database
 * read (single-flight.ts): at expiry under load, every request in flight used to read it.
 */
import type { Db } from '../../lib/db';
import { AppError, badInput, notFound } from '../../lib/errors';
import { SingleFlight } from '../../lib/single-flight';
import { withTenant } from '../../lib/tenant-tx';
import type { AliasRepo } from '../registry/alias.repo';
import type { ModelRepo } from '../registry/model.repo';
import { aliasNotFound, modelNotFound } from '../registry/not-found-hints';
import type { ModelStage } from '../registry/stage';
import type { StageRepo } from '../registry/stage.repo';
import type { TrainingRunRepo } from '../training/training-run.repo';

/** Which version: a number, an alias, a stage (its newest version there), or none (the latest). */
export interface VersionSelector {
  version?: number;
  alias?: string;
  stage?: ModelStage;
}

/** A resolved version. */
export interface VersionRef {
  id: string;
  version: number;
  modelName: string;
}

/** One version of a model as its metadata lists it. */
export interface VersionListing {
  id: string;
  version: number;
  /** The stored framework, e.g. 'tfjs-layers', 'hist-trees', 'onnx'. */
  framework: string;
}

/** The key prefix of every cached read of one model (resolutions and its version list). */
const modelKey = (tenantId: string, modelName: string) => `${tenantId}\u0000${modelName}\u0000`;

/** The cache key of a resolution (tenant, model and selector; a stage with a version or alias never reaches the cache). */
function keyOf(tenantId: string, modelName: string, selector: VersionSelector): string {
  const which = selector.stage !== undefined ? `#${selector.stage}` : selector.alias !== undefined ? `@${selector.alias}` : (selector.version ?? 'latest');
  return modelKey(tenantId, modelName) + which;
}

/** Longest a cached resolution is trusted without a change notification, ms. */
const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

/** MODEL_NOT_READY for a model with no version to serve, saying whether one is being trained. */
const notReady = (modelName: string, training: boolean) =>
  new AppError(
    'MODEL_NOT_READY',
    training
      ? `Model '${modelName}' has no trained version yet: a training run for it is queued or running`
      : `Model '${modelName}' has no version to serve: none is left, and no training run for it is queued or running`,
  );

/** Resolves selectors to versions, cached per process (tenant in every key). */
export class VersionResolver {
  private readonly cache = new Map<string, { ref: VersionRef; until: number }>();
  private readonly reads = new SingleFlight<VersionRef>();
  /** Each model's versions, newest first, by {@link modelKey}. */
  private readonly lists = new Map<string, { versions: readonly VersionListing[]; until: number }>();
  private readonly listReads = new SingleFlight<readonly VersionListing[]>();
  /** Counts invalidations: a read that started before one is not cached (it may be stale). */
  private generation = 0;

  constructor(
    private readonly prisma: Db,
    private readonly repos: { models: ModelRepo; aliases: AliasRepo; runs: TrainingRunRepo; stages: StageRepo },
  ) {}

  /**
   * Resolves within the tenant (a name of another tenant is NOT_FOUND).
   * @throws AppError BAD_USER_INPUT (a stage with a version or an alias), NOT_FOUND (model — also
   *   one deleted, or whose runs all ended without a version —, version, alias, or no version in
   *   the stage), MODEL_NOT_READY (the model has no version: its first is being trained, or none
   *   is left).
   */
  async resolve(tenantId: string, modelName: string, selector: VersionSelector): Promise<VersionRef> {
    if (selector.stage !== undefined && (selector.version !== undefined || selector.alias !== undefined)) throw badInput('Give one of `version`, `alias` or `stage`, not several');
    const key = keyOf(tenantId, modelName, selector);
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.ref;
    return this.reads.run(key, async () => {
      const generation = this.generation;
      const ref = await this.read(tenantId, modelName, selector);
      if (generation === this.generation) {
        if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
        this.cache.set(key, { ref, until: Date.now() + TTL_MS });
      }
      return ref;
    });
  }

  /** The resolution when this process holds a fresh one (no database read, no promise); else undefined. */
  cached(tenantId: string, modelName: string, selector: VersionSelector): VersionRef | undefined {
    const hit = this.cache.get(keyOf(tenantId, modelName, selector));
    return hit && hit.until > Date.now() ? hit.ref : undefined;
  }

  /**
   * Every version of the tenant's model, newest first ([] for a model the tenant does not have),
   * cached and dropped like the resolutions, so a new or deleted version is listed at once in the
   * process that made the change and in the others when they hear of it.
   * @param fresh read it from the database even when cached (a list found older than a resolution).
   */
  versions(tenantId: string, modelName: string, fresh = false): Promise<readonly VersionListing[]> {
    const key = modelKey(tenantId, modelName);
    if (fresh) this.lists.delete(key);
    const hit = this.lists.get(key);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.versions);
    return this.listReads.run(key, async () => {
      const generation = this.generation;
      const versions = await withTenant(this.prisma, tenantId, (tx) => this.repos.models.listVersionNumbers(tx, tenantId, modelName));
      if (generation === this.generation) {
        if (this.lists.size >= MAX_ENTRIES) this.lists.clear();
        this.lists.set(key, { versions, until: Date.now() + TTL_MS });
      }
      return versions;
    });
  }

  /** The selector's version, read from the database. @throws as {@link resolve}. */
  private read(tenantId: string, modelName: string, selector: VersionSelector): Promise<VersionRef> {
    return withTenant(this.prisma, tenantId, async (tx) => {
      const { models, aliases, runs, stages } = this.repos;
      const model = await models.findModelId(tx, tenantId, modelName);
      // No model in the registry: NOT_FOUND, as `model(name:)` answers — unless a run now queued or
      // running will publish its first version (not a run that ended, nor one of a deleted model).
      if (!model) {
        if (await runs.trainsModel(tx, tenantId, modelName)) throw notReady(modelName, true);
        throw await modelNotFound(tx, models, tenantId, modelName);
      }
      if (selector.alias !== undefined) {
        const target = await aliases.target(tx, tenantId, model.id, selector.alias);
        if (!target) throw await aliasNotFound(tx, aliases, tenantId, { id: model.id, name: modelName }, selector.alias);
        return { id: target.id, version: target.version, modelName };
      }
      if (selector.stage !== undefined) {
        const staged = await stages.newestIn(tx, tenantId, model.id, selector.stage);
        if (!staged) throw notFound('Model stage', `${modelName}@${selector.stage}`);
        return { id: staged.id, version: staged.version, modelName };
      }
      const found = await models.findVersionRef(tx, tenantId, model.id, selector.version);
      if (found) return { id: found.id, version: found.version, modelName };
      if (selector.version !== undefined) throw notFound('Model version', `${modelName}@${selector.version}`);
      throw notReady(modelName, await runs.trainsModel(tx, tenantId, modelName));
    });
  }

  /** Forgets every resolution and the version list of a model (called for changes published by any process). */
  invalidate(tenantId: string, modelName: string): void {
    const prefix = modelKey(tenantId, modelName);
    this.generation++;
    this.reads.forget((key) => key.startsWith(prefix));
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
    this.listReads.forget((key) => key === prefix);
    this.lists.delete(prefix);
  }
}
