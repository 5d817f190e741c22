/**
 * The per-minute prediction budget of each tenant, counted in PostgreSQL (rate-limiter-flexible,
 * table "RateLimit", fixed 60 s windows) and shared by every API process. QuotaService decides the
 * limit (a tenant's `predictionsPerMinute`, cached) and calls this to spend rows.
 *
 * Predictions are counted in blocks: a process reserves `block` rows of the tenant's budget at once
 * and spends them locally, so single-row predicts do not pay a database round trip each. A process
 * holds at most one unspent block per tenant and window, so the limit is exact to within `block`
 * rows per API process (block = the tenant's limit / 1000, at least 1).
 */
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../lib/errors';

/** Rows of a reserved block not yet spent, in the window that ends at `until` (ms since the epoch). */
interface LocalBudget {
  remaining: number;
  until: number;
}

/** Tenants whose spent prediction budget one process remembers (see {@link PredictionBudget.assertLeft}). */
const MAX_SPENT_REMEMBERED = 10_000;

/** Spends tenants' prediction rows against their per-minute limits. */
export class PredictionBudget {
  /** One limiter per distinct per-minute limit; all share the key prefix, so a tenant's count survives a change of its limit. */
  private readonly limiters = new Map<number, RateLimiterPostgres>();
  private readonly budgets = new Map<string, LocalBudget>();
  /**
   * Per tenant whose prediction budget this process found spent: until when (ms since 1970) and the
   * limit, so a route can refuse before it reads a request's body ({@link assertLeft}).
   * At most {@link MAX_SPENT_REMEMBERED} tenants, oldest forgotten first.
   */
  private readonly spent = new Map<string, { until: number; perMinute: number }>();
  /**
   * Block reservations in flight per tenant: a call that finds the local budget short waits for the
   * one in flight instead of reserving a block of its own (64 concurrent calls used to reserve 64
   * blocks at once, and all but one block's spare rows were lost: counted, never spent).
   */
  private readonly reservations = new Map<string, Promise<unknown>>();

  /**
   * @param pool the database the counts live in.
   * @param defaultPerMinute QUOTA_PREDICTIONS_PER_MINUTE: the limiter that gives back a forgotten block.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly defaultPerMinute: number,
  ) {}

  /** Takes `rows` from the process' reserved block when it holds enough in the current window. */
  spendLocal(tenantId: string, rows: number): boolean {
    const local = this.budgets.get(tenantId);
    if (!local || local.until <= Date.now() || local.remaining < rows) return false;
    local.remaining -= rows;
    return true;
  }

  /**
   * Spends `rows` of the tenant's `perMinute` budget: from the local block, else from a block
   * reserved in PostgreSQL (one reservation per tenant at a time; the others wait for it).
   * @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds` when the budget is spent; without it
   *   when `rows` alone exceed a whole minute's budget (waiting would not help).
   */
  async spend(tenantId: string, rows: number, perMinute: number): Promise<void> {
    if (rows > perMinute) {
      throw exceeded(
        `This call needs ${rows} predictions (rows, or model evaluations for explain), more than the rate limit of ${perMinute} per minute allows at all: send fewer rows`,
      );
    }
    for (;;) {
      if (this.spendLocal(tenantId, rows)) return;
      const inFlight = this.reservations.get(tenantId);
      if (!inFlight) break;
      await inFlight.catch(() => undefined);
    }
    const reservation = this.reserve(tenantId, rows, perMinute);
    this.reservations.set(tenantId, reservation);
    try {
      await reservation;
    } finally {
      if (this.reservations.get(tenantId) === reservation) this.reservations.delete(tenantId);
    }
  }

  /**
   * Refuses at once, without a database round trip, when this process found the tenant's
   * prediction budget spent within the current window.
   * @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds`, as {@link spend}.
   */
  assertLeft(tenantId: string): void {
    const known = this.spent.get(tenantId);
    if (!known) return;
    const left = known.until - Date.now();
    if (left <= 0) return void this.spent.delete(tenantId);
    throw spentError(known.perMinute, left);
  }

  /** Forgets what this process knows of the tenant's budget and gives back its block's unspent rows. */
  async forget(tenantId: string): Promise<void> {
    this.spent.delete(tenantId);
    const local = this.budgets.get(tenantId);
    this.budgets.delete(tenantId);
    if (local && local.remaining > 0 && local.until > Date.now()) await this.limiter(this.defaultPerMinute).reward(tenantId, local.remaining);
  }

  private limiter(points: number): RateLimiterPostgres {
    let limiter = this.limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterPostgres({
        storeClient: this.pool,
        tableName: 'RateLimit',
        tableCreated: true, // created by the migrations
        keyPrefix: 'predict',
        points,
        duration: 60,
        clearExpiredByTimeout: this.limiters.size === 0, // one sweeper is enough
      });
      this.limiters.set(points, limiter);
    }
    return limiter;
  }

  /** Reserves a block in PostgreSQL and spends `rows` of it. @throws AppError QUOTA_EXCEEDED as {@link spend}. */
  private async reserve(tenantId: string, rows: number, perMinute: number): Promise<void> {
    const now = Date.now();
    const limiter = this.limiter(perMinute);
    const reserve = Math.max(rows, Math.max(1, Math.floor(perMinute / 1000)));
    let outcome = await this.take(limiter, tenantId, reserve);
    // Near the limit a whole block may not fit while the rows alone do.
    if (!outcome.ok && reserve > rows) outcome = await this.take(limiter, tenantId, rows);
    if (outcome.ok) {
      this.spent.delete(tenantId);
      const spare = outcome.taken - rows;
      this.budgets.set(tenantId, { remaining: spare, until: now + outcome.res.msBeforeNext });
      return;
    }
    if (this.spent.size >= MAX_SPENT_REMEMBERED) this.spent.delete(this.spent.keys().next().value!);
    this.spent.set(tenantId, { until: now + outcome.res.msBeforeNext, perMinute });
    throw spentError(perMinute, outcome.res.msBeforeNext);
  }

  /** Consumes `n` points; a refused consumption is given back, so refused requests do not count. */
  private async take(limiter: RateLimiterPostgres, tenantId: string, n: number): Promise<{ ok: boolean; taken: number; res: RateLimiterRes }> {
    try {
      return { ok: true, taken: n, res: await limiter.consume(tenantId, n) };
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      await limiter.reward(tenantId, n);
      return { ok: false, taken: 0, res };
    }
  }
}

/** QUOTA_EXCEEDED without a retry time, or with one. */
export const exceeded = (message: string, retryAfterSeconds?: number) =>
  new AppError('QUOTA_EXCEEDED', message, retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined);

/** QUOTA_EXCEEDED for a spent prediction budget, `msLeft` before the window turns. */
function spentError(perMinute: number, msLeft: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msLeft / 1000));
  return exceeded(`The prediction rate limit of ${perMinute} rows per minute is reached; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
}
