/**
 * Loaded model versions per API process, keyed by version id (versions are immutable, so an entry
 * never goes stale; a deleted version is evicted by its id). Bounded by bytes: least recently used
 * entries are disposed once the total passes the budget. Concurrent first uses share one load.
 */

export interface Loaded {
  /** Approximate memory held, bytes (weights + topology). */
  bytes: number;
  dispose(): void;
}

/** How long an evicted model stays usable for requests already holding it, ms. */
const DISPOSE_GRACE_MS = 5_000;

interface Entry<T> {
  value: Promise<T>;
  bytes: number;
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
  readonly stats = { hits: 0, misses: 0 };

  /** @param budgetBytes memory budget. (Default: 512 MiB) */
  constructor(
    private readonly budgetBytes = 512 * 1024 * 1024,
    private readonly hooks: { onHit?: () => void; onMiss?: () => void } = {},
  ) {}

  /** @param load builds the value; called only on a miss. A failed load is not cached. */
  async get(versionId: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(versionId);
    if (hit) {
      this.stats.hits++;
      this.hooks.onHit?.();
      this.entries.delete(versionId);
      this.entries.set(versionId, hit); // most recently used last
      return hit.value;
    }
    this.stats.misses++;
    this.hooks.onMiss?.();
    const entry: Entry<T> = { value: load(), bytes: 0 };
    this.entries.set(versionId, entry);
    try {
      const value = await entry.value;
      if (this.entries.get(versionId) === entry) {
        entry.bytes = value.bytes;
        this.totalBytes += value.bytes;
        this.evictOverBudget(versionId);
      }
      return value;
    } catch (err) {
      if (this.entries.get(versionId) === entry) this.entries.delete(versionId);
      throw err;
    }
  }

  /** Drops one version (deleted) and disposes it once loaded. */
  evict(versionId: string): void {
    const entry = this.entries.get(versionId);
    if (!entry) return;
    this.entries.delete(versionId);
    this.totalBytes -= entry.bytes;
    // Requests that took the entry just before may still be waiting in its micro-batch: dispose later.
    setTimeout(() => entry.value.then((m) => m.dispose()).catch(() => undefined), DISPOSE_GRACE_MS).unref();
  }

  /** Disposes every loaded model. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.totalBytes = 0;
    for (const m of await Promise.allSettled(all.map((e) => e.value))) if (m.status === 'fulfilled') m.value.dispose();
  }

  snapshot(): CacheStats {
    return { ...this.stats, bytes: this.totalBytes, entries: this.entries.size };
  }

  private evictOverBudget(keep: string): void {
    for (const [id] of this.entries) {
      if (this.totalBytes <= this.budgetBytes) return;
      if (id !== keep) this.evict(id);
    }
  }
}
