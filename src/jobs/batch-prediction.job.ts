/**
 * Runs a batch prediction: the dataset's rows (as uploaded, with its missing codes) through the
 * version's pipeline and model in chunks, publishing progress after each chunk, then stores a CSV
 * of the dataset's columns plus the prediction columns. A row the pipeline cannot read fails the
 * whole job with that row named (nothing is stored).
 */
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../lib/db';
import type { PubSub } from '../lib/pubsub';
import { AppError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import { LARGE_WRITE, withTenant } from '../lib/tenant-tx';
import { cellText } from '../ml/data/csv';
import { movable } from '../lib/threads/task-result';
import type { CsvThreads } from '../ml/data/csv-tasks';
import { declaredMissing, type ColumnProfile } from '../ml/data/profile';
import { loadPredictor } from '../ml/predictor';
import { Topics, type BatchProgressEvent } from '../modules/events';
import type { BatchRepo } from '../modules/serving/batch.repo';
import { BatchStatus, FailureCode } from '../modules/status';
import type { TaskPayload } from '../modules/tasks';

/** Rows per chunk: one progress event and one scorer call each. */
const CHUNK = 2000;

/**
 * The `batch-prediction` task handler, acting as the batch's tenant. Idempotent: a batch already
 * taken or finished is left alone. An AppError (a row the pipeline cannot read, a deleted dataset
 * or version) FAILS the batch with its code; anything else with INTERNAL_SERVER_ERROR.
 */
export function batchPredictionHandler(deps: { prisma: Db; batches: BatchRepo; pubsub: PubSub; threads: CsvThreads; log: Logger }) {
  const { prisma, batches, pubsub, threads, log } = deps;
  return async ({ tenantId, batchId }: TaskPayload<'batch-prediction'>): Promise<void> => {
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(prisma, tenantId, fn);
    const publish = (e: BatchProgressEvent) => pubsub.publish(Topics.batchProgress(batchId), e);
    if (!(await tx((t) => batches.claim(t, tenantId, batchId)))) return log.info({ batchId }, 'batch prediction already taken or finished; skipping');
    const job = await tx((t) => batches.findForJob(t, tenantId, batchId));
    try {
      if (!job.dataset || !job.modelVersion) throw new AppError('NOT_FOUND', 'The dataset or the model version was deleted before the job ran');
      const columns = job.dataset.columns as unknown as ColumnProfile[];
      const { bytes, transfer } = movable(job.dataset.content); // moved to the thread: not needed here again
      const options = { hasHeader: job.dataset.hasHeader, delimiter: job.dataset.delimiter, missing: declaredMissing(columns) };
      const table = await threads.run('parseCsvTable', { bytes, options }, transfer);
      const predictor = await loadPredictor(job.modelVersion, 'batchPredict');
      const task = predictor.pipeline.target.task;
      const header = [...table.columns, ...(task === 'regression' ? ['predicted_value'] : ['predicted_label', 'predicted_probability'])];
      const out: unknown[][] = [];
      try {
        for (let start = 0; start < table.rowCount; start += CHUNK) {
          const end = Math.min(start + CHUNK, table.rowCount);
          const rows: Record<string, string | null>[] = [];
          const cells: string[][] = [];
          for (let i = start; i < end; i++) {
            const texts = table.data.map((c) => cellText(c, i));
            cells.push(texts);
            rows.push(Object.fromEntries(table.columns.map((name, j) => [name, texts[j] === '' ? null : texts[j]])));
          }
          let predictions;
          try {
            predictions = predictor.predict(rows);
          } catch (err) {
            if (err instanceof AppError) throw new AppError(err.code, `In dataset rows ${start + 1}-${end}: ${err.message}`);
            throw err;
          }
          predictions.forEach((p, k) => out.push([...cells[k], ...(task === 'regression' ? [p.value] : [p.label, p.probability])]));
          await tx((t) => batches.setProgress(t, tenantId, batchId, end));
          await publish({ id: batchId, status: BatchStatus.RUNNING, processedRows: end, rowCount: table.rowCount });
          await new Promise((resolve) => setImmediate(resolve)); // let requests in between chunks
        }
      } finally {
        predictor.dispose();
      }
      const csv = Buffer.from(stringify([header, ...out]));
      await withTenant(prisma, tenantId, (t) => batches.succeed(t, tenantId, batchId, csv, table.rowCount), LARGE_WRITE);
      await publish({ id: batchId, status: BatchStatus.SUCCEEDED, processedRows: table.rowCount, rowCount: table.rowCount });
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'Batch prediction failed unexpectedly';
      if (err instanceof AppError && err.code === 'NON_FINITE_OUTPUT') log.warn({ batchId, modelVersionId: job.modelVersion?.id, message }, 'model output not finite');
      if (!(err instanceof AppError)) log.error({ batchId, err: (err as Error).message }, 'batch prediction crashed');
      await tx((t) => batches.fail(t, tenantId, batchId, err instanceof AppError ? err.code : FailureCode.INTERNAL, message));
      await publish({ id: batchId, status: BatchStatus.FAILED, processedRows: job.processedRows, rowCount: job.rowCount, failureMessage: message });
    }
  };
}
