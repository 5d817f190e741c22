/**
 * Per-tenant quotas: concurrent training runs and batch predictions, stored dataset bytes,
 * predicted rows per minute, and the cost of one training run (checked by the model family,
 * src/ml/families/network/cost.ts). Each tenant's limits are the config's defaults overridden by
 * its TenantLimits row (tenant-limits.ts; set by the operator with setTenantLimits).
 * The counted ones are checked inside the writing transaction under a per-tenant advisory lock, so
 * concurrent requests cannot both slip under the limit, and read the tenant's row in that same
 * transaction (a change applies to the next request). The rate limit is shared by every API
 * process through PostgreSQL (prediction-budget.ts); its per-tenant value is cached for
 * {@link RATE_LIMIT_CACHE_MS} per process.
 */
import pg from 'pg';
import type { Db } from '../../lib/db';
import { SingleFlight } from '../../lib/single-flight';
import type { CostLimits } from '../../ml/cost-limits';
import { advisoryXactLock, withTenant, type Tx } from '../../lib/tenant-tx';
import type { DatasetRepo } from '../datasets/dataset.repo';
import type { ModelRepo } from '../registry/model.repo';
import type { BatchRepo } from '../serving/batch.repo';
import type { TrainingRunRepo } from '../training/training-run.repo';
import { exceeded, PredictionBudget } from './prediction-budget';
import { readStorageUse, storageExceeded, type StorageUse } from './storage';
import { costLimitsOf, effectiveLimits, type Limits } from './tenant-limits';
import type { TenantLimitsRepo } from './tenant-limits.repo';

/**
 * How long a process reuses a tenant's per-call limits (the prediction rate, an `infer` answer's
 * size, requests in flight), ms. setTenantLimits drops them at once in the process that set them;
 * other API processes see the change within this time.
 */
export const RATE_LIMIT_CACHE_MS = 2_000;

/**
 * The queue priority of a tenant's next job, given how many of its jobs of that kind are already
 * queued or running: its first job is claimed before any tenant's second, its second before any
 * tenant's third, and so on (workers claim by priority, then age), so a tenant that queues up to its
 * quota delays another tenant's job by at most one of its own per worker. For training runs this
 * orders only the jobs (tickets); which run a ticket trains is the fair claim's choice
 * (TrainingRunRepo.claimFairly).
 */
export const fairPriority = (activeBefore: number): number => -activeBefore;

/** Checks and counts the tenant quotas; the checks run inside the caller's transaction. */
export class QuotaService {
  /** Each tenant's effective limits as last read, until `until` (ms since the epoch): the per-call ones (rate, output size). */
  private readonly cached = new Map<string, { limits: Limits; until: number; inFlight?: InFlightLimit }>();
  /** Reads of a tenant's limits in flight, shared by the calls that find the cache expired at once. */
  private readonly limitReads = new SingleFlight<Limits>();
  /** The rows each tenant spent this minute (PostgreSQL, in blocks per process). */
  private readonly budget: PredictionBudget;

  /**
   * @param defaults the global limits (config), used where a tenant has no override.
   */
  constructor(
    readonly defaults: Limits,
    pool: pg.Pool,
    private readonly prisma: Db,
    private readonly repos: { datasets: DatasetRepo; runs: TrainingRunRepo; batches: BatchRepo; limits: TenantLimitsRepo; models: ModelRepo },
  ) {
    this.budget = new PredictionBudget(pool, defaults.predictionsPerMinute);
  }

  /** The tenant's effective limits, read in `tx`. */
  async limitsOf(tx: Tx, tenantId: string): Promise<Limits> {
    return effectiveLimits(this.defaults, await this.repos.limits.find(tx, tenantId)).limits;
  }

  /** The tenant's training cost limits, read in `tx`. */
  async trainingLimits(tx: Tx, tenantId: string): Promise<CostLimits> {
    return costLimitsOf(await this.limitsOf(tx, tenantId));
  }

  /**
   * Drops what this process cached of the tenant's limits (after setTenantLimits), and gives back
   * the unspent rows of its reserved block, so a lowered limit is not already spent by them.
   */
  async forget(tenantId: string): Promise<void> {
    this.cached.delete(tenantId);
    this.limitReads.forget((key) => key === tenantId);
    await this.budget.forget(tenantId);
  }

