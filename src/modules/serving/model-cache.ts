/**
 * Loaded models per process, keyed by model version id (versions are immutable, so an entry never
 * goes stale). Least recently used entries are disposed past `maxEntries`. Concurrent first uses
 * of a version share one load.
 */
import { loadArtifact, type ModelArtifact } from '../../ml/artifact';
import type { tf } from '../../ml/tf';

export class ModelCache {
  private readonly entries = new Map<string, Promise<tf.LayersModel>>();

  constructor(private readonly maxEntries = 100) {}

  /** @param load fetches the artifact; called only on a miss. */
  async get(versionId: string, load: () => Promise<ModelArtifact>): Promise<tf.LayersModel> {
    let entry = this.entries.get(versionId);
    if (entry) {
      this.entries.delete(versionId);
      this.entries.set(versionId, entry); // most recently used last
      return entry;
    }
    entry = load().then(loadArtifact);
    this.entries.set(versionId, entry);
    entry.catch(() => this.entries.delete(versionId));
    this.evictOverflow();
    return entry;
  }

  /** Drops one version (deleted) and disposes it once loaded. */
  evict(versionId: string): void {
    const entry = this.entries.get(versionId);
    if (!entry) return;
    this.entries.delete(versionId);
    entry.then((m) => m.dispose()).catch(() => undefined);
  }

  /** Disposes every loaded model. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const m of await Promise.allSettled(all)) if (m.status === 'fulfilled') m.value.dispose();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOverflow(): void {
    while (this.entries.size > this.maxEntries) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Promise<tf.LayersModel>];
      this.entries.delete(oldest);
      entry.then((m) => m.dispose()).catch(() => undefined);
    }
  }
}
