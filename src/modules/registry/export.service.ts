/**
 * Exporting a model version for serving elsewhere (src/ml/export/bundle.ts): TF.js Layers files,
 * the trees' JSON, or ONNX, with the preprocessing plan and a manifest. Scope `models:read`: an
 * export hands out the whole model, which a predict-only key must not obtain.
 *
 * The archive is built on a data thread (review F6: a 100-tree forest took 3.5–5 s of the event
 * loop, stalling every tenant's requests): the same pool and the same per-tenant share as CSV
 * uploads and correlations (DATA_THREADS, DATA_TASKS_PER_TENANT), so one tenant's exports never
 * take every thread and no new pool or limit is needed; its threads start on first use and exit
 * when idle. Built archives are kept (./export-cache.ts), and concurrent identical requests share
 * one build.
 */
import type { Db } from '../../lib/db';
import { badInput, notFound } from '../../lib/errors';
import { SingleFlight } from '../../lib/single-flight';
import { withTenant } from '../../lib/tenant-tx';
import { movable } from '../../lib/threads/task-result';
import { EXPORT_FORMATS, exportKind, type ExportArchive, type ExportFormat } from '../../ml/export/bundle';
import type { CsvThreads } from '../../ml/data/csv-tasks';
import { familyForFramework, type ModelKind } from '../../ml/families/registry';
import { readPipeline } from '../../ml/preprocess/stored';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { VersionResolver, VersionSelector } from '../serving/version-resolver';
import { ExportCache, exportCacheKey } from './export-cache';
import type { ModelRepo } from './model.repo';

const FORMATS: readonly ExportFormat[] = ['tfjs', 'json', 'onnx'];

/**
 * Any case: GraphQL's `exportFormats` lists them as enum values (`ONNX`).
 * @throws AppError BAD_USER_INPUT when `format` is not one of tfjs, json, onnx.
 */
export function parseExportFormat(format: unknown): ExportFormat {
  const lower = typeof format === 'string' ? format.toLowerCase() : undefined;
  if (lower && (FORMATS as readonly string[]).includes(lower)) return lower as ExportFormat;
  throw badInput(`format '${String(format).slice(0, 50)}' is not an export format; use one of ${FORMATS.join(', ')}`, { field: 'format' });
}

/** The formats a version of `framework` exports (none for a framework no family reads). */
export function exportFormatsOf(framework: string): readonly ExportFormat[] {
  try {
    return EXPORT_FORMATS[familyForFramework(framework).kind as ModelKind];
  } catch {
    return [];
  }
}

/** Runs a task on the data threads within the tenant's share (DatasetService.onThread). */
export type OnDataThread = <T>(tenantId: string, fn: () => Promise<T>) => Promise<T>;

export class ExportService {
  private readonly cache: ExportCache;
  private readonly builds = new SingleFlight<ExportArchive>();
  private built = 0;

  /**
   * @param threads the data threads, where archives are built.
   * @param onThread the tenant's share of them.
   * @param cacheBytes bytes of built archives kept in this process (EXPORT_CACHE_BYTES; 0 keeps none).
   */
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly versions: VersionResolver,
    private readonly audit: AuditRepo,
    private readonly threads: CsvThreads,
    private readonly onThread: OnDataThread,
    cacheBytes: number,
  ) {
    this.cache = new ExportCache(cacheBytes);
  }

  /**
   * The archive of one version of the caller's model: kept, or built on a data thread (a build in
   * progress for the same tenant, version, format and name is shared).
   * @param selector a version number or alias; none: the latest.
   * @throws AppError FORBIDDEN without `models:read`; NOT_FOUND (model or version unknown, or
   *   another tenant's); NOT_SUPPORTED naming the family when it has no such format;
   *   BAD_USER_INPUT for an unknown format; QUOTA_EXCEEDED (retryAfterSeconds) when the tenant's
   *   share of the data threads is in use, or their queue is full. Audited as
   *   `modelVersion.exported` (model, version, format, bytes), a kept archive too.
   */
  async export(actor: Actor, modelName: string, selector: VersionSelector, format: string): Promise<ExportArchive> {
    requireScope(actor, 'models:read');
    const wanted = parseExportFormat(format);
    const ref = await this.versions.resolve(actor.tenantId, modelName, selector);
    const key = exportCacheKey(actor.tenantId, ref.id, wanted, modelName);
    const archive = this.cache.get(key) ?? (await this.builds.run(key, () => this.build(actor.tenantId, modelName, ref, wanted, key)));
    // Recorded once the archive exists: a refused format is not an export.
    await withTenant(this.prisma, actor.tenantId, (tx) =>
      this.audit.record(tx, actor, {
        action: 'modelVersion.exported',
        targetType: 'ModelVersion',
        targetId: ref.id,
        details: { model: modelName, version: ref.version, format: wanted, bytes: archive.bytes.byteLength },
      }),
    );
    return archive;
  }

  /** Drops the kept archives of a deleted version. */
  evictVersion(versionId: string): void {
    this.cache.evictVersion(versionId);
  }

  /** Archives built by this process since it started, and what the cache keeps now. */
  stats(): { builds: number; cached: { entries: number; bytes: number } } {
    return { builds: this.built, cached: this.cache.snapshot() };
  }

  /** Reads the version and builds its archive on a data thread, then keeps it. */
  private async build(tenantId: string, modelName: string, ref: { id: string; version: number }, format: ExportFormat, key: string): Promise<ExportArchive> {
    const row = await withTenant(this.prisma, tenantId, (tx) => this.models.findVersionRow(tx, tenantId, ref.id));
    if (!row) throw notFound('Model version', `${modelName}@${ref.version}`);
    exportKind(row.framework, format); // a format the family lacks is refused here, without a thread hop
    // Moved to the thread, not copied (a network's weights are tens of MB); the row is not used again.
    const { bytes: weights, transfer } = movable(row.weights);
    const input = {
      stored: { framework: row.framework, topology: row.topology, weights },
      pipeline: readPipeline(row.preprocessing),
      info: { id: row.id, modelName, version: row.version },
      format,
    };
    const archive = await this.onThread(tenantId, () => {
      this.built++;
      return this.threads.run('exportArchive', input, transfer);
    });
    this.cache.set(key, tenantId, row.id, archive);
    return archive;
  }
}
