/**
 * Runs a batch prediction: the dataset's rows (as uploaded, with its missing codes) through the
 * version's pipeline and model in chunks, publishing progress after each chunk, then stores two
 * CSVs (escaped against formula injection, src/ml/data/csv-export.ts): the dataset's columns with
 * every cell as written in the file (ids above 2^53 keep their digits) plus the prediction
 * columns, for readers with `datasets:read`; and `row` plus the prediction columns for the others.
 * A row the pipeline cannot read fails the whole job with that row and column named, never the
 * cell's value (a predict-only key reads the failure message). Scored on a scoring thread
 * (SERVING_ISOLATION=thread): a version that crashes its runtime fails this batch only, with
 * RUNTIME_FAULT and the reason (src/ml/serving/scoring-threads.ts). The result's real size counts
 * against the tenant's storage quota as it is built and when it is stored
 * (./batch-result-budget.ts): one that does not fit FAILS the batch with QUOTA_EXCEEDED, nothing stored.
 */
import type { Db } from '../lib/db';
import type { PubSub } from '../lib/pubsub';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { LARGE_WRITE, withTenant } from '../lib/tenant-tx';
import { cellText, type ColumnData } from '../ml/data/csv';
import { toSafeCsv, type ExportCell } from '../ml/data/csv-export';
import { movable } from '../lib/threads/task-result';
import type { CsvThreads } from '../ml/data/csv-tasks';
import type { ColumnProfile } from '../ml/data/profile';
import { storedCsvOptions } from '../ml/data/stored-format';
import { loadPredictor } from '../ml/predictor';
import { batchImages } from './batch-images';
import { RuntimeFaultError } from '../ml/serving/runtime-fault-error';
import type { ScoringThreads } from '../ml/serving/scoring-threads';
import { isShuttingDown } from '../ml/serving/shutting-down';
import { loadThreadPredictor } from '../ml/serving/thread-predictor';
import { Topics, type BatchProgressEvent } from '../modules/events';
import type { DatasetRepo } from '../modules/datasets/dataset.repo';
import type { QuotaService } from '../modules/quotas/quota.service';
import { storageExceeded } from '../modules/quotas/storage';
import type { BatchRepo } from '../modules/serving/batch.repo';
import { BatchStatus, FailureCode } from '../modules/status';
import type { TaskPayload } from '../modules/tasks';
import { cellBytesAtLeast, ResultBudget } from './batch-result-budget';

/** Rows per chunk: one progress event and one scorer call each. */
const CHUNK = 2000;

/** What went wrong reading a row, in words that never quote the cell (read-rows.ts messages). */
const REASONS: [RegExp, string][] = [
  [/must be a number or a string/, 'the value is neither a number nor a string'],
  [/must be a number/, 'the value is not a number'],
  [/ISO 8601/, 'the value is not an ISO 8601 date'],
  [/is missing feature/, 'the dataset has no such column'],
  [/unknown feature/, 'the version was not trained with this column'],
  [/beyond the float32 range/, 'the value lies beyond the float32 range (±3.4e38) models compute in, once preprocessed'],
];

/**
 * A row-reading error of the chunk starting at `start`, restated without the cell's value: the
 * dataset row (1-based, header excluded) and the column. Other errors pass unchanged.
 */
function rowError(err: AppError, start: number, end: number): AppError {
  const { row, feature } = err.details ?? {};
  if (typeof row !== 'number' || typeof feature !== 'string') return new AppError(err.code, `In dataset rows ${start + 1}-${end}: ${err.message}`);
  const reason = REASONS.find(([re]) => re.test(err.message))?.[1] ?? 'the value cannot be read';
  return new AppError(err.code, `Dataset row ${start + row + 1}, column '${feature.slice(0, 100)}': ${reason} (read the dataset with the DATASETS_READ scope to see it)`, {
    row: start + row + 1,
    feature,
  });
}

/** A cell as the file writes it (null when empty). */
function written(column: ColumnData, row: number): string | null {
  if (column.kind !== 'string') throw new Error('the table was parsed without keepText'); // a bug
  const code = column.codes[row];
  return code < 0 ? null : column.dictionary[code];
}

