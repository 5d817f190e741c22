/**
 * Finds RUNNING training runs whose lease lapsed (their worker died or hung) and hands them back
 * to the queue, or marks them FAILED (code WORKER_LOST) once they used every attempt, publishing
 * the FINAL event. Runs in every worker process; the UPDATEs make concurrent reapers harmless.
 */
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { PubSub } from '../lib/pubsub';
import { progressTopic, type ProgressEvent } from '../modules/training/progress';
import type { JobQueue } from './queue';

export interface ReaperOptions {
  prisma: Db;
  queue: JobQueue;
  pubsub: PubSub;
  log: Logger;
  /** Lease length, ms; the reaper looks every third of it. */
  leaseMs: number;
  /** Attempts after which a lost run fails instead of being retried. */
  maxAttempts: number;
}

export const WORKER_LOST = 'WORKER_LOST';

/** One pass. @returns the ids handed back and failed. */
export async function reapOnce(o: ReaperOptions): Promise<{ requeued: string[]; failed: string[] }> {
  const failed = await o.prisma.$queryRaw<{ id: string }[]>`
    UPDATE "TrainingRun"
       SET status = 'FAILED', "failureCode" = ${WORKER_LOST},
           "failureMessage" = 'The worker running this training run stopped responding (no lease renewal) on its last attempt',
           "finishedAt" = now(), "leaseOwner" = NULL
     WHERE status = 'RUNNING' AND "leaseExpiresAt" < now() AND attempts >= ${o.maxAttempts}
     RETURNING id`;
  const requeued = await o.prisma.$queryRaw<{ id: string; tenantId: string }[]>`
    UPDATE "TrainingRun" SET status = 'QUEUED', "leaseOwner" = NULL
     WHERE status = 'RUNNING' AND "leaseExpiresAt" < now() AND attempts < ${o.maxAttempts}
     RETURNING id, "tenantId"`;
  for (const { id } of failed) {
    await o.pubsub.publish(progressTopic(id), {
      runId: id,
      kind: 'FINAL',
      status: 'FAILED',
      failureCode: WORKER_LOST,
      failureMessage: 'The worker running this training run stopped responding',
    } satisfies ProgressEvent);
  }
  for (const { id, tenantId } of requeued) await o.queue.enqueue('training-run', { tenantId, runId: id });
  if (failed.length || requeued.length) o.log.warn({ requeued: requeued.map((r) => r.id), failed: failed.map((r) => r.id) }, 'reaped training runs with lapsed leases');
  return { requeued: requeued.map((r) => r.id), failed: failed.map((r) => r.id) };
}

/** Starts periodic passes. @returns stop(). */
export function startReaper(o: ReaperOptions): () => void {
  const timer = setInterval(() => {
    reapOnce(o).catch((err) => o.log.warn({ err: (err as Error).message }, 'reaper pass failed'));
  }, Math.max(100, Math.floor(o.leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}
