import type { Db } from '../../lib/db';
import { notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import type { EvaluationMetrics } from '../../ml/evaluate';
import type { Preprocessing } from '../../ml/preprocess';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { ModelRepo } from './model.repo';
import type { Model, ModelVersion, VersionMetrics } from './model.type';

interface VersionRow {
  id: string;
  version: number;
  task: string;
  framework: string;
  trainingRunId: string | null;
  preprocessing: unknown;
  metrics: unknown;
  createdAt: Date;
  model: { name: string };
}

/** A stored version row -> the GraphQL view. */
export function toVersionView(row: VersionRow): ModelVersion {
  const prep = row.preprocessing as Preprocessing;
  return {
    id: row.id,
    modelName: row.model.name,
    version: row.version,
    task: row.task,
    framework: row.framework,
    trainingRunId: row.trainingRunId,
    features: prep.features,
    target: prep.target,
    standardize: prep.standardize,
    metrics: row.metrics as EvaluationMetrics as VersionMetrics,
    createdAt: row.createdAt,
  };
}

export class ModelService {
  constructor(
    private readonly prisma: Db,
    private readonly repo: ModelRepo,
  ) {}

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