/**
 * The `batch-prediction` task handler, acting as the batch's tenant. Idempotent: a batch already
 * taken or finished is left alone. An AppError (a row the pipeline cannot read, a deleted dataset
 * or version) FAILS the batch with its code; anything else with INTERNAL_SERVER_ERROR.
 */
export function batchPredictionHandler(deps: {
  prisma: Db;
  batches: BatchRepo;
  datasets: DatasetRepo;
  pubsub: PubSub;
  threads: CsvThreads;
  scoring?: ScoringThreads;
  quotas: Pick<QuotaService, 'batchResultRoom' | 'checkBatchResult'>;
  log: Logger;
}) {
  const { prisma, batches, datasets, pubsub, threads, scoring, quotas, log } = deps;
  return async ({ tenantId, batchId }: TaskPayload<'batch-prediction'>): Promise<void> => {
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(prisma, tenantId, fn);
    const publish = (e: BatchProgressEvent) => pubsub.publish(Topics.batchProgress(batchId), e);
    if (!(await tx((t) => batches.claim(t, tenantId, batchId)))) return log.info({ batchId }, 'batch prediction already taken or finished; skipping');
    const job = await tx((t) => batches.findForJob(t, tenantId, batchId));
    /**
     * Stores the result: the copy with the dataset's cells only while the dataset is live, checked
     * under a share lock on its row (review F12): a deleteDataset that committed while the batch ran
     * leaves only the row numbers and predictions; one that comes after waits, then removes the copy.
     * What is stored is checked against the storage quota first, under the quota lock.
     * @throws AppError QUOTA_EXCEEDED when it does not fit.
     */
    const succeed = (datasetId: string, result: { full: Buffer; predictionsOnly: Buffer }, rows: number) =>
      withTenant(
        prisma,
        tenantId,
        async (t) => {
          const live = await datasets.lockLive(t, tenantId, datasetId);
          const full = live ? result.full.length : 0;
          const only = result.predictionsOnly.length;
          const what = `Storing this batch's result (${full + only} bytes: ${full} with the dataset's cells, ${only} of predictions only)`;
          await quotas.checkBatchResult(t, tenantId, batchId, what, full + only);
          return batches.succeed(t, tenantId, batchId, { full: live ? result.full : null, predictionsOnly: result.predictionsOnly }, rows);
        },
        LARGE_WRITE,
      );
    // Rows stored as progress so far: the FAILED event says the same as the stored row (review 5).
    let processed = job.processedRows;
    try {
      if (!job.dataset || job.dataset.archivedAt || !job.modelVersion) throw new AppError('NOT_FOUND', 'The dataset or the model version was deleted before the job ran');
      const { room, use, limit } = await tx((t) => quotas.batchResultRoom(t, tenantId, batchId));
      const budget = new ResultBudget(room, (what) => storageExceeded(what, use, limit));
      if (job.dataset.format === 'image') {
        const result = await batchImages(
          job.dataset.content,
          job.modelVersion,
          async (end, total) => {
            await tx((t) => batches.setProgress(t, tenantId, batchId, end));
            processed = end;
            await publish({ id: batchId, status: BatchStatus.RUNNING, processedRows: end, rowCount: total });
          },
          scoring,
          budget,
        );
        await succeed(job.dataset.id, result, result.rows);
        await publish({ id: batchId, status: BatchStatus.SUCCEEDED, processedRows: result.rows, rowCount: result.rows });
        return;
      }
      const columns = job.dataset.columns as unknown as ColumnProfile[];
      const { bytes, transfer } = movable(job.dataset.content); // moved to the thread: not needed here again
      const options = { ...storedCsvOptions({ ...job.dataset, columns }), keepText: true };
      const table = await threads.run('parseCsvTable', { bytes, options }, transfer);
      // On a scoring thread (SERVING_ISOLATION=thread): a version that crashes its runtime fails this batch only.
      const predictor = scoring
        ? await loadThreadPredictor(scoring, job.modelVersion.id, job.modelVersion, tenantId, 'batchPredict')
        : await loadPredictor(job.modelVersion, 'batchPredict');
      const task = predictor.pipeline.target.task;
      const predicted = task === 'regression' ? ['predicted_value'] : ['predicted_label', 'predicted_probability'];
      const text = table.text!;
      // Only the columns the version knows: an id or note column of the dataset is carried to the output, not read.
      const known = new Set([...predictor.pipeline.datasetColumns, predictor.pipeline.target.name]);
      const read = table.columns.flatMap((name, j) => (known.has(name) ? [j] : []));
      // Written chunk by chunk (rows are independent in CSV), so no single step holds the event loop long.
      const full: string[] = [toSafeCsv([[...table.columns, ...predicted]])];
      const only: string[] = [toSafeCsv([['row', ...predicted]])];
      budget.add(full[0]!, only[0]!, 0, table.rowCount);
      try {
        for (let start = 0; start < table.rowCount; start += CHUNK) {
          const end = Math.min(start + CHUNK, table.rowCount);
          const rows: Record<string, string | null>[] = [];
          for (let i = start; i < end; i++) {
            const row: Record<string, string | null> = {};
            for (const j of read) row[table.columns[j]] = cellText(table.data[j], i) || null;
            rows.push(row);
          }
          let predictions;
          try {
            predictions = await predictor.predict(rows);
          } catch (err) {
            // A runtime fault or a shutdown is no fault of these rows: passed on as it is.
            if (err instanceof AppError && !(err instanceof RuntimeFaultError) && !isShuttingDown(err)) throw rowError(err, start, end);
            throw err;
          }
          const fullRows: ExportCell[][] = [];
          const onlyRows: ExportCell[][] = [];
          let atLeast = 0;
          predictions.forEach((p, k) => {
            const values: ExportCell[] = task === 'regression' ? [p.value ?? null] : [p.label ?? null, p.probability ?? null];
            fullRows.push([...text.map((c) => written(c, start + k)), ...values]);
            onlyRows.push([start + k + 1, ...values]);
            atLeast += cellBytesAtLeast(fullRows[k]!) + cellBytesAtLeast(onlyRows[k]!);
          });
          // Refused before the chunk's text is built when even its cells cannot fit; then counted exactly.
          budget.expect(atLeast, end, table.rowCount);
          const fullText = toSafeCsv(fullRows);
          const onlyText = toSafeCsv(onlyRows);
          budget.add(fullText, onlyText, end, table.rowCount);
          full.push(fullText);
          only.push(onlyText);
          await tx((t) => batches.setProgress(t, tenantId, batchId, end));
          processed = end;
          await publish({ id: batchId, status: BatchStatus.RUNNING, processedRows: end, rowCount: table.rowCount });
          await new Promise((resolve) => setImmediate(resolve)); // let requests in between chunks
        }
      } finally {
        predictor.dispose();
      }
      const result = { full: Buffer.from(full.join('')), predictionsOnly: Buffer.from(only.join('')) };
      await succeed(job.dataset.id, result, table.rowCount);
      await publish({ id: batchId, status: BatchStatus.SUCCEEDED, processedRows: table.rowCount, rowCount: table.rowCount });
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'Batch prediction failed unexpectedly';
      if (err instanceof AppError && err.code === 'NON_FINITE_OUTPUT') log.warn({ batchId, modelVersionId: job.modelVersion?.id, message }, 'model output not finite');
      if (!(err instanceof AppError)) log.error({ batchId, err: (err as Error).message }, 'batch prediction crashed');
      if (err instanceof RuntimeFaultError)
        log.error({ batchId, modelVersionId: err.versionId, reason: err.reason }, 'the model version crashed its scoring runtime; this batch failed');
      const code = err instanceof RuntimeFaultError ? FailureCode.RUNTIME_FAULT : err instanceof AppError ? err.code : FailureCode.INTERNAL;
      await tx((t) => batches.fail(t, tenantId, batchId, code, message));
      await publish({ id: batchId, status: BatchStatus.FAILED, processedRows: processed, rowCount: job.rowCount, failureMessage: message });
    }
  };
}
