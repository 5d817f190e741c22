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
   * Counts one operation of `tenantId` in, to be counted out when `args` has been set up (see {@link WsInFlight.during}).
   * @returns `args`, or a promise of it.
   * @throws (or rejects with) AppError QUOTA_EXCEEDED (`reason` IN_FLIGHT) when the tenant is at its cap.
   */
  admit<A extends object>(tenantId: string, args: A): A | Promise<A> {
    const release = this.inFlight.acquire(tenantId);
    if (release instanceof Promise) return release.then((r) => (this.releases.set(args, r), args));
    this.releases.set(args, release);
    return args;
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
