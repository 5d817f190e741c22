/**
 * Training-run leases. pg-boss hands a job to one worker, but cannot tell when that worker died
 * mid-run (its expiry is hours). So the run row itself carries a lease: the worker that claims a
 * run sets `leaseOwner` and `leaseExpiresAt`, renews it every third of the lease while it trains,
 * and a reaper in every worker hands back (or fails) runs whose lease lapsed.
 *
 * Claiming is a compare-and-set on the row: a QUEUED run, or a RUNNING one whose lease lapsed.
 * Two workers can never both hold a run.
 */
import os from 'node:os';
import crypto from 'node:crypto';
import type { Db } from '../lib/db';

/** This process' worker id: host, pid and a random part. */
export const WORKER_ID = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

export interface Lease {
  /** True once a renewal found the run no longer ours (reaped, cancelled or taken over). */
  readonly lost: boolean;
  release(): void;
}

/**
 * Claims a run for `owner`: QUEUED, or RUNNING with a lapsed lease. Counts an attempt.
 * Runs as the owner connection (system work, across tenants), filtered by tenant and id.
 * @returns whether the claim succeeded.
 */
export async function claimRun(prisma: Db, tenantId: string, runId: string, owner: string, leaseMs: number): Promise<boolean> {
  const n = await prisma.$executeRaw`
    UPDATE "TrainingRun"
       SET status = 'RUNNING', "leaseOwner" = ${owner},
           "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}),
           attempts = attempts + 1, "startedAt" = now()
     WHERE id = ${runId} AND "tenantId" = ${tenantId}
       AND (status = 'QUEUED' OR (status = 'RUNNING' AND "leaseExpiresAt" < now()))`;
  return n === 1;
}

/**
 * Renews the lease every leaseMs / 3 until released; marks it lost when the row is no longer ours.
 * @param onLost called once, when the lease is found lost.
 */
export function holdLease(prisma: Db, runId: string, owner: string, leaseMs: number, onLost?: () => void): Lease {
  let lost = false;
  const timer = setInterval(async () => {
    try {
      const n = await prisma.$executeRaw`
        UPDATE "TrainingRun" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000})
         WHERE id = ${runId} AND "leaseOwner" = ${owner} AND status = 'RUNNING'`;
      if (n === 0 && !lost) {
        lost = true;
        onLost?.();
      }
    } catch {
      // A failed renewal is retried at the next tick; the lease only lapses after leaseMs.
    }
  }, Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    release: () => clearInterval(timer),
  };
}