  /**
   * The tenant's effective limits for checks made on every prediction call (the rate, the size of
   * an `infer` answer), cached for {@link RATE_LIMIT_CACHE_MS} so such a call costs no database read.
   */
  async cachedLimits(tenantId: string): Promise<Limits> {
    const now = Date.now();
    const hit = this.cached.get(tenantId);
    if (hit && hit.until > now) return hit.limits;
    return this.limitReads.run(tenantId, async () => {
      const limits = await withTenant(this.prisma, tenantId, (tx) => this.limitsOf(tx, tenantId));
      if (this.cached.size >= 10_000) this.cached.clear();
      this.cached.set(tenantId, { limits, until: Date.now() + RATE_LIMIT_CACHE_MS });
      return limits;
    });
  }

  /**
   * The values one `infer` call of the tenant may answer (its `inferMaxOutputValues`, else
   * INFER_MAX_OUTPUT_VALUES), and whether the tenant's own limit sets it; cached as {@link cachedLimits}.
   */
  async outputLimit(tenantId: string): Promise<{ max: number; perTenant: boolean }> {
    const max = (await this.cachedLimits(tenantId)).inferMaxOutputValues;
    return { max, perTenant: max !== this.defaults.inferMaxOutputValues };
  }

  /**
   * The HTTP requests the tenant may have in progress at once on this process (its
   * `maxRequestsInFlight`, else TENANT_MAX_IN_FLIGHT), and whether the tenant's own limit sets it;
   * cached as {@link cachedLimits}: a known tenant's answer comes without an async step.
   * @returns the limit, or a promise of it when the tenant's limits must be read (never rejected:
   *   when they cannot be read, TENANT_MAX_IN_FLIGHT, so the cap never fails a request itself).
   */
  inFlightLimit(tenantId: string): InFlightLimit | Promise<InFlightLimit> {
    const hit = this.cached.get(tenantId);
    if (hit && hit.until > Date.now()) return (hit.inFlight ??= this.inFlightOf(hit.limits)); // one object per cached entry, not per request
    return this.cachedLimits(tenantId).then(
      (limits) => this.inFlightOf(limits),
      () => this.inFlightOf(this.defaults),
    );
  }

  private inFlightOf(limits: Limits): InFlightLimit {
    const max = limits.maxRequestsInFlight;
    return { max, perTenant: max !== this.defaults.maxRequestsInFlight };
  }

  /** The tenant's rows per minute, cached for {@link RATE_LIMIT_CACHE_MS}. */
  private async perMinute(tenantId: string): Promise<number> {
    return (await this.cachedLimits(tenantId)).predictionsPerMinute;
  }

  /** Serialises quota checks of one tenant until the transaction ends. */
  private lock(tx: Tx, tenantId: string) {
    return advisoryXactLock(tx, 'quota:' + tenantId);
  }

  /** What the tenant stores, read in `tx` (see {@link StorageUse}). */
  storageUse(tx: Tx, tenantId: string): Promise<StorageUse> {
    return readStorageUse(tx, tenantId, this.repos);
  }

  /**
   * Everything the tenant stores counts against one storage quota (`maxDatasetBytes`, config
   * QUOTA_DATASET_BYTES): datasets, model artifacts (trained and uploaded) and batch results, with
   * the batches in progress at their estimate (review F12). Checked before `addBytes` are stored
   * (an upload), under the tenant's quota lock.
   * @throws AppError QUOTA_EXCEEDED (`reason` STORAGE, `limit`, `used`) when `addBytes` more would pass it.
   */
  async checkDatasetBytes(tx: Tx, tenantId: string, addBytes: number): Promise<void> {
    await this.lock(tx, tenantId);
    const { maxDatasetBytes } = await this.limitsOf(tx, tenantId);
    const use = await this.storageUse(tx, tenantId);
    if (use.total + addBytes > maxDatasetBytes) throw storageExceeded(`Storing ${addBytes} more bytes`, use, maxDatasetBytes);
  }

  /**
   * Before a job that will store bytes is queued, under the tenant's quota lock: refused when
   * `expectBytes` (a batch's estimatedResultBytes) does not fit, or no byte is left (a run: its
   * artifact's size is known once trained, so runs in progress may pass the quota by one each).
   * @throws AppError QUOTA_EXCEEDED (`reason` STORAGE, `limit`, `used`).
   */
  async checkStorageRoom(tx: Tx, tenantId: string, what: string, expectBytes: number): Promise<void> {
    await this.lock(tx, tenantId);
    const { maxDatasetBytes } = await this.limitsOf(tx, tenantId);
    const use = await this.storageUse(tx, tenantId);
    if (use.total + Math.max(expectBytes, 1) > maxDatasetBytes) throw storageExceeded(what, use, maxDatasetBytes);
  }

