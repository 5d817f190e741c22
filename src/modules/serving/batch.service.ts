/**
 * Batch predictions: every row of a stored dataset scored by one model version, as a job; progress
 * by subscription; the result CSV downloadable over HTTP by the same tenant. Executed by
 * src/jobs/batch-prediction.job.ts.
 */
import { pageWindow, type PageRequest } from '../common/keyset';
import { Repeater } from '@graphql-yoga/subscription';
import type { Db } from '../../lib/db';
import { AppError, notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import { hasScope, type Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { DatasetRepo } from '../datasets/dataset.repo';
import { Topics, type BatchProgressEvent } from '../events';
import { BatchStatus, isTerminal } from '../status';
import type { Queue } from '../tasks';
import { fairPriority, type QuotaService } from '../quotas/quota.service';
import { estimatedResultBytes, type BatchRepo } from './batch.repo';
import type { BatchPrediction } from './batch.type';
import { familyForFramework, requireSupport } from '../../ml/families/registry';
import type { VersionResolver, VersionSelector } from './version-resolver';
import type { CreatedFilter } from '../common/created-filter';

type Row = Omit<BatchPrediction, 'downloadPath'>;

const view = (r: Row): BatchPrediction => ({ ...r, downloadPath: r.status === BatchStatus.SUCCEEDED ? `/batch-predictions/${r.id}.csv` : null });

/**
 * Batch predictions of a tenant (`predict` scope). A predict-only key may score a stored dataset,
 * but reads back only row numbers and predictions (see {@link BatchPredictionService.result}).
 */
export class BatchPredictionService {
  constructor(
    private readonly prisma: Db,
    private readonly batches: BatchRepo,
    private readonly datasets: DatasetRepo,
    private readonly resolver: VersionResolver,
    private readonly queue: Queue,
    private readonly pubsub: PubSub,
    private readonly quotas: QuotaService,
  ) {}

  /**
   * Stores a QUEUED batch of the tenant's dataset for the version the selector names, and
   * enqueues it after commit. Needs the `predict` scope.
   * @throws AppError FORBIDDEN, NOT_FOUND (model, version, alias, dataset), MODEL_NOT_READY,
   *   NOT_SUPPORTED (a family without batch prediction, e.g. uploaded ONNX: before anything is stored),
   *   QUOTA_EXCEEDED (the tenant's QUEUED + RUNNING batches are at its maxConcurrentBatches, or the
   *   result, estimated, would pass its storage quota: `reason` STORAGE).
   */
  async start(actor: Actor, modelName: string, selector: VersionSelector, datasetId: string): Promise<BatchPrediction> {
    requireScope(actor, 'predict');
    const ref = await this.resolver.resolve(actor.tenantId, modelName, selector);
    const { activeBefore, ...row } = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const dataset = await this.datasets.find(tx, actor.tenantId, datasetId);
      if (!dataset) throw notFound('Dataset', datasetId);
      const framework = await this.batches.versionFramework(tx, actor.tenantId, ref.id);
      if (framework !== null) requireSupport(familyForFramework(framework), 'batchPredict');
      const activeBefore = await this.quotas.checkConcurrentBatches(tx, actor.tenantId);
      const expected = estimatedResultBytes({ sizeBytes: dataset.sizeBytes, rowCount: dataset.rowCount, columns: (dataset.columns as unknown[]).length });
      await this.quotas.checkStorageRoom(tx, actor.tenantId, `This batch's result (about ${expected} bytes)`, expected);
      return { ...(await this.batches.create(tx, actor.tenantId, { modelVersionId: ref.id, datasetId, rowCount: dataset.rowCount })), activeBefore };
    });
    await this.queue.enqueue('batch-prediction', { tenantId: actor.tenantId, batchId: row.id }, { priority: fairPriority(activeBefore) });
    return view(row);
  }

  /**
   * A page of the tenant's batches, newest first (`predict`).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(actor: Actor, args: PageRequest, filter: CreatedFilter & { status?: BatchStatus }, sizes: { default: number; max: number }) {
    requireScope(actor, 'predict');
    const window = pageWindow(args, sizes.default, sizes.max, 'batch-predictions');
    const page = await withTenant(this.prisma, actor.tenantId, (tx) => this.batches.page(tx, actor.tenantId, filter, window));
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: view(e.node) })) };
  }

  /** The tenant's batch. @throws AppError FORBIDDEN, NOT_FOUND (also for another tenant's id). */
  async get(actor: Actor, id: string): Promise<BatchPrediction> {
    requireScope(actor, 'predict');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => this.batches.find(tx, actor.tenantId, id));
    if (!row) throw notFound('Batch prediction', id);
    return view(row);
  }

  /** Batch predictions by id, in `ids` order, null for each unknown or another tenant's (`predict`): one statement. @throws AppError FORBIDDEN. */
  async getMany(actor: Actor, ids: readonly string[]): Promise<(BatchPrediction | null)[]> {
    requireScope(actor, 'predict');
    const rows = await withTenant(this.prisma, actor.tenantId, (tx) => this.batches.findMany(tx, actor.tenantId, ids));
    const byId = new Map(rows.map((r) => [r.id, view(r)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * The result CSV (`predict`). What it holds depends on the reader, not on who started the batch:
   * with `datasets:read` the dataset's columns as uploaded plus the predictions; without it only
   * `row` (the 1-based data row of the dataset, header excluded) and the predictions, since reading
   * stored rows needs `datasets:read`.
   * @throws AppError FORBIDDEN, NOT_FOUND (also while it is not finished).
   */
  async result(actor: Actor, id: string): Promise<Buffer> {
    requireScope(actor, 'predict');
    const full = hasScope(actor, 'datasets:read');
    const bytes = await withTenant(this.prisma, actor.tenantId, (tx) => this.batches.findResult(tx, actor.tenantId, id, full));
    if (!bytes) throw notFound('Batch prediction result', id);
    return Buffer.from(bytes);
  }

  /**
   * Deletes a finished batch with its result (`predict`), freeing its storage.
   * @throws AppError FORBIDDEN, NOT_FOUND (also another tenant's), INVALID_STATE while QUEUED or RUNNING.
   */
  async delete(actor: Actor, id: string): Promise<boolean> {
    requireScope(actor, 'predict');
    return withTenant(this.prisma, actor.tenantId, async (tx) => {
      if (await this.batches.deleteFinished(tx, actor.tenantId, id)) return true;
      const row = await this.batches.find(tx, actor.tenantId, id);
      if (!row) throw notFound('Batch prediction', id);
      throw new AppError('INVALID_STATE', `Batch prediction '${id}' is ${row.status}; delete it once it has finished`);
    });
  }

  /**
   * Progress events until the job ends; a finished job answers its final state at once.
   * @throws AppError FORBIDDEN, NOT_FOUND (before the stream starts).
   */
  async progress(actor: Actor, id: string): Promise<AsyncIterable<BatchProgressEvent>> {
    const live = this.pubsub.subscribe(Topics.batchProgress(id));
    let current: BatchPrediction;
    try {
      current = await this.get(actor, id);
    } catch (err) {
      await live.return();
      throw err;
    }
    return new Repeater<BatchProgressEvent>(async (push, stop) => {
      await push({ id, status: current.status, processedRows: current.processedRows, rowCount: current.rowCount, failureMessage: current.failureMessage });
      if (!isTerminal(current.status)) {
        const stopped = stop.then(() => ({ done: true as const, value: undefined }));
        for (;;) {
          const next = await Promise.race([live.next(), stopped]);
          if (next.done) break;
          await push(next.value);
          if (isTerminal(next.value.status)) break;
        }
      }
      stop();
      await live.return();
    });
  }
}
