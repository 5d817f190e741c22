/**
 * Training runs and their epoch metrics: the only code that touches the TrainingRun and
 * EpochMetric tables. Every request-path method takes the tenant and folds it into its `where`;
 * the lease and reaper methods run on the owner connection for system work (documented on each).
 */
import type { RunStatus as StoredRunStatus } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import type { Tx } from '../../lib/tenant-tx';
import type { EpochResult } from '../../ml/families/model-family';
import type { PageWindow } from '../common/keyset';
import { readPage, type PageableTable } from '../common/page.repo';
import { ACTIVE_STATUSES, FailureCode, RunStatus } from '../status';
import { nameContains } from '../common/name-filter';
import { createdWhere } from '../common/created-filter';

/** Filters of the runs connection (all optional, ANDed). */
export interface RunFilter {
  status?: RunStatus;
  /** Part of the model name, any case. */
  modelName?: string;
  datasetId?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

/** A new run, stored QUEUED. */
export interface NewRun {
  datasetId: string;
  modelName: string;
  targetColumn: string;
  featureColumns: string[];
  spec: object;
  /** Order within the tenant's own queued runs, higher first (-100 to 100). (Default: 0) */
  priority?: number;
  /** Who started it (Actor kind and id). */
  startedByKind?: string;
  startedById?: string;
  /** reproduce(versionId): the version it reproduces. */
  reproducesVersionId?: string;
  /** Tracing: the W3C traceparent of the request that starts it (src/lib/tracing/tracer.ts currentTraceparent). */
  traceParent?: string;
}

/** Compile-time check: src/modules/status.ts lists exactly the database's RunStatus values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const STATUSES_MATCH_DATABASE: Same<RunStatus, StoredRunStatus> = true;

/** The message stored on a run the reaper fails. */
const WORKER_LOST_MESSAGE = 'The worker running this training run stopped responding (no lease renewal) on its last attempt';

/** Arbitrary constant key of the cluster-wide advisory lock fair claims take turns under. */
const FAIR_CLAIM_LOCK_KEY = 72_707_371;

/** TrainingRun and EpochMetric rows. */
export class TrainingRunRepo {
  /** Stores a QUEUED run of the tenant. */
  create(tx: Tx, tenantId: string, run: NewRun) {
    return tx.trainingRun.create({ data: { ...run, tenantId } });
  }

  /** @returns the run, or null when the tenant has none with that id. */
  find(tx: Tx, tenantId: string, id: string) {
    return tx.trainingRun.findFirst({ where: { id, tenantId } });
  }

  /** The tenant's runs among `ids` (any order; unknown and other tenants' ids absent). */
  findMany(tx: Tx, tenantId: string, ids: readonly string[]) {
    return tx.trainingRun.findMany({ where: { tenantId, id: { in: [...ids] } } });
  }

  /** The tenant's runs, newest first, optionally of one status. */
  list(tx: Tx, tenantId: string, take: number, status?: RunStatus) {
    return tx.trainingRun.findMany({ where: { tenantId, ...(status ? { status } : {}) }, orderBy: { createdAt: 'desc' }, take });
  }

  /** One keyset page of the tenant's runs, newest first (see common/keyset.ts). */
  page(tx: Tx, tenantId: string, filter: RunFilter, window: PageWindow) {
    const where = {
      tenantId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.datasetId ? { datasetId: filter.datasetId } : {}),
      ...(filter.modelName ? { modelName: nameContains(filter.modelName) } : {}),
      ...createdWhere(filter),
    };
    return readPage(tx.trainingRun as unknown as PageableTable<Awaited<ReturnType<Tx['trainingRun']['findFirstOrThrow']>>>, where, window);
  }

  /** Stored epoch metrics of several runs of the tenant, in epoch order (one statement, for DataLoader). */
  metricsOfRuns(tx: Tx, tenantId: string, runIds: readonly string[]) {
    return tx.epochMetric.findMany({ where: { tenantId, trainingRunId: { in: [...runIds] } }, orderBy: [{ trainingRunId: 'asc' }, { epoch: 'asc' }] });
  }

