/**
 * Exporting a model version for serving elsewhere (src/ml/export/bundle.ts): TF.js Layers files,
 * the trees' JSON, or ONNX, with the preprocessing plan and a manifest. Scope `models:read`: an
 * export hands out the whole model, which a predict-only key must not obtain.
 */
import type { Db } from '../../lib/db';
import { badInput, notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import { EXPORT_FORMATS, exportVersion, type ExportArchive, type ExportFormat } from '../../ml/export/bundle';
import { familyForFramework, type ModelKind } from '../../ml/families/registry';
import { readPipeline } from '../../ml/preprocess/stored';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { VersionResolver, VersionSelector } from '../serving/version-resolver';
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

export class ExportService {
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly versions: VersionResolver,
    private readonly audit: AuditRepo,
  ) {}

  /**
   * The archive of one version of the caller's model.
   * @param selector a version number or alias; none: the latest.
   * @throws AppError FORBIDDEN without `models:read`; NOT_FOUND (model or version unknown, or
   *   another tenant's); NOT_SUPPORTED naming the family when it has no such format;
   *   BAD_USER_INPUT for an unknown format. Audited as `modelVersion.exported` (model, version, format, bytes).
   */
  async export(actor: Actor, modelName: string, selector: VersionSelector, format: string): Promise<ExportArchive> {
    requireScope(actor, 'models:read');
    const wanted = parseExportFormat(format);
    const ref = await this.versions.resolve(actor.tenantId, modelName, selector);
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.models.findVersionRow(tx, actor.tenantId, ref.id));
    if (!row) throw notFound('Model version', `${modelName}@${ref.version}`);
    const stored = { framework: row.framework, topology: row.topology, weights: new Uint8Array(row.weights) };
    const archive = await exportVersion(stored, readPipeline(row.preprocessing), { id: row.id, modelName, version: row.version }, wanted);
    // Recorded once the archive exists: a refused format is not an export.
    await withTenant(this.prisma, actor.tenantId, (tx) =>
      this.audit.record(tx, actor, {
        action: 'modelVersion.exported',
        targetType: 'ModelVersion',
        targetId: row.id,
        details: { model: modelName, version: row.version, format: wanted, bytes: archive.bytes.byteLength },
      }),
    );
    return archive;
  }
}
