/**
 * Concurrent callers asking for the same key share one call ("single flight", as Go's
 * golang.org/x/sync/singleflight): when a per-process cache entry expires under load, the 64
 * requests in flight would otherwise each read the database (bench/v2.ts measured 64 reads of a
 * tenant's limits every 2 s, ~18 % of the API's CPU at concurrency 64). Own code rather than
 * promise-coalesce: its map is process-global, and the version resolver must drop a call in flight
 * when a change notification arrives ({@link SingleFlight.forget}).
 */

/** The calls in flight, by key. */
export class SingleFlight<T> {
  private readonly calls = new Map<string, Promise<T>>();

  /**
   * @returns the result of the call in flight for `key`, or of `fn()` started now (and shared until
   *   it settles). A rejection is shared too; the next call after it starts afresh.
   */
  run(key: string, fn: () => Promise<T>): Promise<T> {
    const pending = this.calls.get(key);
    if (pending) return pending;
    const call = fn().finally(() => {
      if (this.calls.get(key) === call) this.calls.delete(key);
    });
    this.calls.set(key, call);
    return call;
  }

  /** Forgets the calls in flight whose key `drop` selects: later callers start a new call. */
  forget(drop: (key: string) => boolean): void {
    for (const key of this.calls.keys()) if (drop(key)) this.calls.delete(key);
  }
}
