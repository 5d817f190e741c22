/**
 * Predictions: the version's stored preprocessing pipeline, then its model (network or trees), on
 * rows keyed like the training CSV's columns.
 */
import type { Db } from '../../lib/db';
import { AppError, badInput, notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import { loadPredictor, type Predictor } from '../../ml/predictor';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import type { ModelRepo } from '../registry/model.repo';
import type { ModelCache } from './model-cache';
import type { PredictionResult } from './prediction.type';

export class PredictService {
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly cache: ModelCache<Predictor>,
    private readonly maxRows: number,
    private readonly quotas: QuotaService,
  ) {}

  /**
   * @param version a version number; undefined = the latest.
   * @throws AppError BAD_USER_INPUT (no rows, too many rows, bad row), NOT_FOUND (model or version),
   *   MODEL_NOT_READY (the model has no version yet), QUOTA_EXCEEDED (rate limit, with retryAfterSeconds).
   */
  async predict(actor: Actor, modelName: string, version: number | undefined, rows: unknown[]): Promise<PredictionResult> {
    requireScope(actor, 'predict');
    if (rows.length === 0) throw badInput('rows is empty: send at least one row');
    if (rows.length > this.maxRows) throw badInput(`rows has ${rows.length} rows; at most ${this.maxRows} per call`);
    await this.quotas.consumePredictions(actor.tenantId, rows.length);
    const row = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const found = await this.models.findVersionWithArtifact(tx, actor.tenantId, modelName, version);
      if (found) return found;
      if (!(await this.models.nameKnown(tx, actor.tenantId, modelName))) throw notFound('Model', modelName);
      const latest = await this.models.findVersionWithArtifact(tx, actor.tenantId, modelName);
      if (latest) throw notFound('Model version', `${modelName}@${version}`);
      throw new AppError('MODEL_NOT_READY', `Model '${modelName}' has no trained version yet`);
    });
    // Any framework (network or trees), loaded once per process and kept in the cache.
    const predictor = await this.cache.get(row.id, () => loadPredictor(row));
    return { modelName: row.model.name, version: row.version, modelVersionId: row.id, predictions: predictor.predict(rows) };
  }
}
