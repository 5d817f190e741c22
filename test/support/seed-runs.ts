/** Training runs and epochs written straight to the database (no training), for list and paging tests. */
import type { App } from '../../src/app';

export interface SeedRun {
  modelName: string;
  status?: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  createdAt: Date;
  /** Epoch losses (1-based epochs); none by default. */
  losses?: number[];
}

/** Inserts `runs` of `tenantId` on `datasetId` with their epochs; returns their ids in the given order. */
export async function seedRuns(app: App, tenantId: string, datasetId: string, runs: SeedRun[]): Promise<string[]> {
  const ids: string[] = [];
  for (const r of runs) {
    const run = await app.db.prisma.trainingRun.create({
      data: {
        tenantId,
        datasetId,
        modelName: r.modelName,
        targetColumn: 'Outcome',
        featureColumns: ['Glucose'],
        spec: {},
        status: r.status ?? 'SUCCEEDED',
        createdAt: r.createdAt,
      },
    });
    if (r.losses?.length) {
      await app.db.prisma.epochMetric.createMany({
        data: r.losses.map((loss, i) => ({ tenantId, trainingRunId: run.id, epoch: i + 1, loss, valLoss: loss * 1.1, elapsedMs: 1 })),
      });
    }
    ids.push(run.id);
  }
  return ids;
}
