/**
 * Per-tenant quotas: concurrent training runs, stored dataset bytes, predicted rows per minute, and
 * the cost of one training run (checked by the model family, src/ml/families/network/cost.ts).
 * The first two are checked inside the writing transaction under a per-tenant advisory lock, so
 * concurrent requests cannot both slip under the limit. The rate limit is shared by every API
 * process through PostgreSQL (rate-limiter-flexible, table "RateLimit", fixed 60 s windows).
 */
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../lib/errors';
import type { CostLimits } from '../../ml/cost-limits';
import { advisoryXactLock, type Tx } from '../../lib/tenant-tx';
import type { DatasetRepo } from '../datasets/dataset.repo';
import type { TrainingRunRepo } from '../training/training-run.repo';

/** Per-tenant limits (from config). */
export interface QuotaLimits {
  /** QUEUED + RUNNING runs per tenant. */
  maxConcurrentRuns: number;
  /** Sum of uploaded dataset sizes per tenant, bytes. */
  maxDatasetBytes: number;
  /** Rows sent to `predict` per tenant per minute. */
  predictionsPerMinute: number;
  /** Cost limits of one training run (TRAINING_MAX_* in config; see src/ml/cost-limits.ts). */
  training: CostLimits;
}

const exceeded = (message: string, retryAfterSeconds?: number) => new AppError('QUOTA_EXCEEDED', message, retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined);

/**
 * Predictions are counted in PostgreSQL in blocks: a process reserves `block` rows of the tenant's
 * budget at once and spends them locally, so single-row predicts do not pay a database round trip
 * each. A process can hold at most one unspent block per tenant and window, so the limit is
 * exact to within `block` rows per API process (block = limit / 1000, at least 1).
 */
interface LocalBudget {
  remaining: number;
  /** End of the window the rows were reserved in, ms since the epoch. */
  until: number;
}

/** Checks and counts the tenant quotas; the checks run inside the caller's transaction. */
export class QuotaService {
  private readonly limiter: RateLimiterPostgres;
  private readonly budgets = new Map<string, LocalBudget>();
  private readonly block: number;

  constructor(
    readonly limits: QuotaLimits,
    pool: pg.Pool,
    private readonly repos: { datasets: DatasetRepo; runs: TrainingRunRepo },
  ) {
    this.limiter = new RateLimiterPostgres({
      storeClient: pool,
      tableName: 'RateLimit',
      tableCreated: true, // created by the migrations
      keyPrefix: 'predict',
      points: limits.predictionsPerMinute,
      duration: 60,
    });
    this.block = Math.max(1, Math.floor(limits.predictionsPerMinute / 1000));
  }

  /** Serialises quota checks of one tenant until the transaction ends. */
  private lock(tx: Tx, tenantId: string) {
    return advisoryXactLock(tx, 'quota:' + tenantId);
  }

  /** @throws AppError QUOTA_EXCEEDED when `addBytes` more would pass the tenant's storage quota. */
  async checkDatasetBytes(tx: Tx, tenantId: string, addBytes: number): Promise<void> {
    await this.lock(tx, tenantId);
    const used = await this.repos.datasets.totalBytes(tx, tenantId);
    if (used + addBytes > this.limits.maxDatasetBytes) {
      throw exceeded(`Storing ${addBytes} more bytes would exceed the dataset quota of ${this.limits.maxDatasetBytes} bytes (${used} used); delete a dataset first`);
    }
  }

  /** @throws AppError QUOTA_EXCEEDED when the tenant already has the maximum of QUEUED/RUNNING runs. */
  async checkConcurrentRuns(tx: Tx, tenantId: string): Promise<void> {
    await this.lock(tx, tenantId);
    const active = await this.repos.runs.countActive(tx, tenantId);
    if (active >= this.limits.maxConcurrentRuns) {
      throw exceeded(`${active} training runs are already queued or running; the quota is ${this.limits.maxConcurrentRuns} at once`);
    }
  }

  /**
   * Counts `rows` predictions against the tenant's per-minute budget.
   * @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds` when the budget is spent; without it
   *   when `rows` alone exceed a whole minute's budget (waiting would not help).
   */
  async consumePredictions(tenantId: string, rows: number): Promise<void> {
    if (rows > this.limits.predictionsPerMinute) {
      throw exceeded(
        `This call needs ${rows} predictions (rows, or model evaluations for explain), more than the rate limit of ${this.limits.predictionsPerMinute} per minute allows at all: send fewer rows`,
      );
    }
    const now = Date.now();
    const local = this.budgets.get(tenantId);
    if (local && local.until > now && local.remaining >= rows) {
      local.remaining -= rows;
      return;
    }
    const reserve = Math.max(rows, this.block);
    let outcome = await this.take(tenantId, reserve);
    // Near the limit a whole block may not fit while the rows alone do.
    if (!outcome.ok && reserve > rows) outcome = await this.take(tenantId, rows);
    if (outcome.ok) {
      const spare = outcome.taken - rows;
      this.budgets.set(tenantId, { remaining: spare, until: now + outcome.res.msBeforeNext });
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(outcome.res.msBeforeNext / 1000));
    throw exceeded(`The prediction rate limit of ${this.limits.predictionsPerMinute} rows per minute is reached; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
  }

  /** Consumes `n` points; a refused consumption is given back, so refused requests do not count. */
  private async take(tenantId: string, n: number): Promise<{ ok: boolean; taken: number; res: RateLimiterRes }> {
    try {
      return { ok: true, taken: n, res: await this.limiter.consume(tenantId, n) };
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      await this.limiter.reward(tenantId, n);
      return { ok: false, taken: 0, res };
    }
  }
}
