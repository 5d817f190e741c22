/**
 * Built export archives kept per process (src/modules/registry/export.service.ts), so a repeated
 * download of the same version costs no rebuild: an export of a 100-tree forest takes seconds of a
 * data thread (review F6). A version's artifact never changes once published, so an entry is right
 * for as long as it is kept; deleting the version drops it (`evictVersion`).
 *
 * Bounded in bytes (EXPORT_CACHE_BYTES), least recently used first; one tenant's entries hold at
 * most half of it (its own least recently used go first), so one tenant exporting many versions
 * cannot push every other tenant's archives out.
 */
import type { ExportArchive } from '../../ml/export/bundle';

/** What is kept of one export, by its key ({@link exportCacheKey}). */
interface Entry {
  tenantId: string;
  versionId: string;
  archive: ExportArchive;
}

/** Fraction of the bound one tenant's entries may hold. */
const TENANT_SHARE = 0.5;

/**
 * The key of one export: tenant, version id, format, and the model name as asked (it is written in
 * the manifest and the file name).
 */
export function exportCacheKey(tenantId: string, versionId: string, format: string, modelName: string): string {
  return JSON.stringify([tenantId, versionId, format, modelName]);
}

/** Archives by key, least recently used first (a Map keeps insertion order; a hit re-inserts). */
export class ExportCache {
  private readonly entries = new Map<string, Entry>();
  private readonly tenantBytes = new Map<string, number>();
  private bytes = 0;

  /** @param maxBytes total archive bytes kept; 0 keeps nothing. */
  constructor(readonly maxBytes: number) {}

  /** The archive kept under `key`, now the most recently used; undefined when none. */
  get(key: string): ExportArchive | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.archive;
  }

  /**
   * Keeps `archive` under `key`, dropping least recently used entries past the bounds (the
   * tenant's own first). An archive larger than the tenant's share is not kept.
   */
  set(key: string, tenantId: string, versionId: string, archive: ExportArchive): void {
    const size = archive.bytes.byteLength;
    const share = Math.floor(this.maxBytes * TENANT_SHARE);
    if (size > share) return;
    this.delete(key);
    this.dropWhile(() => (this.tenantBytes.get(tenantId) ?? 0) + size > share, tenantId);
    this.dropWhile(() => this.bytes + size > this.maxBytes);
    this.entries.set(key, { tenantId, versionId, archive });
    this.bytes += size;
    this.tenantBytes.set(tenantId, (this.tenantBytes.get(tenantId) ?? 0) + size);
  }

  /** Drops every archive of a version (deleted: its exports must not be served). */
  evictVersion(versionId: string): void {
    for (const [key, entry] of this.entries) if (entry.versionId === versionId) this.delete(key);
  }

  /** Entries and bytes kept now. */
  snapshot(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /** Drops the least recently used entries (of `tenantId` only, when given) while `over()`. */
  private dropWhile(over: () => boolean, tenantId?: string): void {
    for (const [key, entry] of this.entries) {
      if (!over()) return;
      if (tenantId === undefined || entry.tenantId === tenantId) this.delete(key);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const size = entry.archive.bytes.byteLength;
    this.bytes -= size;
    const left = (this.tenantBytes.get(entry.tenantId) ?? 0) - size;
    if (left > 0) this.tenantBytes.set(entry.tenantId, left);
    else this.tenantBytes.delete(entry.tenantId);
  }
}
