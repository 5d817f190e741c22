import type { Db } from '../../lib/db';
import { nestedList } from '../common/cursor';
import { pageWindow, type PageRequest } from '../common/keyset';
import { notFound } from '../../lib/errors';
import { modelNotFound } from './not-found-hints';
import { withTenant } from '../../lib/tenant-tx';
import type { EvaluationMetrics } from '../../ml/evaluate';
import type { FeatureImportance as Importance, FeatureImportanceMethod as ImportanceMethod } from '../../ml/pipeline';
import { readPipeline } from '../../ml/preprocess/stored';
import type { FittedColumn } from '../../ml/preprocess/types';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { ModelRepo } from './model.repo';
import type { FeatureInfo, Model, ModelVersion, VersionMetrics } from './model.type';
import type { ImageLayout, OnnxModelInfo } from './onnx.type';
import type { OnnxServing } from '../../ml/families/onnx/serving-info';

import type { ModelStage } from './stage';
import type { CreatedFilter } from '../common/created-filter';

interface VersionRow {
  id: string;
  version: number;
  task: string;
  framework: string;
  trainingRunId: string | null;
  preprocessing: unknown;
  metrics: unknown;
  warnings: string[];
  stage: string;
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
  const metrics = row.metrics as EvaluationMetrics & { featureImportances?: Importance[]; featureImportanceMethod?: ImportanceMethod };
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
    // Versions stored before the method was recorded had importances from trees only.
    ...(metrics.featureImportances ? { featureImportances: metrics.featureImportances, featureImportanceMethod: metrics.featureImportanceMethod ?? 'impurity' } : {}),
    target: pipeline.target,
    standardize: pipeline.columns.some((c) => c.steps.some((s) => s.op === 'standardize')),
    metrics: metrics as VersionMetrics,
    warnings: row.warnings,
    stage: row.stage as ModelStage,
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

  /**
   * A page of the tenant's models, newest first, with their versions (`models:read`).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(actor: Actor, args: PageRequest, filter: CreatedFilter & { name?: string }, sizes: { default: number; max: number }) {
    requireScope(actor, 'models:read');
    const window = pageWindow(args, sizes.default, sizes.max, 'models');
    const page = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.pageModels(tx, actor.tenantId, filter, window));
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toModelView(e.node) })) };
  }

  /**
   * A page of one model's versions, newest first (`models:read`); empty for another tenant's model id.
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async pageVersions(actor: Actor, modelId: string, args: PageRequest, sizes: { default: number; max: number }) {
    requireScope(actor, 'models:read');
    const window = pageWindow(args, sizes.default, sizes.max, nestedList('versions', modelId));
    const page = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.pageVersions(tx, actor.tenantId, modelId, window));
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toVersionView(e.node) })) };
  }

  /**
   * The version each of `runIds` produced, or null, in one statement (DataLoader's batch function).
   * Scope: `models:read`.
   */
  async versionsOfRuns(actor: Actor, runIds: readonly string[]): Promise<(ModelVersion | null)[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.versionsOfRuns(tx, actor.tenantId, runIds));
    const byRun = new Map(rows.map((r) => [r.trainingRunId, toVersionView(r)]));
    return runIds.map((id) => byRun.get(id) ?? null);
  }

  /** The tenant's models named in `names`, or null, in one statement (DataLoader's batch function). Scope: `models:read`. */
  async getManyByName(actor: Actor, names: readonly string[]): Promise<(Model | null)[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.modelsByName(tx, actor.tenantId, names));
    const byName = new Map(rows.map((r) => [r.name, toModelView(r)]));
    return names.map((n) => byName.get(n) ?? null);
  }

  /** @throws AppError NOT_FOUND when the tenant has no model of that name. */
  async get(actor: Actor, name: string): Promise<Model> {
    requireScope(actor, 'models:read');
    const row = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const found = await this.repo.findModel(tx, actor.tenantId, name);
      if (!found) throw await modelNotFound(tx, this.repo, actor.tenantId, name);
      return found;
    });
    return toModelView(row);
  }

  /** Versions by id, in `ids` order, null for each unknown or another tenant's (models:read): one statement. @throws AppError FORBIDDEN. */
  async getVersions(actor: Actor, ids: readonly string[]): Promise<(ModelVersion | null)[]> {
    requireScope(actor, 'models:read');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.repo.findVersionsByIds(tx, actor.tenantId, ids));
    const byId = new Map(rows.map((r) => [r.id, toVersionView(r)]));
    return ids.map((id) => byId.get(id) ?? null);
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
