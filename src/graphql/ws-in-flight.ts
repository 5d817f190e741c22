/**
 * Websocket operations count against the same per-tenant cap as HTTP requests in progress
 * (TENANT_MAX_IN_FLIGHT, or the tenant's `maxRequestsInFlight`; src/modules/quotas/requests-in-flight.ts)
 * while they are being set up (issue 10, review F1: one tenant's 5,000 subscribes within its socket
 * caps each read the database before their first event, held the whole pool, and every tenant's
 * requests waited 23–41 s). An operation counts from the moment it is admitted (graphql-ws'
 * `onSubscribe`, after parsing, validation and the cost check) until its set-up ends:
 * - a subscription until its source stream exists (the subscribe resolver's reads are done, or
 *   failed), not while it then waits for events;
 * - a query or mutation until its result is computed.
 * Past the cap the operation is refused on its own id with QUOTA_EXCEEDED (`reason` `IN_FLIGHT`,
 * `limit`, `retryAfterSeconds`), as HTTP refuses a request; the socket and its other operations stay.
 */
import type { ExecutionArgs } from 'graphql';
import type { Release, RequestsInFlight } from '../modules/quotas/requests-in-flight';

/** What counts an operation out, by the execution arguments graphql-ws passes on from onSubscribe. */
export class WsInFlight {
  private readonly releases = new WeakMap<object, Release>();

  constructor(private readonly inFlight: RequestsInFlight) {}

  /**
   * Counts one operation of `tenantId` in (before it is parsed, so a tenant at its cap costs no
   * parsing or validation); hand the release to {@link WsInFlight.hold} with the operation's
   * arguments, or call it when the operation is refused.
   * @throws (or rejects with) AppError QUOTA_EXCEEDED (`reason` IN_FLIGHT) when the tenant is at its cap.
   */
  acquire(tenantId: string): Release | Promise<Release> {
    return this.inFlight.acquire(tenantId);
  }

  /** Counts the operation out when the `subscribe` or `execute` given `args` settles (see {@link WsInFlight.during}). */
  hold(args: object, release: Release): void {
    this.releases.set(args, release);
  }

  /**
   * Wraps graphql-ws' `subscribe` or `execute`: the operation admitted with these arguments is
   * counted out when `run` settles (for a subscription: when its stream is set up, not when it ends).
   */
  during<R>(run: (args: ExecutionArgs) => Promise<R> | R): (args: ExecutionArgs) => Promise<R> {
    return async (args) => {
      try {
        return await run(args);
      } finally {
        this.releases.get(args)?.();
        this.releases.delete(args);
      }
    };
  }
}
