/**
 * Reading a version's lineage (`models:read`) and reproducing a version (`training:run`): a new
 * training run with the recorded spec on the same dataset, refused when the dataset is gone or
 * its content changed.
 */
import type { Db } from '../../lib/db';
import { AppError, notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { DatasetRepo } from '../datasets/dataset.repo';
import type { StartTrainingRunInput } from '../training/spec.input';
import type { TrainingRunRepo } from '../training/training-run.repo';
import type { TrainingRunService } from '../training/training-run.service';
import type { StoredLineage } from './lineage';
import type { ModelVersionLineage } from './lineage.type';
import { rebuiltView, recordedView } from './lineage-view';
import type { ModelRepo } from './model.repo';

/** Lineage of a tenant's versions. */
export class LineageService {
  constructor(
    private readonly prisma: Db,
    private readonly models: ModelRepo,
    private readonly runs: TrainingRunRepo,
    private readonly datasets: DatasetRepo,
    private readonly training: TrainingRunService,
  ) {}

  /** The lineage of one of the tenant's versions. @throws AppError FORBIDDEN, NOT_FOUND. */
  async get(actor: Actor, versionId: string): Promise<ModelVersionLineage> {
    requireScope(actor, 'models:read');
    const { tenantId } = actor;
    return withTenant(this.prisma, tenantId, async (tx) => {
      const version = await this.models.findLineage(tx, tenantId, versionId);
      if (!version) throw notFound('Model version', versionId);
      const stored = version.lineage as unknown as StoredLineage | null;
      const datasetId = stored?.dataset.id ?? version.datasetId;
      const now = datasetId ? await this.datasets.findForLineage(tx, tenantId, datasetId) : null;
      if (stored) return recordedView(stored, now);
      const run = version.trainingRunId ? await this.runs.find(tx, tenantId, version.trainingRunId) : null;
      const epochs = run ? await this.runs.metrics(tx, tenantId, run.id) : [];
      return rebuiltView(version, run ? { ...run, epochs } : null, now);
    });
  }

  /**
   * Starts a training run with the version's recorded spec and columns on the same dataset, into
   * the same model (a new version), recording `reproducesVersionId`. With the same seed and
   * backend the new version has the same test metrics (training is seeded throughout).
   * @throws AppError FORBIDDEN, NOT_FOUND (version), NOT_SUPPORTED (an uploaded version: not trained
   *   here), INVALID_STATE (published before lineage was recorded, or without a dataset checksum), DATASET_CHANGED (the dataset was deleted, archived, or its checksum differs);
   *   and whatever startTrainingRun throws (quota, cost limits).
   */
  async reproduce(actor: Actor, versionId: string) {
    requireScope(actor, 'models:read');
    requireScope(actor, 'training:run');
    const { tenantId } = actor;
    const { lineage, modelName } = await withTenant(this.prisma, tenantId, async (tx) => {
      const row = await this.models.findLineage(tx, tenantId, versionId);
      if (!row) throw notFound('Model version', versionId);
      if (row.framework === 'onnx') {
        throw new AppError('NOT_SUPPORTED', `Version ${row.version} of model '${row.model.name}' was uploaded, not trained here: there is no training run to reproduce`, {
          field: 'versionId',
          versionId,
        });
      }
      const stored = row.lineage as unknown as StoredLineage | null;
      if (!stored?.dataset.checksum) {
        throw new AppError(
          'INVALID_STATE',
          `Version ${row.version} of model '${row.model.name}' has no recorded dataset checksum (published before lineage was recorded), so it cannot be reproduced`,
          {
            field: 'versionId',
            versionId,
          },
        );
      }
      const now = await this.datasets.findForLineage(tx, tenantId, stored.dataset.id);
      if (!now || now.archivedAt) {
        const what = now ? 'archived (restore it with restoreDataset while its retention lasts)' : 'deleted';
        throw new AppError('DATASET_CHANGED', `Dataset '${stored.dataset.name}' that trained version ${row.version} of model '${row.model.name}' was ${what}`, {
          field: 'versionId',
          versionId,
          datasetId: stored.dataset.id,
          datasetState: now ? 'ARCHIVED' : 'DELETED',
        });
      }
      return { lineage: stored, modelName: row.model.name };
    });
    const input = {
      datasetId: lineage.dataset.id,
      modelName,
      targetColumn: lineage.targetColumn,
      featureColumns: lineage.featureColumns,
      spec: lineage.spec,
    } as unknown as StartTrainingRunInput;
    // The checksum is compared again in the run's own transaction (startTrainingRun).
    return this.training.start(actor, input, { reproducesVersionId: versionId, expectChecksum: lineage.dataset.checksum!, normalizedSpec: lineage.spec });
  }
}
