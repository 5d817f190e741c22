/**
 * Throttles what the admin secret guards: wrong X-Admin-Secret guesses per client address, and
 * tenant creations overall. Counted in PostgreSQL (rate-limiter-flexible, table "RateLimit", fixed
 * one-hour windows), so every API process shares the counts.
 *
 * Once an address has made ADMIN_FAILURES_PER_HOUR wrong guesses, every createTenant from it is
 * refused until the window ends, even with the right secret, so a guesser learns nothing from
 * further tries. (OWASP Authentication Cheat Sheet, "Protect Against Automated Attacks".)
 */
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from '../../lib/address-key';
import { AppError } from '../../lib/errors';

/** Limits, from config. */
export interface AdminThrottleLimits {
  /** Wrong X-Admin-Secret values accepted per client address per hour. */
  failuresPerHour: number;
  /** Tenants created per hour, all callers together. */
  tenantsPerHour: number;
}

const HOUR = 3600;

const limited = (message: string, msBeforeNext: number) => {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('QUOTA_EXCEEDED', `${message}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
};

export class AdminThrottle {
  private readonly failures: RateLimiterPostgres;
  private readonly creations: RateLimiterPostgres;

  constructor(
    readonly limits: AdminThrottleLimits,
    pool: pg.Pool,
  ) {
    const common = { storeClient: pool, tableName: 'RateLimit', tableCreated: true, duration: HOUR };
    this.failures = new RateLimiterPostgres({ ...common, keyPrefix: 'admin-fail', points: limits.failuresPerHour });
    this.creations = new RateLimiterPostgres({ ...common, keyPrefix: 'tenant-create', points: limits.tenantsPerHour });
  }

  /** @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds` when `address` has used up its wrong guesses. */
  async checkGuesses(address: string): Promise<void> {
    const res = await this.failures.get(addressKey(address));
    if (res && res.consumedPoints >= this.limits.failuresPerHour) {
      throw limited(`Too many wrong X-Admin-Secret values from this address (limit ${this.limits.failuresPerHour} per hour)`, res.msBeforeNext);
    }
  }

  /** Counts a wrong guess from `address` (never throws for the limit: checkGuesses refuses the next one). */
  async recordFailure(address: string): Promise<void> {
    await this.failures.consume(addressKey(address)).catch((res: unknown) => {
      if (!(res instanceof RateLimiterRes)) throw res;
    });
  }

  /** @throws AppError QUOTA_EXCEEDED with `retryAfterSeconds` when TENANTS_PER_HOUR tenants were created this hour. */
  async consumeCreation(): Promise<void> {
    try {
      await this.creations.consume('all');
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      throw limited(`The limit of ${this.limits.tenantsPerHour} new tenants per hour is reached`, res.msBeforeNext);
    }
  }

  /** Gives back a creation that did not happen (the name was refused or taken). */
  async refundCreation(): Promise<void> {
    await this.creations.reward('all', 1);
  }
}
