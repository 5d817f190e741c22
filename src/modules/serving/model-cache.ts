/**
 * Loaded model versions per API process, keyed by version id (versions are immutable, so an entry
 * never goes stale; a deleted version is evicted by its id). Bounded by bytes: least recently used
 * entries are disposed once the total passes the budget. Concurrent first uses share one load.
 *
 * Shared fairly (issue 10, one tenant degrading another): each tenant may hold at most its share of
 * the budget (MODEL_CACHE_TENANT_SHARE). A load that takes a tenant past its share evicts that
 * tenant's own least recently used versions first; only a load within the tenant's share evicts
 * the least recently used versions of anyone when the whole cache is full. So a tenant cycling
 * through many versions churns its own part of the cache, and the others' stay loaded while they
 * hold no more than the rest of the budget.
 */

export interface Loaded {
  /**
   * Memory held, bytes: what the entry is weighed by against the budget. A served model gives its
   * stored artifact plus what loading it measured (served-model.ts `ServedModel.bytes`: an ONNX
   * host's RSS growth, TF.js tensor bytes), not its file size alone.
   */
  bytes: number;
  dispose(): void;
}

/** How long an evicted model stays usable for requests already holding it, ms. */
const DISPOSE_GRACE_MS = 5_000;

interface Entry<T> {
  value: Promise<T>;
  /** The value once loaded (for {@link ModelCache.getLoaded}). */
  loaded?: T;
  bytes: number;
  tenantId: string;
}

export interface CacheStats {
  hits: number;
  misses: number;
  bytes: number;
  entries: number;
}

export class ModelCache<T extends Loaded = Loaded> {
  private readonly entries = new Map<string, Entry<T>>();
  private totalBytes = 0;
  private readonly tenantBytes = new Map<string, number>();
  readonly stats = { hits: 0, misses: 0 };

  /**
   * @param budgetBytes memory budget. (Default: 512 MiB)
   * @param tenantShare fraction of the budget one tenant's versions may hold, in (0, 1]. (Default: 1: no per-tenant bound)
   */
  constructor(
    private readonly budgetBytes = 512 * 1024 * 1024,
    private readonly hooks: { onHit?: () => void; onMiss?: () => void } = {},
    tenantShare = 1,
  ) {
    if (!(tenantShare > 0 && tenantShare <= 1)) throw new RangeError(`tenantShare must be in (0, 1], got ${tenantShare}`);
    this.tenantBudget = Math.floor(budgetBytes * tenantShare);
  }

  /** Bytes one tenant's versions may hold: budget × share. */
  readonly tenantBudget: number;

  /** Whether `versionId` is cached (loaded or loading), without counting a use. */
  has(versionId: string): boolean {
    return this.entries.has(versionId);
  }

  /** Bytes held by `tenantId`'s loaded versions. */
  bytesOf(tenantId: string): number {
    return this.tenantBytes.get(tenantId) ?? 0;
  }

  /**
   * @param tenantId the version's tenant, whose share of the budget the version counts against.
   * @param load builds the value; called only on a miss. A failed load is not cached.
   */
  async get(versionId: string, tenantId: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(versionId);
    if (hit) {
      this.use(versionId, hit);
      return hit.value;
    }
    this.stats.misses++;
    this.hooks.onMiss?.();
    const entry: Entry<T> = { value: load(), bytes: 0, tenantId };
    this.entries.set(versionId, entry);
    try {
      const value = await entry.value;
      if (this.entries.get(versionId) === entry) {
        entry.loaded = value;
        entry.bytes = value.bytes;
        this.count(tenantId, value.bytes);
        this.evictOverBudget(versionId, tenantId);
      }
      return value;
    } catch (err) {
      if (this.entries.get(versionId) === entry) this.entries.delete(versionId);
      throw err;
    }
  }

  /**
   * The version when it is loaded already, counted as a use as {@link get} counts it; undefined
   * otherwise (not cached, or still loading: call {@link get}). No promise: the hot path of a
   * request for a loaded version.
   */
  getLoaded(versionId: string): T | undefined {
    const hit = this.entries.get(versionId);
    if (!hit?.loaded) return undefined;
    this.use(versionId, hit);
    return hit.loaded;
  }

  /** Counts a hit and makes the entry the most recently used. */
  private use(versionId: string, hit: Entry<T>): void {
    this.stats.hits++;
    this.hooks.onHit?.();
    this.entries.delete(versionId);
    this.entries.set(versionId, hit); // most recently used last
  }

  /** Drops one version (deleted) and disposes it once loaded. */
  evict(versionId: string): void {
    const entry = this.entries.get(versionId);
    if (!entry) return;
    this.entries.delete(versionId);
    this.count(entry.tenantId, -entry.bytes);
    // Requests that took the entry just before may still be waiting in its micro-batch: dispose later.
    setTimeout(() => entry.value.then((m) => m.dispose()).catch(() => undefined), DISPOSE_GRACE_MS).unref();
  }

  /** Disposes every loaded model. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.totalBytes = 0;
    this.tenantBytes.clear();
    for (const m of await Promise.allSettled(all.map((e) => e.value))) if (m.status === 'fulfilled') m.value.dispose();
  }

  snapshot(): CacheStats {
    return { ...this.stats, bytes: this.totalBytes, entries: this.entries.size };
  }

  private count(tenantId: string, bytes: number): void {
    this.totalBytes += bytes;
    const held = this.bytesOf(tenantId) + bytes;
    if (held > 0) this.tenantBytes.set(tenantId, held);
    else this.tenantBytes.delete(tenantId);
  }

  /** After `keep` (of `tenantId`) loaded: that tenant's own LRU versions past its share, then anyone's past the budget. */
  private evictOverBudget(keep: string, tenantId: string): void {
    for (const [id, entry] of this.entries) {
      if (this.bytesOf(tenantId) <= this.tenantBudget) break;
      if (id !== keep && entry.tenantId === tenantId) this.evict(id);
    }
    for (const [id] of this.entries) {
      if (this.totalBytes <= this.budgetBytes) return;
      if (id !== keep) this.evict(id);
    }
  }
}
