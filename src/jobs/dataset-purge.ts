/**
 * The purge of archived datasets: every tenant's archives whose retention
 * (DATASET_ARCHIVE_RETENTION_DAYS) has ended lose their rows for good (`purgedAt` set, the bytes
 * emptied, no longer counted against the quota), each in its tenant's transaction with a
 * `dataset.purged` audit entry by the system. Runs in every worker process; the conditional UPDATE
 * makes concurrent passes harmless.
 */
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import { withTenant } from '../lib/tenant-tx';
import type { AuditRepo } from '../modules/audit/audit.repo';
import { systemActor } from '../modules/auth/actor';
import type { DatasetRepo } from '../modules/datasets/dataset.repo';

/** What a purge needs. */
export interface PurgeOptions {
  prisma: Db;
  datasets: DatasetRepo;
  audit: AuditRepo;
  log: Logger;
  /** DATASET_ARCHIVE_RETENTION_DAYS. */
  retentionDays: number;
}

/** Archives purged per pass, at most (the next pass takes the rest). */
const BATCH = 100;

/** How often a worker looks, ms. */
const INTERVAL_MS = 10 * 60_000;

/**
 * One pass. @param now the clock (tests pass a later one). (Default: the current time)
 * @returns the ids purged.
 */
export async function purgeOnce(o: PurgeOptions, now = new Date()): Promise<string[]> {
  const before = new Date(now.getTime() - o.retentionDays * 86_400_000);
  const expired = await o.datasets.expiredArchives(o.prisma, before, BATCH);
  const purged: string[] = [];
  for (const d of expired) {
    const done = await withTenant(o.prisma, d.tenantId, async (tx) => {
      if (!(await o.datasets.purge(tx, d.tenantId, d.id))) return false; // restored or purged meanwhile
      await o.audit.record(tx, systemActor(d.tenantId), {
        action: 'dataset.purged',
        targetType: 'Dataset',
        targetId: d.id,
        details: { name: d.name, sizeBytes: d.sizeBytes, retentionDays: o.retentionDays },
      });
      return true;
    });
    if (done) purged.push(d.id);
  }
  if (purged.length) o.log.info({ purged }, 'purged archived datasets past their retention');
  return purged;
}

/** Starts periodic passes (the first at once). @returns stop(). */
export function startDatasetPurge(o: PurgeOptions): () => void {
  const pass = () => void purgeOnce(o).catch((err) => o.log.warn({ err: (err as Error).message }, 'dataset purge pass failed'));
  pass();
  const timer = setInterval(pass, INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
