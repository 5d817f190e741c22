/**
 * Deleting a dataset without losing history. A dataset no model version uses is deleted with its
 * training runs. One that versions still in the registry were trained on (or, for recommenders,
 * read their item or user metadata from) is refused
 * (DATASET_IN_USE, listing them) unless `force`: then it is *archived* — hidden from lists and
 * training, its row kept with its name, profile, row count and checksum, so the versions keep
 * their lineage and its training runs and loss curves are not cascaded away; its rows stay for
 * DATASET_ARCHIVE_RETENTION_DAYS (restoreDataset, ./restore-dataset.ts), then the worker's purge
 * (src/jobs/dataset-purge.ts) empties them. Audited either way.
 *
 * Either way the dataset's cells leave every batch-prediction result built from it, in the same
 * transaction (review F12): a user who deletes a dataset expects its data gone everywhere, and a
 * result's copy of the rows is that data, not something derived from it. What stays is each
 * result's row numbers and predictions, which are the model's output (as the versions trained on the
 * dataset stay): every reader then downloads that, and a batch too old to have it is deleted. An
 * archived dataset's results are stripped at once, not at the purge — restoring the dataset does not
 * bring the cells back into them (run the batch again). A batch still running stores no copy of the
 * cells once the dataset is gone: the dataset's row is locked here first, and the job stores its
 * result under a share lock on it (DatasetRepo.lockLive), so one of the two waits for the other.
 * Evaluations on the dataset lose their regression sample's `actual` values (target cells) the same
 * way. The versions trained on it keep theirs (at most 200 test rows' targets, in their metrics and
 * their immutable lineage, read only with datasets:read): they go with the version.
 */
import type { Db } from '../../lib/db';
import { AppError, notFound } from '../../lib/errors';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { EvaluationRepo } from '../registry/evaluation.repo';
import type { ModelRepo } from '../registry/model.repo';
import type { BatchRepo } from '../serving/batch.repo';
import type { TrainingRunRepo } from '../training/training-run.repo';
import type { DatasetRepo } from './dataset.repo';

/** Versions listed in a DATASET_IN_USE error, at most. */
export const MAX_LISTED_VERSIONS = 20;

/** What deleting a dataset needs. */
export interface DeleteDatasetDeps {
  prisma: Db;
  datasets: DatasetRepo;
  runs: TrainingRunRepo;
  models: ModelRepo;
  /** Batch predictions, whose results lose the dataset's cells. */
  batches: BatchRepo;
  /** Evaluations on the dataset, whose regression samples lose its target cells. */
  evaluations: EvaluationRepo;
  audit: AuditRepo;
  /** DATASET_ARCHIVE_RETENTION_DAYS: 0 empties an archived dataset's rows at once. */
  retentionDays: number;
}

/** How a deletion ended. */
export type DatasetDeletion = 'DELETED' | 'ARCHIVED';

/**
 * Deletes (or, with `force` while versions remain, archives) the tenant's dataset (`datasets:write`),
 * in one transaction; audited as `dataset.deleted` or `dataset.archived` (with the versions).
 * @throws AppError FORBIDDEN, NOT_FOUND (also archived or another tenant's), CONFLICT while a run of
 *   it is queued or running, DATASET_IN_USE (details: `versions` as `model@version` with their
 *   aliases, at most {@link MAX_LISTED_VERSIONS}, and `totalVersions`) without `force`.
 */
export async function deleteDataset(deps: DeleteDatasetDeps, actor: Actor, id: string, force = false): Promise<DatasetDeletion> {
  requireScope(actor, 'datasets:write');
  const { prisma, datasets, runs, models, batches, evaluations, audit } = deps;
  return withTenant(prisma, actor.tenantId, async (tx) => {
    if (!(await datasets.lockForRemoval(tx, actor.tenantId, id))) throw notFound('Dataset', id);
    const dataset = await datasets.find(tx, actor.tenantId, id);
    if (!dataset) throw notFound('Dataset', id);
    const active = await runs.countActive(tx, actor.tenantId, { datasetId: id });
    if (active > 0) {
      throw new AppError('CONFLICT', `Dataset '${dataset.name}' has ${active} queued or running training run${active > 1 ? 's' : ''}; cancel them or let them finish first`);
    }
    const { rows, total } = await models.versionsUsing(tx, actor.tenantId, id, MAX_LISTED_VERSIONS);
    const versions = rows.map((v) => ({ model: v.model.name, version: v.version, aliases: v.aliases.map((a) => a.name) }));
    if (total === 0) {
      // Before the row goes: its batches and evaluations keep no link to it.
      const results = await batches.removeDatasetCells(tx, actor.tenantId, id);
      await evaluations.removeDatasetCells(tx, actor.tenantId, id);
      await datasets.delete(tx, actor.tenantId, id);
      await audit.record(tx, actor, { action: 'dataset.deleted', targetType: 'Dataset', targetId: id, details: { name: dataset.name, batchResults: results } });
      return 'DELETED';
    }
    if (!force) {
      const listed = versions.map((v) => `${v.model}@${v.version}${v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}`).join(', ');
      throw new AppError(
        'DATASET_IN_USE',
        `Dataset '${dataset.name}' is used by ${total} model version${total > 1 ? 's' : ''} still in the registry (trained on it, or reading item or user metadata from it): ${listed}${total > rows.length ? ', …' : ''}; delete them first, or pass force: true to archive the dataset (restorable until its retention ends, then its rows are purged; the versions' lineage and training curves kept)`,
        { field: 'id', datasetId: id, versions, totalVersions: total },
      );
    }
    const results = await batches.removeDatasetCells(tx, actor.tenantId, id);
    await evaluations.removeDatasetCells(tx, actor.tenantId, id);
    await datasets.archive(tx, actor.tenantId, id, deps.retentionDays === 0);
    await audit.record(tx, actor, {
      action: 'dataset.archived',
      targetType: 'Dataset',
      targetId: id,
      details: { name: dataset.name, checksum: dataset.checksum, totalVersions: total, versions, retentionDays: deps.retentionDays, batchResults: results },
    });
    return 'ARCHIVED';
  });
}
