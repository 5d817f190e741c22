/**
 * Training-run leases. pg-boss hands a job to one worker, but cannot tell when that worker died
 * mid-run (its expiry is hours). So the run row itself carries a lease: the worker that claims a
 * run (TrainingRunRepo.claim) sets `leaseOwner` and `leaseExpiresAt`, renews it every third of the
 * lease while it trains, and a reaper in every worker hands back (or fails) runs whose lease lapsed.
 */
import os from 'node:os';
import crypto from 'node:crypto';

/** This process' worker id: host, pid and a random part. */
export const WORKER_ID = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;

/** A lease being renewed in the background. */
export interface Lease {
  /** True once a renewal found the run no longer ours (reaped, cancelled or taken over). */
  readonly lost: boolean;
  /** Stops renewing (the run's row keeps whatever state the job wrote). */
  release(): void;
}

/**
 * Renews the lease every leaseMs / 3 until released; marks it lost when the row is no longer ours.
 * @param renew extends the lease by leaseMs; resolves false when the run is no longer ours.
 * @param onLost called once, when the lease is found lost.
 */
export function holdLease(renew: () => Promise<boolean>, leaseMs: number, onLost?: () => void): Lease {
  let lost = false;
  const timer = setInterval(
    async () => {
      try {
        if (!(await renew()) && !lost) {
          lost = true;
          onLost?.();
        }
      } catch {
        // A failed renewal is retried at the next tick; the lease only lapses after leaseMs.
      }
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    get lost() {
      return lost;
    },
    release: () => clearInterval(timer),
  };
}
