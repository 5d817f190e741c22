/** Training runs and their epoch metrics; every method takes the tenant. */
import type { Tx } from '../../lib/tenant-tx';
import type { EpochResult } from '../../ml/families/model-family';

export type RunStatusValue = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const TERMINAL: readonly RunStatusValue[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export interface NewRun {
  datasetId: string;
  modelName: string;
  targetColumn: string;
  featureColumns: string[];
  spec: object;
}

export class TrainingRunRepo {
  create(tx: Tx, tenantId: string, run: NewRun) {
    return tx.trainingRun.create({ data: { ...run, tenantId } });
  }

  find(tx: Tx, tenantId: string, id: string) {
    return tx.trainingRun.findFirst({ where: { id, tenantId } });
  }

  list(tx: Tx, tenantId: string, take: number, status?: RunStatusValue) {
    return tx.trainingRun.findMany({ where: { tenantId, ...(status ? { status } : {}) }, orderBy: { createdAt: 'desc' }, take });
  }

  metrics(tx: Tx, tenantId: string, runId: string) {
    return tx.epochMetric.findMany({ where: { tenantId, trainingRunId: runId }, orderBy: { epoch: 'asc' } });
  }

  /**
   * Moves a run from one of `from` to `data.status`; returns false when it was in another state
   * (compare-and-set). With `owner`, only while that worker holds the run's lease.
   */
  async transition(tx: Tx, tenantId: string, id: string, from: readonly RunStatusValue[], data: { status: RunStatusValue } & Record<string, unknown>, owner?: string) {
    const { count } = await tx.trainingRun.updateMany({
      where: { id, tenantId, status: { in: [...from] }, ...(owner ? { leaseOwner: owner } : {}) },
      data,
    });
    return count === 1;
  }

  /** Removes the epoch metrics of an earlier attempt (a retried run starts over). */
  clearEpochs(tx: Tx, tenantId: string, runId: string) {
    return tx.epochMetric.deleteMany({ where: { tenantId, trainingRunId: runId } });
  }

  addEpoch(tx: Tx, tenantId: string, runId: string, e: EpochResult) {
    return tx.epochMetric.create({
      data: {
        tenantId,
        trainingRunId: runId,
        epoch: e.epoch,
        loss: e.loss,
        accuracy: e.accuracy ?? null,
        valLoss: e.valLoss ?? null,
        valAccuracy: e.valAccuracy ?? null,
        elapsedMs: e.elapsedMs,
      },
    });
  }

  versionOf(tx: Tx, tenantId: string, runId: string) {
    return tx.modelVersion.findFirst({ where: { tenantId, trainingRunId: runId }, select: { id: true } });
  }
}
