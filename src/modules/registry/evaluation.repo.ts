/**
 * Evaluations of model versions on other datasets (evaluateModelVersion): the only code that
 * touches the ModelEvaluation table. Every method takes the tenant and folds it into its `where`.
 */
import type { Prisma } from '../../generated/prisma/client';
import type { Tx } from '../../lib/tenant-tx';
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import { RunStatus, type FailureCode } from '../status';

/** Columns an evaluation shows (everything: it holds no large value). */
const evaluationView = {
  id: true,
  modelVersionId: true,
  datasetId: true,
  threshold: true,
  status: true,
  metrics: true,
  failureCode: true,
  failureMessage: true,
  startedByKind: true,
  startedById: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

/** ModelEvaluation rows. */
export class EvaluationRepo {
  /** Stores a QUEUED evaluation. */
  create(tx: Tx, tenantId: string, e: { modelVersionId: string; datasetId: string; threshold: number; startedByKind: string; startedById: string }) {
    return tx.modelEvaluation.create({ data: { tenantId, ...e }, select: evaluationView });
  }

  /** One of the tenant's evaluations, or null. */
  find(tx: Tx, tenantId: string, id: string) {
    return tx.modelEvaluation.findFirst({ where: { id, tenantId }, select: evaluationView });
  }

  /** The tenant's evaluations among `ids` (any order; unknown and other tenants' ids absent). */
  findMany(tx: Tx, tenantId: string, ids: readonly string[]) {
    return tx.modelEvaluation.findMany({ where: { tenantId, id: { in: [...ids] } }, select: evaluationView });
  }

  /** The evaluations of a version, newest first. */
  listOfVersion(tx: Tx, tenantId: string, modelVersionId: string) {
    return tx.modelEvaluation.findMany({ where: { tenantId, modelVersionId }, select: evaluationView, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  /** One keyset page (newest first) of a version's evaluations, optionally of one status: three statements at most. */
  pageOfVersion(tx: Tx, tenantId: string, modelVersionId: string, window: PageWindow, status?: RunStatus) {
    const table: PageableTable<Awaited<ReturnType<EvaluationRepo['listOfVersion']>>[number]> = {
      findMany: (args) => tx.modelEvaluation.findMany({ ...args, select: evaluationView }),
      count: (args) => tx.modelEvaluation.count(args),
    };
    return readPage(table, { tenantId, modelVersionId, ...(status ? { status } : {}) }, window);
  }

  /** The evaluation with the whole version row and dataset (bytes included), as the job reads them. */
  findForJob(tx: Tx, tenantId: string, id: string) {
    return tx.modelEvaluation.findFirstOrThrow({ where: { id, tenantId }, include: { dataset: true, modelVersion: true } });
  }

  /**
   * QUEUED -> RUNNING (compare-and-set); also takes one RUNNING for longer than `staleMs` (its worker
   * vanished: the queue hands a job to another worker only after its expiry).
   * @returns false when taken by a live worker or finished.
   */
  async claim(tx: Tx, tenantId: string, id: string, staleMs: number): Promise<boolean> {
    const { count } = await tx.modelEvaluation.updateMany({
      where: { id, tenantId, OR: [{ status: RunStatus.QUEUED }, { status: RunStatus.RUNNING, startedAt: { lt: new Date(Date.now() - staleMs) } }] },
      data: { status: RunStatus.RUNNING, startedAt: new Date() },
    });
    return count > 0;
  }

  /** RUNNING -> SUCCEEDED with its metrics. */
  succeed(tx: Tx, tenantId: string, id: string, metrics: object) {
    return tx.modelEvaluation.updateMany({ where: { id, tenantId }, data: { status: RunStatus.SUCCEEDED, metrics: metrics as Prisma.InputJsonValue, finishedAt: new Date() } });
  }

  /**
   * Removes the dataset's cells from the tenant's evaluations of it (review F12): each regression
   * sample keeps its predictions, its `actual` values (target cells) set to null. Called when the
   * dataset is deleted or archived, in that transaction, before the row goes.
   * @returns how many evaluations changed.
   */
  removeDatasetCells(tx: Tx, tenantId: string, datasetId: string): Promise<number> {
    return tx.$executeRaw`
      UPDATE "ModelEvaluation" SET metrics = jsonb_set(metrics, '{testPredictions}', (
        SELECT coalesce(jsonb_agg(jsonb_build_object('actual', NULL, 'predicted', e.p -> 'predicted') ORDER BY e.n), '[]'::jsonb)
          FROM jsonb_array_elements(metrics -> 'testPredictions') WITH ORDINALITY AS e(p, n)))
       WHERE "tenantId" = ${tenantId} AND "datasetId" = ${datasetId} AND jsonb_typeof(metrics -> 'testPredictions') = 'array'`;
  }

  /** -> FAILED with a code and a message. */
  fail(tx: Tx, tenantId: string, id: string, failureCode: FailureCode, failureMessage: string) {
    return tx.modelEvaluation.updateMany({ where: { id, tenantId }, data: { status: RunStatus.FAILED, failureCode, failureMessage, finishedAt: new Date() } });
  }
}
