/**
 * Queues a pass of a sweep's driver when one of its trials' runs reports an epoch (early
 * stopping) or ends (the next trial starts at once instead of at the sweep's next poll). Called by
 * the training-run lifecycle for every progress event it publishes (src/jobs/handlers.ts).
 */
import type { Db } from '../../lib/db';
import { withTenant } from '../../lib/tenant-tx';
import type { Queue } from '../tasks';
import type { ProgressEvent } from '../training/progress';
import type { SweepRepo } from './sweep.repo';

/** Runs remembered with their sweep, or null for a run in no sweep (a run's sweep never changes), oldest first. */
const REMEMBERED_RUNS = 5_000;

/** @returns the hook for TrainingRunLifecycle: (tenant, run, event) → a `sweep-advance` job when the run is a trial. */
export function sweepTrigger(prisma: Db, sweeps: SweepRepo, queue: Queue) {
  const sweepOf = new Map<string, string | null>();
  const remember = (runId: string, sweepId: string | null) => {
    if (sweepOf.size >= REMEMBERED_RUNS) sweepOf.delete(sweepOf.keys().next().value!);
    sweepOf.set(runId, sweepId);
  };
  return async (tenantId: string, runId: string, e: Pick<ProgressEvent, 'kind' | 'epoch'>): Promise<void> => {
    if (e.kind === 'PROGRESS') return;
    let sweepId = sweepOf.get(runId);
    if (sweepId === undefined) {
      sweepId = (await withTenant(prisma, tenantId, (tx) => sweeps.trialOfRun(tx, tenantId, runId)))?.sweepId ?? null;
      // "In no sweep" is remembered from the second epoch on: a trial records its run's id as soon
      // as the run is created, so by then it has, but its first epoch might come first.
      if (sweepId || (e.epoch ?? 0) >= 2) remember(runId, sweepId);
    }
    if (sweepId) await queue.enqueue('sweep-advance', { tenantId, sweepId });
  };
}
