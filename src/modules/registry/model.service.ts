import type { Db } from '../../lib/db';
import { notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import type { EvaluationMetrics } from '../../ml/evaluate';
import type { FeatureImportance as Importance } from '../../ml/pipeline';
import { readPipeline } from '../../ml/preprocess/stored';
import type { FittedColumn } from '../../ml/preprocess/types';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { ModelRepo } from './model.repo';
import type { FeatureInfo, Model, ModelVersion, VersionMetrics } from './model.type';
import type { ImageLayout, OnnxModelInfo } from './onnx.type';
import type { OnnxServing } from '../../ml/families/onnx/serving-info';

interface VersionRow {
  id: string;
  version: number;
  task: string;
  framework: string;
  trainingRunId: string | null;
  preprocessing: unknown;
  metrics: unknown;
  warnings: string[];
  createdAt: Date;
  model: { name: string };
}

function featureView(c: FittedColumn): FeatureInfo {
  const step = <K extends string>(op: K) => c.steps.find((s) => s.op === op) as Extract<FittedColumn['steps'][number], { op: K }> | undefined;
  const impute = step('impute');
  const scale = step('standardize');
  const mean = scale?.mean ?? (typeof impute?.value === 'number' ? impute.value : undefined);
  return {
    name: c.name,
    type: c.type,
    ...(mean !== undefined ? { mean } : {}),
    ...(scale ? { std: scale.std } : {}),
    ...(impute ? { imputeValue: String(impute.value) } : {}),
    ...(step('one_hot') ? { categories: step('one_hot')!.categories } : {}),
    missingCodes: c.missingCodes,
    steps: c.steps.map((s) => s.op),
    inputs: c.outputs,
  };
}

/** An uploaded ONNX version's stored serving information -> its GraphQL view. */
const onnxView = (info: OnnxServing): OnnxModelInfo => ({ ...info, image: info.image ? { ...info.image, layout: info.image.layout as ImageLayout } : null });

/** A stored version row -> the GraphQL view. */
export function toVersionView(row: VersionRow): ModelVersion {
  const pipeline = readPipeline(row.preprocessing);
  const metrics = row.metrics as EvaluationMetrics & { featureImportances?: Importance[] };
  return {
    id: row.id,
    modelName: row.model.name,
    version: row.version,
    task: row.task,
    framework: row.framework,
    trainingRunId: row.trainingRunId,
    features: pipeline.columns.map(featureView),
    inputs: pipeline.columns.flatMap((c) => c.outputs),
    preprocessing: pipeline as unknown as Record<string, unknown>,
    ...(metrics.featureImportances ? { featureImportances: metrics.featureImportances } : {}),
    target: pipeline.target,
    standardize: pipeline.columns.some((c) => c.steps.some((s) => s.op === 'standardize')),
    metrics: metrics as VersionMetrics,
    warnings: row.warnings,
    ...(pipeline.onnx ? { onnx: onnxView(pipeline.onnx) } : {}),
    createdAt: row.createdAt,
  };
}

/** Reading a tenant's models and versions (`models:read`). */
export class ModelService {
  constructor(
    private readonly prisma: Db,
    private readonly repo: ModelRepo,
  ) {}

  /** The tenant's models with their versions. @throws AppError FORBIDDEN. */
  async list(actor: Actor): Promise<Model[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.listModels(tx, actor.tenantId));
    return rows.map(toModelView);
  }

  /** @throws AppError NOT_FOUND when the tenant has no model of that name. */
  async get(actor: Actor, name: string): Promise<Model> {
    requireScope(actor, 'models:read');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.findModel(tx, actor.tenantId, name));
    if (!row) throw notFound('Model', name);
    return toModelView(row);
  }

  /** @throws AppError NOT_FOUND. */
  async getVersion(actor: Actor, id: string): Promise<ModelVersion> {
    requireScope(actor, 'models:read');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.findVersionById(tx, actor.tenantId, id));
    if (!row) throw notFound('Model version', id);
    return toVersionView(row);
  }
}

function toModelView(row: { id: string; name: string; createdAt: Date; versions: Omit<VersionRow, 'model'>[] }): Model {
  const versions = row.versions.map((v) => toVersionView({ ...v, model: { name: row.name } }));
  return { id: row.id, name: row.name, createdAt: row.createdAt, versions, latestVersion: versions[0] ?? null };
}
