/**
 * Batch predictions: the only code that touches the BatchPrediction table. Every method takes the
 * tenant and folds it into its `where`.
 */
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import type { Tx } from '../../lib/tenant-tx';
import { BatchStatus, TERMINAL_STATUSES, type FailureCode } from '../status';
import { createdWhere, type CreatedFilter } from '../common/created-filter';

/** Bytes a result CSV adds per cell of the dataset over its stored size: the two quotes around it. */
export const QUOTE_BYTES_PER_CELL = 2;
/**
 * Bytes both result CSVs take per row for the predictions, at most in practice: the row number and
 * one value (or a label and a probability such as `"tested_negative",0.8123456789012345`), twice.
 * Only the estimate checked when a batch is started: the job checks the result's real size against
 * the quota as it builds it, and again before storing it (src/jobs/batch-result-budget.ts).
 */
export const PREDICTION_BYTES_PER_ROW = 128;

/**
 * What a batch of a dataset will store, bytes (an estimate for the storage quota): the copy of the
 * dataset's cells, quoted, and both CSVs' predictions.
 */
export function estimatedResultBytes(dataset: { sizeBytes: number; rowCount: number; columns: number }): number {
  return dataset.sizeBytes + dataset.rowCount * (QUOTE_BYTES_PER_CELL * dataset.columns + PREDICTION_BYTES_PER_ROW);
}

/** Everything but the result bytes, for the API. */
const summary = {
  id: true,
  status: true,
  modelVersionId: true,
  datasetId: true,
  rowCount: true,
  processedRows: true,
  failureCode: true,
  failureMessage: true,
  createdAt: true,
  finishedAt: true,
} as const;

/** BatchPrediction rows. */
export class BatchRepo {
  /** A new QUEUED batch of `rowCount` rows. */
  create(tx: Tx, tenantId: string, b: { modelVersionId: string; datasetId: string; rowCount: number }) {
    return tx.batchPrediction.create({ data: { ...b, tenantId }, select: summary });
  }

  /** The stored framework of one of the tenant's versions (which family would score the batch), or null. */
  async versionFramework(tx: Tx, tenantId: string, modelVersionId: string): Promise<string | null> {
    const v = await tx.modelVersion.findFirst({ where: { id: modelVersionId, tenantId }, select: { framework: true } });
    return v?.framework ?? null;
  }

  /** One keyset page of the tenant's batches (newest first), without results, optionally in one status. */
  page(tx: Tx, tenantId: string, filter: CreatedFilter & { status?: BatchStatus }, window: PageWindow) {
    const where = {
      tenantId,
      ...(filter.status ? { status: filter.status } : {}),
      ...createdWhere(filter),
    };
    const table = {
      findMany: (args: { where: object; orderBy: object[]; take: number }) => tx.batchPrediction.findMany({ ...args, select: summary }),
      count: (args: { where: object; take?: number }) => tx.batchPrediction.count(args),
    };
    return readPage(table as unknown as PageableTable<NonNullable<Awaited<ReturnType<BatchRepo['find']>>>>, where, window);
  }

  /** The tenant's QUEUED + RUNNING batches. */
  countActive(tx: Tx, tenantId: string) {
    return tx.batchPrediction.count({ where: { tenantId, status: { in: [BatchStatus.QUEUED, BatchStatus.RUNNING] } } });
  }

  /** Bytes of the tenant's stored batch results (both CSVs), for the storage quota (review F12). */
  async resultBytes(tx: Tx, tenantId: string): Promise<number> {
    const [row] = await tx.$queryRaw<{ bytes: bigint | null }[]>`
      SELECT sum(coalesce(octet_length(result), 0) + coalesce(octet_length("predictionsOnly"), 0))::bigint AS bytes
        FROM "BatchPrediction" WHERE "tenantId" = ${tenantId}`;
    return Number(row?.bytes ?? 0);
  }

  /**
   * What the tenant's QUEUED and RUNNING batches will store, estimated from their datasets as
   * {@link estimatedResultBytes} does, so batches started together cannot all pass the quota.
   * @param exceptId a batch left out (the one whose real result is being checked).
   */
  async pendingResultBytes(tx: Tx, tenantId: string, exceptId = ''): Promise<number> {
    const [row] = await tx.$queryRaw<{ bytes: bigint | null }[]>`
      SELECT sum(d."sizeBytes" + b."rowCount"::bigint * (${QUOTE_BYTES_PER_CELL}::bigint * jsonb_array_length(d.columns) + ${PREDICTION_BYTES_PER_ROW}::bigint))::bigint AS bytes
        FROM "BatchPrediction" b JOIN "Dataset" d ON d.id = b."datasetId"
       WHERE b."tenantId" = ${tenantId} AND b.status IN ('QUEUED', 'RUNNING') AND b.id <> ${exceptId}`;
    return Number(row?.bytes ?? 0);
  }

