/**
 * The storage quota's figures (review F12): what a tenant stores, by kind, and the refusal. One
 * quota (`maxDatasetBytes`, QUOTA_DATASET_BYTES) covers every kind, since all of it grows the one
 * shared database: datasets (their stored bytes, until deleted or purged), model artifacts (every
 * version's weights or trees and topology, uploaded ONNX files included), batch results (both
 * CSVs), and the batches queued or running at their estimated result.
 */
import { AppError } from '../../lib/errors';
import type { Tx } from '../../lib/tenant-tx';
import type { DatasetRepo } from '../datasets/dataset.repo';
import type { ModelRepo } from '../registry/model.repo';
import type { BatchRepo } from '../serving/batch.repo';

/** What a tenant stores, bytes. */
export interface StorageUse {
  datasets: number;
  modelArtifacts: number;
  batchResults: number;
  /** QUEUED and RUNNING batches' results, estimated (BatchRepo.pendingResultBytes). */
  pendingBatchResults: number;
  /** The sum of the above: what the quota compares. */
  total: number;
}

/** A {@link StorageUse} from its parts. */
export function storageUseOf(parts: Omit<StorageUse, 'total'>): StorageUse {
  return { ...parts, total: parts.datasets + parts.modelArtifacts + parts.batchResults + parts.pendingBatchResults };
}

/**
 * What the tenant stores, read in `tx`.
 * @param exceptBatchId a running batch whose estimate is left out (its real result is being checked).
 */
export async function readStorageUse(
  tx: Tx,
  tenantId: string,
  repos: { datasets: DatasetRepo; models: ModelRepo; batches: BatchRepo },
  exceptBatchId?: string,
): Promise<StorageUse> {
  return storageUseOf({
    datasets: await repos.datasets.totalBytes(tx, tenantId),
    modelArtifacts: await repos.models.artifactBytes(tx, tenantId),
    batchResults: await repos.batches.resultBytes(tx, tenantId),
    pendingBatchResults: await repos.batches.pendingResultBytes(tx, tenantId, exceptBatchId),
  });
}

/** `5000 used: datasets 3000, model artifacts 1500, batch results 500` (and the batches in progress when there are any). */
export function describeUse(use: StorageUse): string {
  const pending = use.pendingBatchResults > 0 ? `, batches in progress ~${use.pendingBatchResults}` : '';
  return `${use.total} used: datasets ${use.datasets}, model artifacts ${use.modelArtifacts}, batch results ${use.batchResults}${pending}`;
}

/**
 * The QUOTA_EXCEEDED refusal of `what` (e.g. "Storing 768 more bytes"), with `extensions.reason`
 * STORAGE, `limit` and `used`.
 */
export function storageExceeded(what: string, use: StorageUse, limit: number): AppError {
  return new AppError(
    'QUOTA_EXCEEDED',
    `${what} would exceed the storage quota of ${limit} bytes (${describeUse(use)}); delete datasets, model versions or batch predictions first`,
    { reason: 'STORAGE', limit, used: use.total },
  );
}
