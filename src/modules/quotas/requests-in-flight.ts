/**
 * Per-tenant cap on HTTP requests in progress on one API process (TENANT_MAX_IN_FLIGHT, or the
 * tenant's own `maxRequestsInFlight` set with setTenantLimits; issue 10: one tenant sending 8 to 32
 * large `infer` calls at once slowed every other tenant's requests, even those that score nothing,
 * because they all share the process' event loop). A request counts from the moment its credential
 * is known — before its body is read — until its answer has been written (or its connection
 * closed); past the cap it is refused at once, body unread.
 */
import { AppError } from '../../lib/errors';
import type { InFlightLimit } from './quota.service';

/** A function that counts a request out (idempotent). */
export type Release = () => void;

/**
 * Counts one more in progress for `key` in `held` (absent: none).
 * @returns the function that counts it out again (idempotent; the key goes with its last one).
 */
export function countIn(held: Map<string, number>, key: string): Release {
  held.set(key, (held.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(key) ?? 1) - 1;
    if (left > 0) held.set(key, left);
    else held.delete(key);
  };
}

export class RequestsInFlight {
  /** Per tenant, requests in progress now (absent: none). */
  private readonly held = new Map<string, number>();

  /** @param limits each tenant's cap (QuotaService: the tenant's limits, cached per process). */
  constructor(private readonly limits: { inFlightLimit(tenantId: string): InFlightLimit | Promise<InFlightLimit> }) {}

  /**
   * Counts a request of `tenantId` in, against the tenant's cap; without an async step when this
   * process holds the tenant's limits (read at most every RATE_LIMIT_CACHE_MS).
   * @returns the function that counts it out (call it when the answer is written or the connection
   *   closes), or a promise of it.
   * @throws (or rejects with) AppError QUOTA_EXCEEDED as {@link acquireWithin}.
   */
  acquire(tenantId: string): Release | Promise<Release> {
    const limit = this.limits.inFlightLimit(tenantId);
    return limit instanceof Promise ? limit.then((l) => this.acquireWithin(tenantId, l)) : this.acquireWithin(tenantId, limit);
  }

  /**
   * Counts a request of `tenantId` in.
   * @param limit the tenant's cap.
   * @returns the function that counts it out (idempotent).
   * @throws AppError QUOTA_EXCEEDED (`reason: 'IN_FLIGHT'`, `limit`, `retryAfterSeconds` 1) when the
   *   tenant already has `limit.max` requests in progress; the message names the limit's source
   *   (TENANT_MAX_IN_FLIGHT, or the tenant's maxRequestsInFlight).
   */
  acquireWithin(tenantId: string, limit: InFlightLimit): Release {
    const now = this.held.get(tenantId) ?? 0;
    const { max } = limit;
    if (now >= max) {
      const source = limit.perTenant ? `this tenant's limit, maxRequestsInFlight=${max}` : `TENANT_MAX_IN_FLIGHT=${max}`;
      throw new AppError('QUOTA_EXCEEDED', `This tenant already has ${now} requests in progress on this server, the most at once (${source}); retry when one has been answered`, {
        reason: 'IN_FLIGHT',
        limit: max,
        retryAfterSeconds: 1,
      });
    }
    return countIn(this.held, tenantId);
  }

  /** Requests of `tenantId` in progress now. */
  count(tenantId: string): number {
    return this.held.get(tenantId) ?? 0;
  }
}