  /** QUEUED + RUNNING runs of the tenant (of one dataset when given). */
  countActive(tx: Tx, tenantId: string, filter: { datasetId?: string } = {}) {
    return tx.trainingRun.count({ where: { tenantId, ...filter, status: { in: [...ACTIVE_STATUSES] } } });
  }

  /**
   * Whether a QUEUED or RUNNING run of the tenant may still publish a version of `modelName`. Ended
   * runs do not count: a model whose runs all ended without a version (failed, cancelled, or their
   * model deleted since) is not coming.
   */
  async trainsModel(tx: Tx, tenantId: string, modelName: string) {
    return (await tx.trainingRun.count({ where: { tenantId, modelName, status: { in: [...ACTIVE_STATUSES] } }, take: 1 })) > 0;
  }

  /** Stored epoch metrics of a run, in epoch order. */
  metrics(tx: Tx, tenantId: string, runId: string) {
    return tx.epochMetric.findMany({ where: { tenantId, trainingRunId: runId }, orderBy: { epoch: 'asc' } });
  }

  /**
   * Moves a run from one of `from` to `data.status`; returns false when it was in another state
   * (compare-and-set). With `owner`, only while that worker holds the run's lease.
   */
  async transition(tx: Tx, tenantId: string, id: string, from: readonly RunStatus[], data: { status: RunStatus } & Record<string, unknown>, owner?: string) {
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

  /**
   * Stores one epoch's metrics if the run is still RUNNING. The run's row is share-locked first, so
   * a cancel (or any other move) that commits while this transaction is open waits for it: an epoch
   * is either stored before the run ended, or not at all — never after its FINAL event.
   * @returns the run's status as read (undefined when the run is gone); the epoch was stored only when RUNNING.
   */
  async addEpochWhileRunning(tx: Tx, tenantId: string, runId: string, e: EpochResult): Promise<RunStatus | undefined> {
    const [row] = await tx.$queryRaw<{ status: RunStatus }[]>`
      SELECT status FROM "TrainingRun" WHERE id = ${runId} AND "tenantId" = ${tenantId} FOR SHARE`;
    if (row?.status === RunStatus.RUNNING) await this.addEpoch(tx, tenantId, runId, e);
    return row?.status;
  }

  /** Stores one epoch's metrics. */
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
        metrics: e.metrics ?? undefined,
      },
    });
  }

  /** The id of the model version the run produced, if any. */
  versionOf(tx: Tx, tenantId: string, runId: string) {
    return tx.modelVersion.findFirst({ where: { tenantId, trainingRunId: runId }, select: { id: true } });
  }

  /**
   * Claims the next run a free training slot should train, across all tenants (system work on the
   * owner connection), in one transaction under a cluster-wide advisory lock, so concurrent claims
   * of every worker process see each other's counts:
   * - candidates are QUEUED runs (and RUNNING ones whose lease lapsed) of tenants with fewer runs
   *   RUNNING (lease held) than their limit (TenantLimits.maxRunningRuns, else `defaultMaxRunning`);
   * - the tenant with the fewest running runs goes first; ties to the one served least recently
   *   (its last run start; never served first: round robin when slots are scarce), then to the one
   *   waiting longest; within the tenant, the highest `priority`, then the oldest.
   * The chosen run is set RUNNING for `owner` with a lease and an attempt counted.
   * @param idleTenantsOnly only a run of a tenant with no live RUNNING run may be claimed (a
   *   worker's shared slot, src/jobs/slot-counter.ts); the others count as waiting.
   * @returns the claimed run; or none, and whether runs wait behind their tenants' running limits
   *   (or, with `idleTenantsOnly`, for a regular slot).
   */
  async claimFairly(
    db: Db,
    owner: string,
    leaseMs: number,
    defaultMaxRunning: number,
    idleTenantsOnly = false,
  ): Promise<{ run?: { id: string; tenantId: string }; waiting: boolean }> {
    return db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FAIR_CLAIM_LOCK_KEY})`;
      // A run cancelled between the choice and the UPDATE (cancel does not take the lock) is not
      // claimed: the UPDATE re-checks its state, and the next choice is made.
      for (let attempt = 0; attempt < 5; attempt++) {
        const rows = await tx.$queryRaw<{ id: string; tenantId: string; open: boolean }[]>`
        WITH running AS (
          SELECT "tenantId", count(*)::int AS n FROM "TrainingRun"
           WHERE status = 'RUNNING' AND "leaseExpiresAt" >= now() GROUP BY "tenantId"),
        waiting AS (
          SELECT id, "tenantId", priority, "createdAt",
                 min("createdAt") OVER (PARTITION BY "tenantId") AS "waitingSince"
            FROM "TrainingRun"
           WHERE status = 'QUEUED' OR (status = 'RUNNING' AND "leaseExpiresAt" < now())),
        served AS (
          SELECT "tenantId", max("startedAt") AS "lastStarted" FROM "TrainingRun"
           WHERE "tenantId" IN (SELECT "tenantId" FROM waiting) GROUP BY "tenantId")
        SELECT w.id, w."tenantId",
               coalesce(running.n, 0) < coalesce(l."maxRunningRuns", ${defaultMaxRunning})
                 AND (NOT ${idleTenantsOnly} OR coalesce(running.n, 0) = 0) AS open
          FROM waiting w
          LEFT JOIN running ON running."tenantId" = w."tenantId"
          LEFT JOIN served ON served."tenantId" = w."tenantId"
          LEFT JOIN "TenantLimits" l ON l."tenantId" = w."tenantId"
         ORDER BY open DESC, coalesce(running.n, 0), served."lastStarted" ASC NULLS FIRST, w."waitingSince",
                  w."tenantId", w.priority DESC, w."createdAt", w.id
         LIMIT 1`;
        const next = rows[0];
        if (!next?.open) return { waiting: next !== undefined };
        const claimed = await tx.$executeRaw`
        UPDATE "TrainingRun"
           SET status = 'RUNNING', "leaseOwner" = ${owner},
               "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000}),
               attempts = attempts + 1, "startedAt" = now()
         WHERE id = ${next.id} AND (status = 'QUEUED' OR (status = 'RUNNING' AND "leaseExpiresAt" < now()))`;
        if (claimed === 1) return { run: { id: next.id, tenantId: next.tenantId }, waiting: false };
      }
      return { waiting: true }; // every choice was taken from under us: the ticket tries again shortly
    });
  }

  /**
   * Whether the RUNNING run `runId` held by `owner` should give its slot back to another tenant
   * (system work on the owner connection, over every tenant). True when all of:
   * - its tenant holds two or more live RUNNING runs and this is the one started last (ties: the
   *   greatest id), so a tenant never loses its last running run and loses the least work;
   * - it has trained `afterSeconds` × 2^k since its latest start, k being the times it gave its
   *   slot back already (at most 2^10): a run is never handed back before it could show progress,
   *   and a tenant that starts and cancels runs in a loop cannot make one run start over forever;
   * - another tenant has no live RUNNING run and a QUEUED run that has waited more than
   *   `afterSeconds` since it was created (a free slot anywhere would have claimed it within
   *   about a second: the wait says every slot is taken).
   * The freed slot then goes to that tenant: the fair claim serves the fewest running first.
   */
  async shouldYield(db: Db, runId: string, owner: string, afterSeconds: number): Promise<boolean> {
    const rows = await db.$queryRaw<{ yield: boolean }[]>`
      WITH mine AS (
        SELECT id, "tenantId", "startedAt" FROM "TrainingRun"
         WHERE id = ${runId} AND status = 'RUNNING' AND "leaseOwner" = ${owner}
           AND "startedAt" < now() - make_interval(secs => ${afterSeconds} * power(2, least(preemptions, 10)))),
      peers AS (
        SELECT r.id, r."startedAt" FROM "TrainingRun" r JOIN mine ON r."tenantId" = mine."tenantId"
         WHERE r.status = 'RUNNING' AND r."leaseExpiresAt" >= now())
      SELECT (SELECT count(*) FROM peers) >= 2
         AND NOT EXISTS (SELECT 1 FROM peers, mine
                          WHERE (peers."startedAt", peers.id) > (mine."startedAt", mine.id))
         AND EXISTS (
           SELECT 1 FROM "TrainingRun" q, mine
            WHERE q.status = 'QUEUED' AND q."tenantId" <> mine."tenantId"
              AND q."createdAt" < now() - make_interval(secs => ${afterSeconds})
              AND NOT EXISTS (SELECT 1 FROM "TrainingRun" o
                               WHERE o."tenantId" = q."tenantId" AND o.status = 'RUNNING' AND o."leaseExpiresAt" >= now()))
         AS yield`;
    return rows[0]?.yield === true;
  }

  /**
   * Puts a RUNNING run `owner` holds back to QUEUED because it gave its slot to another tenant:
   * the attempt is not counted (it was no fault), and the epochs of the attempt are removed (the
   * run starts over when claimed again). Tenant transaction.
   * @returns whether the run was still held by `owner`.
   */
  async yieldSlot(tx: Tx, tenantId: string, runId: string, owner: string): Promise<boolean> {
    const moved = await tx.trainingRun.updateMany({
      where: { id: runId, tenantId, status: RunStatus.RUNNING, leaseOwner: owner },
      data: { status: RunStatus.QUEUED, leaseOwner: null, leaseExpiresAt: null, attempts: { decrement: 1 }, preemptions: { increment: 1 } },
    });
    if (moved.count === 1) await this.clearEpochs(tx, tenantId, runId);
    return moved.count === 1;
  }

  /**
   * Extends `owner`'s lease on a RUNNING run by `leaseMs` (owner connection, filtered by tenant).
   * @returns false when the run is no longer RUNNING under that owner (reaped, cancelled, taken over).
   */
  async renewLease(db: Db, tenantId: string, runId: string, owner: string, leaseMs: number): Promise<boolean> {
    const n = await db.$executeRaw`
      UPDATE "TrainingRun" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000})
       WHERE id = ${runId} AND "tenantId" = ${tenantId} AND "leaseOwner" = ${owner} AND status = 'RUNNING'`;
    return n === 1;
  }

  /**
   * The reaper's sweep, across all tenants (system work on the owner connection): RUNNING runs
   * whose lease lapsed are FAILED with WORKER_LOST once they used `maxAttempts`, else put back to
   * QUEUED. Concurrent sweeps are harmless (each row is updated once).
   * @returns the runs failed and the runs to enqueue again.
   */
  async reapLapsed(db: Db, maxAttempts: number): Promise<{ failed: { id: string }[]; requeued: { id: string; tenantId: string }[] }> {
    const failed = await db.$queryRaw<{ id: string }[]>`
      UPDATE "TrainingRun"
         SET status = 'FAILED', "failureCode" = ${FailureCode.WORKER_LOST},
             "failureMessage" = ${WORKER_LOST_MESSAGE},
             "finishedAt" = now(), "leaseOwner" = NULL
       WHERE status = 'RUNNING' AND "leaseExpiresAt" < now() AND attempts >= ${maxAttempts}
       RETURNING id`;
    const requeued = await db.$queryRaw<{ id: string; tenantId: string }[]>`
      UPDATE "TrainingRun" SET status = 'QUEUED', "leaseOwner" = NULL
       WHERE status = 'RUNNING' AND "leaseExpiresAt" < now() AND attempts < ${maxAttempts}
       RETURNING id, "tenantId"`;
    return { failed, requeued };
  }

  /** Runs per status over all tenants, for the metrics endpoint (owner connection). */
  async countByStatus(db: Db): Promise<{ status: RunStatus; count: number }[]> {
    const rows = await db.trainingRun.groupBy({ by: ['status'], _count: { _all: true } });
    return rows.map((r) => ({ status: r.status, count: r._count._all }));
  }
}
