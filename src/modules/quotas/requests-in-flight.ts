/**
 * Per-tenant cap on HTTP requests in progress on one API process (TENANT_MAX_IN_FLIGHT, issue 10:
 * one tenant sending 8 to 32 large `infer` calls at once slowed every other tenant's requests,
 * even those that score nothing, because they all share the process' event loop). A request counts
 * from the moment its credential is known — before its body is read — until its answer has been
 * written (or its connection closed); past the cap it is refused at once, body unread.
 */
import { AppError } from '../../lib/errors';

export class RequestsInFlight {
  /** Per tenant, requests in progress now (absent: none). */
  private readonly held = new Map<string, number>();

  /** @param max requests one tenant may have in progress at once (TENANT_MAX_IN_FLIGHT). */
  constructor(readonly max: number) {}

  /**
   * Counts a request of `tenantId` in.
   * @returns the function that counts it out (idempotent: call it when the answer is written or the connection closes).
   * @throws AppError QUOTA_EXCEEDED (`reason: 'IN_FLIGHT'`, `limit`, `retryAfterSeconds` 1) when the
   *   tenant already has `max` requests in progress.
   */
  acquire(tenantId: string): () => void {
    const now = this.held.get(tenantId) ?? 0;
    if (now >= this.max) {
      throw new AppError(
        'QUOTA_EXCEEDED',
        `This tenant already has ${now} requests in progress on this server, the most at once (TENANT_MAX_IN_FLIGHT=${this.max}); retry when one has been answered`,
        { reason: 'IN_FLIGHT', limit: this.max, retryAfterSeconds: 1 },
      );
    }
    this.held.set(tenantId, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(tenantId) ?? 1) - 1;
      if (left > 0) this.held.set(tenantId, left);
      else this.held.delete(tenantId);
    };
  }

  /** Requests of `tenantId` in progress now. */
  count(tenantId: string): number {
    return this.held.get(tenantId) ?? 0;
  }
}
