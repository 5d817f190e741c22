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

/**
 * Like {@link SingleFlight}, but a caller joins a call only while it has not begun its work: the
 * call says when it begins (`begin()`, e.g. just before its SELECT, after it waited for a
 * connection), and a caller arriving after that starts a new call. So every caller gets a result
 * read after it arrived — what a subscription needs that subscribes to changes first and then reads
 * the state, so no change falls between the two (issue 10, review F1: 5,000 subscriptions to one
 * model's stages, each its own read, all waiting for the same few connections).
 */
export class SharedUpcoming<T> {
  private readonly calls = new Map<string, Promise<T>>();

  /**
   * @param fn the work; it calls `begin()` at the point after which later callers must not share
   *   its result (before that, they join it).
   * @returns the result of the call for `key` that has not begun yet, or of `fn` started now. A
   *   rejection is shared too.
   */
  run(key: string, fn: (begin: () => void) => Promise<T>): Promise<T> {
    const pending = this.calls.get(key);
    if (pending) return pending;
    let begun = false;
    const begin = () => {
      if (begun) return;
      begun = true;
      if (this.calls.get(key) === call) this.calls.delete(key);
    };
    const call: Promise<T> = Promise.resolve()
      .then(() => fn(begin))
      .finally(begin);
    this.calls.set(key, call);
    return call;
  }
}
