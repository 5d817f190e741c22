/**
 * Runs an evaluation (evaluateModelVersion): the dataset's rows through the version's pipeline and
 * model in chunks (on a scoring thread when SERVING_ISOLATION=thread, as batch predictions), the
 * true values read from its target column as training read them, then the metrics of
 * src/ml/evaluation-report.ts stored on the evaluation in one statement. A dataset without the
 * version's columns fails with BAD_USER_INPUT naming them; an unreadable row with its row and
 * column (never the cell).
 */
import type { Db } from '../lib/db';
import { AppError, badInput } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { withTenant } from '../lib/tenant-tx';
import { movable } from '../lib/threads/task-result';
import { cellText } from '../ml/data/csv';
import type { CsvThreads } from '../ml/data/csv-tasks';
import type { ColumnProfile } from '../ml/data/profile';
import { storedCsvOptions } from '../ml/data/stored-format';
import { evaluationReport } from '../ml/evaluation-report';
import { missingColumns, readTargets } from '../ml/evaluation-targets';
import type { Prediction } from '../ml/predict';
import { loadPredictor } from '../ml/predictor';
import { RuntimeFaultError } from '../ml/serving/runtime-fault-error';
import type { ScoringThreads } from '../ml/serving/scoring-threads';
import { loadThreadPredictor } from '../ml/serving/thread-predictor';
import { Topics, type EvaluationProgressEvent } from '../modules/events';
import type { DatasetRepo } from '../modules/datasets/dataset.repo';
import type { EvaluationRepo } from '../modules/registry/evaluation.repo';
import { FailureCode, RunStatus } from '../modules/status';
import { TASKS, type TaskPayload } from '../modules/tasks';

/** Rows per scorer call. */
const CHUNK = 2000;

/** A prediction as the model output evaluate() takes: P(class 1), the class probabilities or the value. */
const outputOf = (p: Prediction, task: string): number[] => (task === 'regression' ? [p.value!] : task === 'binary' ? [p.probabilities![1]] : p.probabilities!);

/**
 * The `model-evaluation` task handler, acting as the evaluation's tenant. Idempotent: an evaluation
 * finished, or taken by a live worker, is left alone; one left RUNNING past the task's expiry (its
 * worker vanished and the queue retried the job) is taken again. An AppError FAILS it with its code; anything else with
 * INTERNAL_SERVER_ERROR (logged).
 */
export function modelEvaluationHandler(deps: {
  prisma: Db;
  evaluations: EvaluationRepo;
  datasets: DatasetRepo;
  pubsub: PubSub;
  threads: CsvThreads;
  scoring?: ScoringThreads;
  log: Logger;
}) {
  const { prisma, evaluations, datasets, pubsub, threads, scoring, log } = deps;
  return async ({ tenantId, evaluationId }: TaskPayload<'model-evaluation'>): Promise<void> => {
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(prisma, tenantId, fn);
    const publish = (e: EvaluationProgressEvent) => pubsub.publish(Topics.evaluationProgress(evaluationId), e);
    if (!(await tx((t) => evaluations.claim(t, tenantId, evaluationId, TASKS['model-evaluation'].expireInSeconds * 1000))))
      return log.info({ evaluationId }, 'evaluation already taken or finished; skipping');
    await publish({ id: evaluationId, status: RunStatus.RUNNING });
    const job = await tx((t) => evaluations.findForJob(t, tenantId, evaluationId));
    try {
      if (!job.dataset || job.dataset.archivedAt) throw new AppError('NOT_FOUND', 'The dataset was deleted before the evaluation ran');
      if (job.dataset.format === 'image') throw badInput(`Dataset '${job.dataset.name.slice(0, 100)}' holds images; evaluations read tabular datasets`);
      const version = job.modelVersion;
      const columns = job.dataset.columns as unknown as ColumnProfile[];
      const { bytes, transfer } = movable(job.dataset.content);
      const table = await threads.run('parseCsvTable', { bytes, options: storedCsvOptions({ ...job.dataset, columns }) }, transfer);
      const predictor = scoring ? await loadThreadPredictor(scoring, version.id, version, tenantId, 'batchPredict') : await loadPredictor(version, 'batchPredict');
      try {
        const { pipeline } = predictor;
        const task = pipeline.target.task;
        if (task !== 'binary' && task !== 'multiclass' && task !== 'regression')
          throw badInput(`Version ${version.version} predicts tensors (task '${task}'); evaluations need a classifier or a regression`);
        const missing = missingColumns(table, pipeline);
        if (missing.length > 0)
          throw badInput(
            `Dataset '${job.dataset.name.slice(0, 100)}' lacks the version's columns ${missing
              .slice(0, 20)
              .map((c) => `'${c.slice(0, 100)}'`)
              .join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}`,
            {
              missingColumns: missing.slice(0, 20),
            },
          );
        const targets = readTargets(table, pipeline);
        const read = pipeline.datasetColumns.map((c) => [c, table.columns.indexOf(c)] as const);
        const outputs: number[] = [];
        for (let start = 0; start < targets.rows.length; start += CHUNK) {
          const chunk = targets.rows.slice(start, start + CHUNK);
          const rows = chunk.map((i) => Object.fromEntries(read.map(([c, j]) => [c, cellText(table.data[j], i) || null])));
          let predictions: Prediction[];
          try {
            predictions = await predictor.predict(rows);
          } catch (err) {
            if (err instanceof AppError && !(err instanceof RuntimeFaultError) && typeof err.details?.row === 'number') {
              const row = chunk[err.details.row] + 1;
              // A value the pipeline cannot read names its column; anything else (a non-finite output) keeps its message, with the dataset's row (review 6).
              if (err.details.feature === undefined) throw new AppError(err.code, `Dataset row ${row}: ${err.message}`.slice(0, 1000), { ...err.details, row });
              throw new AppError(err.code, `Dataset row ${row}, column '${String(err.details.feature).slice(0, 100)}' cannot be read by the version's pipeline`, { row });
            }
            throw err;
          }
          for (const p of predictions) for (const v of outputOf(p, task)) outputs.push(v);
          await new Promise((resolve) => setImmediate(resolve)); // let other work in between chunks
        }
        const report = evaluationReport(task, Float32Array.from(outputs), targets.y, targets.rows.length, pipeline.target.classes ?? [], job.threshold);
        const datasetId = job.dataset.id;
        await tx(async (t) => {
          // A regressor's sample holds target cells (`actual`): kept only while the dataset is live,
          // checked under a share lock on its row, as batch results are (review F12; deleteDataset).
          const live = await datasets.lockLive(t, tenantId, datasetId);
          const sample = live ? report.testPredictions : report.testPredictions?.map((p) => ({ actual: null, predicted: p.predicted }));
          return evaluations.succeed(t, tenantId, evaluationId, { ...report, ...(sample ? { testPredictions: sample } : {}), skippedRows: targets.skipped });
        });
      } finally {
        predictor.dispose();
      }
      await publish({ id: evaluationId, status: RunStatus.SUCCEEDED });
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'The evaluation failed unexpectedly';
      if (!(err instanceof AppError)) log.error({ evaluationId, err: (err as Error).message }, 'evaluation crashed');
      const code = err instanceof RuntimeFaultError ? FailureCode.RUNTIME_FAULT : err instanceof AppError ? err.code : FailureCode.INTERNAL;
      await tx((t) => evaluations.fail(t, tenantId, evaluationId, code, message));
      await publish({ id: evaluationId, status: RunStatus.FAILED, failureCode: code, failureMessage: message });
    }
  };
}
