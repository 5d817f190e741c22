/**
 * Per-tenant quotas: concurrent training runs, stored dataset bytes, and predicted rows per minute.
 * The first two are checked inside the writing transaction under a per-tenant advisory lock, so
 * concurrent requests cannot both slip under the limit. The rate limit is shared by every API
 * process through PostgreSQL (rate-limiter-flexible, table "RateLimit", fixed 60 s windows).
 */
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../lib/errors';
import type { Tx } from '../../lib/tenant-tx';

export interface QuotaLimits {
  /** QUEUED + RUNNING runs per tenant. */
  maxConcurrentRuns: number;
  /** Sum of uploaded dataset sizes per tenant, bytes. */
  maxDatasetBytes: number;
  /** Rows sent to `predict` per tenant per minute. */
  predictionsPerMinute: number;
}

const exceeded = (message: string, retryAfterSeconds?: number) =>
  new AppError('QUOTA_EXCEEDED', message, retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined);

export class QuotaService {
  private readonly limiter: RateLimiterPostgres;

  constructor(
    readonly limits: QuotaLimits,
    pool: pg.Pool,
  ) {
    this.limiter = new RateLimiterPostgres({
      storeClient: pool,
      tableName: 'RateLimit',
      tableCreated: true, // created by the migrations
      keyPrefix: 'predict',
      points: limits.predictionsPerMinute,
      duration: 60,
    });
  }

  /** Serialises quota checks of one tenant until the transaction ends. */
  private lock(tx: Tx, tenantId: string) {
    return tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'quota:' + tenantId}))`;
  }

  /** @throws AppError QUOTA_EXCEEDED when `addBytes` more would pass the tenant's storage quota. */
  async checkDatasetBytes(tx: Tx, tenantId: string, addBytes: number): Promise<void> {
    await this.lock(tx, tenantId);
    const { _sum } = await tx.dataset.aggregate({ where: { tenantId }, _sum: { sizeBytes: true } });
    const used = _sum.sizeBytes ?? 0;
    if (used + addBytes > this.limits.maxDatasetBytes) {
      throw exceeded(`Storing ${addBytes} more bytes would exceed the dataset quota of ${this.limits.maxDatasetBytes} bytes (${used} used); delete a dataset first`);
    }
  }

  /** @throws AppError QUOTA_EXCEEDED when the tenant already has the maximum of QUEUED/RUNNING runs. */
  async checkConcurrentRuns(tx: Tx, tenantId: string): Promise<void> {
    await this.lock(tx, tenantId);
    const active = await tx.trainingRun.count({ where: { tenantId, status: { in: ['QUEUED', 'RUNNING'] } } });
    if (active >= this.limits.maxConcurrentRuns) {
      throw exceeded(`${active} training runs are already queued or running; the quota is ${this.limits.maxConcurrentRuns} at once`);
    }
  }

  /**
   * Counts `rows` predictions against the tenant's per-minute budget.
   * @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds` when the budget is spent.
   */
  async consumePredictions(tenantId: string, rows: number): Promise<void> {
    try {
      await this.limiter.consume(tenantId, rows);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw exceeded(`The prediction rate limit of ${this.limits.predictionsPerMinute} rows per minute is reached; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
    }
  }
}