  /** One of the tenant's batches without its result, or null. */
  find(tx: Tx, tenantId: string, id: string) {
    return tx.batchPrediction.findFirst({ where: { id, tenantId }, select: summary });
  }

  /** The tenant's batch predictions among `ids` (any order; unknown and other tenants' ids absent). */
  findMany(tx: Tx, tenantId: string, ids: readonly string[]) {
    return tx.batchPrediction.findMany({ where: { tenantId, id: { in: [...ids] } }, select: summary });
  }

  /**
   * A result CSV of a SUCCEEDED batch (null otherwise): with the dataset's cells (`full`) or only row
   * numbers and predictions — also for `full` once the dataset was deleted or archived, which
   * removed the cells ({@link removeDatasetCells}).
   */
  async findResult(tx: Tx, tenantId: string, id: string, full: boolean): Promise<Uint8Array | null> {
    const where = { id, tenantId, status: BatchStatus.SUCCEEDED };
    if (full) {
      // One blob read in the usual case; the second only for a result whose cells were removed.
      const row = await tx.batchPrediction.findFirst({ where, select: { result: true } });
      if (!row) return null;
      if (row.result) return row.result;
    }
    const row = await tx.batchPrediction.findFirst({ where, select: { predictionsOnly: true } });
    return row?.predictionsOnly ?? null;
  }

  /** The batch with its dataset (bytes included) and model version (artifact included), for the job. */
  findForJob(tx: Tx, tenantId: string, id: string) {
    return tx.batchPrediction.findFirstOrThrow({ where: { id, tenantId }, include: { dataset: true, modelVersion: true } });
  }

  /** QUEUED -> RUNNING (compare-and-set). @returns false when already taken or finished. */
  async claim(tx: Tx, tenantId: string, id: string): Promise<boolean> {
    const { count } = await tx.batchPrediction.updateMany({
      where: { id, tenantId, status: BatchStatus.QUEUED },
      data: { status: BatchStatus.RUNNING, startedAt: new Date() },
    });
    return count > 0;
  }

  /** Records how many rows are scored so far. */
  setProgress(tx: Tx, tenantId: string, id: string, processedRows: number) {
    return tx.batchPrediction.updateMany({ where: { id, tenantId }, data: { processedRows } });
  }

  /**
   * Stores the result CSVs and marks the batch SUCCEEDED: predictions only, and the copy with the
   * dataset's cells (`full`) when given — null once the dataset is deleted or archived (the caller
   * checks that under a lock on the dataset: DatasetRepo.lockLive).
   */
  succeed(tx: Tx, tenantId: string, id: string, result: { full: Buffer | null; predictionsOnly: Buffer }, rowCount: number) {
    return tx.batchPrediction.updateMany({
      where: { id, tenantId },
      data: {
        status: BatchStatus.SUCCEEDED,
        result: result.full ? new Uint8Array(result.full) : null,
        predictionsOnly: new Uint8Array(result.predictionsOnly),
        rowCount,
        processedRows: rowCount,
        finishedAt: new Date(),
      },
    });
  }

  /**
   * Removes the dataset's cells from the tenant's batch results built from it (review F12): each
   * keeps its row numbers and predictions (`predictionsOnly`, which every reader then downloads);
   * a batch finished before those were stored, which has nothing without cells, is deleted.
   * Called when the dataset is deleted or archived, in that transaction, before the row goes.
   * @returns how many results lost their cells, and how many batches were deleted.
   */
  async removeDatasetCells(tx: Tx, tenantId: string, datasetId: string): Promise<{ stripped: number; deleted: number }> {
    const gone = await tx.batchPrediction.deleteMany({ where: { tenantId, datasetId, result: { not: null }, predictionsOnly: null } });
    const kept = await tx.batchPrediction.updateMany({ where: { tenantId, datasetId, result: { not: null } }, data: { result: null } });
    return { stripped: kept.count, deleted: gone.count };
  }

  /** Deletes one of the tenant's batches if it has finished (SUCCEEDED, FAILED or CANCELLED). @returns whether it was deleted. */
  async deleteFinished(tx: Tx, tenantId: string, id: string): Promise<boolean> {
    const { count } = await tx.batchPrediction.deleteMany({ where: { id, tenantId, status: { in: [...TERMINAL_STATUSES] } } });
    return count > 0;
  }

  /** Marks the batch FAILED with a code and a message. */
  fail(tx: Tx, tenantId: string, id: string, failureCode: FailureCode, failureMessage: string) {
    return tx.batchPrediction.updateMany({
      where: { id, tenantId },
      data: { status: BatchStatus.FAILED, failureCode, failureMessage, finishedAt: new Date() },
    });
  }
}