  /**
   * The storage quota left for a RUNNING batch's result: the limit less everything else the tenant
   * stores (the batch's own estimate left out), which may be negative. Read without the quota lock:
   * the job's running check; {@link checkBatchResult} decides under it.
   */
  async batchResultRoom(tx: Tx, tenantId: string, batchId: string): Promise<{ room: number; use: StorageUse; limit: number }> {
    const { maxDatasetBytes: limit } = await this.limitsOf(tx, tenantId);
    const use = await readStorageUse(tx, tenantId, this.repos, batchId);
    return { room: limit - use.total, use, limit };
  }

  /**
   * Before a batch's result of `bytes` (both CSVs) is stored, under the tenant's quota lock (held
   * until `tx` ends, so the store in `tx` cannot race another upload): refused when it does not
   * fit beside everything else the tenant stores (the batch's own estimate left out).
   * @param what the refusal's subject, naming the sizes, e.g. "Storing this batch's result (…)".
   * @throws AppError QUOTA_EXCEEDED (`reason` STORAGE, `limit`, `used`).
   */
  async checkBatchResult(tx: Tx, tenantId: string, batchId: string, what: string, bytes: number): Promise<void> {
    await this.lock(tx, tenantId);
    const { room, use, limit } = await this.batchResultRoom(tx, tenantId, batchId);
    if (bytes > room) throw storageExceeded(what, use, limit);
  }

  /**
   * @returns how many runs the tenant already has QUEUED/RUNNING (for {@link fairPriority}).
   * @throws AppError QUOTA_EXCEEDED when the tenant already has the maximum of QUEUED/RUNNING runs.
   */
  async checkConcurrentRuns(tx: Tx, tenantId: string): Promise<number> {
    await this.lock(tx, tenantId);
    const { maxConcurrentRuns } = await this.limitsOf(tx, tenantId);
    const active = await this.repos.runs.countActive(tx, tenantId);
    if (active >= maxConcurrentRuns) {
      throw exceeded(`${active} training runs are already queued or running; the quota is ${maxConcurrentRuns} at once`);
    }
    return active;
  }

  /**
   * @returns how many batches the tenant already has QUEUED/RUNNING (for {@link fairPriority}).
   * @throws AppError QUOTA_EXCEEDED when the tenant already has the maximum of QUEUED/RUNNING batch predictions.
   */
  async checkConcurrentBatches(tx: Tx, tenantId: string): Promise<number> {
    await this.lock(tx, tenantId);
    const { maxConcurrentBatches } = await this.limitsOf(tx, tenantId);
    const active = await this.repos.batches.countActive(tx, tenantId);
    if (active >= maxConcurrentBatches) {
      throw exceeded(`${active} batch predictions are already queued or running; the quota is ${maxConcurrentBatches} at once`);
    }
    return active;
  }

  /**
   * Counts `rows` predictions against the tenant's per-minute budget.
   * @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds` when the budget is spent; without it
   *   when `rows` alone exceed a whole minute's budget (waiting would not help).
   */
  consumePredictions(tenantId: string, rows: number): Promise<void> {
    // The common call (limits cached, rows left in this process' block) spends them without an async step.
    const hit = this.cached.get(tenantId);
    if (hit && hit.until > Date.now() && rows <= hit.limits.predictionsPerMinute && this.budget.spendLocal(tenantId, rows)) return SPENT;
    return this.consumeAfterReading(tenantId, rows);
  }

  private async consumeAfterReading(tenantId: string, rows: number): Promise<void> {
    await this.budget.spend(tenantId, rows, await this.perMinute(tenantId));
  }

  /**
   * Refuses at once, without a database round trip, when this process found the tenant's
   * prediction budget spent within the current window: a route checks this before it reads and
   * parses a request's body, so a tenant past its rate limit costs little to refuse.
   * @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds`, as {@link consumePredictions}.
   */
  assertPredictionsLeft(tenantId: string): void {
    this.budget.assertLeft(tenantId);
  }
}

/** How many HTTP requests a tenant may have in progress at once on one process. */
export interface InFlightLimit {
  max: number;
  /** True when the tenant's own `maxRequestsInFlight` (setTenantLimits) sets it, false for TENANT_MAX_IN_FLIGHT. */
  perTenant: boolean;
}

/** What a consumption answered from the local block returns (settled: nothing to wait for). */
const SPENT: Promise<void> = Promise.resolve();
