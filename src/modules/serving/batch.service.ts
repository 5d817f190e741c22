/**
 * Batch predictions: every row of a stored dataset scored by one model version, as a job; progress
 * by subscription; the result CSV downloadable over HTTP by the same tenant.
 */
import { Repeater } from '@graphql-yoga/subscription';
import type { JobQueue } from '../../jobs/queue';
import type { Db } from '../../lib/db';
import { notFound } from '../../lib/errors';
import type { PubSub } from '../../lib/pubsub';
import { withTenant } from '../../lib/tenant-tx';
import type { Actor } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { BatchPrediction, BatchPredictionProgress } from './batch.type';
import type { VersionResolver, VersionSelector } from './version-resolver';

export const batchTopic = (id: string) => `batch-prediction:${id}`;
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

type Row = Omit<BatchPrediction, 'downloadPath' | 'status'> & { status: string };

const view = (r: Row): BatchPrediction =>
  ({ ...r, downloadPath: r.status === 'SUCCEEDED' ? `/batch-predictions/${r.id}.csv` : null }) as BatchPrediction;

const summary = {
  id: true, status: true, modelVersionId: true, datasetId: true, rowCount: true, processedRows: true,
  failureCode: true, failureMessage: true, createdAt: true, finishedAt: true,
} as const;

export class BatchPredictionService {
  constructor(
    private readonly prisma: Db,
    private readonly resolver: VersionResolver,
    private readonly queue: JobQueue,
    private readonly pubsub: PubSub,
  ) {}

  /** @throws AppError NOT_FOUND (model, version, alias, dataset), MODEL_NOT_READY. */
  async start(actor: Actor, modelName: string, selector: VersionSelector, datasetId: string): Promise<BatchPrediction> {
    requireScope(actor, 'predict');
    const ref = await this.resolver.resolve(actor.tenantId, modelName, selector);
    const row = await withTenant(this.prisma, actor.tenantId, async (tx) => {
      const dataset = await tx.dataset.findFirst({ where: { id: datasetId, tenantId: actor.tenantId }, select: { id: true, rowCount: true } });
      if (!dataset) throw notFound('Dataset', datasetId);
      return tx.batchPrediction.create({
        data: { tenantId: actor.tenantId, modelVersionId: ref.id, datasetId, rowCount: dataset.rowCount },
        select: summary,
      });
    });
    await this.queue.enqueue('batch-prediction', { tenantId: actor.tenantId, batchId: row.id });
    return view(row);
  }

  /** @throws AppError NOT_FOUND. */
  async get(actor: Actor, id: string): Promise<BatchPrediction> {
    requireScope(actor, 'predict');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) => tx.batchPrediction.findFirst({ where: { id, tenantId: actor.tenantId }, select: summary }));
    if (!row) throw notFound('Batch prediction', id);
    return view(row);
  }

  /** The result CSV. @throws AppError NOT_FOUND (also while it is not finished). */
  async result(actor: Actor, id: string): Promise<Buffer> {
    requireScope(actor, 'predict');
    const row = await withTenant(this.prisma, actor.tenantId, (tx) =>
      tx.batchPrediction.findFirst({ where: { id, tenantId: actor.tenantId, status: 'SUCCEEDED' }, select: { result: true } }),
    );
    if (!row?.result) throw notFound('Batch prediction result', id);
    return Buffer.from(row.result);
  }

  /** Progress events until the job ends; a finished job answers its final state at once. */
  async progress(actor: Actor, id: string): Promise<AsyncIterable<BatchPredictionProgress>> {
    const live = this.pubsub.subscribe<BatchPredictionProgress>(batchTopic(id));
    let current: BatchPrediction;
    try {
      current = await this.get(actor, id);
    } catch (err) {
      await live.return();
      throw err;
    }
    return new Repeater<BatchPredictionProgress>(async (push, stop) => {
      await push({ id, status: current.status, processedRows: current.processedRows, rowCount: current.rowCount, failureMessage: current.failureMessage });
      if (!TERMINAL.includes(current.status)) {
        const stopped = stop.then(() => ({ done: true as const, value: undefined }));
        for (;;) {
          const next = await Promise.race([live.next(), stopped]);
          if (next.done) break;
          await push(next.value);
          if (TERMINAL.includes(next.value.status)) break;
        }
      }
      stop();
      await live.return();
    });
  }
}
