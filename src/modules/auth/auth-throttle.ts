/**
 * Throttles failed authentications per client address: a bad API key, a bad or expired JWT, a wrong
 * METRICS_TOKEN. Counted in PostgreSQL (rate-limiter-flexible, table "RateLimit", fixed windows of
 * AUTH_FAILURE_WINDOW_SECONDS), so every API process shares the counts.
 *
 * Only failures count, and only failures are refused: once an address has failed
 * AUTH_FAILURES_PER_ADDRESS times in the window, each further failure from it is answered
 * QUOTA_EXCEEDED with `retryAfterSeconds` (instead of UNAUTHENTICATED, whose reason it no longer
 * tells), while a valid credential from the same address keeps working. Many clients share an
 * address (a company's NAT, a proxy), and locking them all out because one of them guesses would let
 * anyone deny service to a tenant; API keys (256 random bits) and signed JWTs cannot be guessed in
 * any number of tries, so letting the right one through teaches a guesser nothing.
 * (OWASP Authentication Cheat Sheet, "Protect Against Automated Attacks".)
 */
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { addressKey } from '../../lib/address-key';
import { AppError } from '../../lib/errors';

/** Limits, from config. */
export interface AuthThrottleLimits {
  /** Failed authentications per address and window (AUTH_FAILURES_PER_ADDRESS). */
  failures: number;
  /** The window, seconds (AUTH_FAILURE_WINDOW_SECONDS). */
  windowSeconds: number;
}

export class AuthThrottle {
  private readonly limiter: RateLimiterPostgres;

  constructor(
    readonly limits: AuthThrottleLimits,
    pool: pg.Pool,
  ) {
    this.limiter = new RateLimiterPostgres({
      storeClient: pool,
      tableName: 'RateLimit',
      tableCreated: true, // created by the migrations
      keyPrefix: 'auth-fail',
      points: limits.failures,
      duration: limits.windowSeconds,
    });
  }

  /**
   * Counts a failed authentication from `address` (an IPv6 address counts under its /64: {@link addressKey}).
   * @returns the QUOTA_EXCEEDED error (with `retryAfterSeconds`) to answer instead of the failure
   *   once the address is past its limit; undefined while it is within it.
   */
  async failed(address: string): Promise<AppError | undefined> {
    let res: RateLimiterRes;
    try {
      res = await this.limiter.consume(addressKey(address));
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      res = refused;
    }
    if (res.consumedPoints <= this.limits.failures) return undefined;
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new AppError(
      'QUOTA_EXCEEDED',
      `Too many failed authentications from this address (limit ${this.limits.failures} per ${this.limits.windowSeconds} s); retry in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}
