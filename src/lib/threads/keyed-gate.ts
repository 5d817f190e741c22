/**
 * At most `max` tasks in flight per key (e.g. per tenant) in this process: a share of a pool that
 * every key uses, so one key cannot take all of it.
 */

/** Counts tasks in flight per key. */
export class KeyedGate {
  private readonly inFlight = new Map<string, number>();

  /** @param max tasks one key may have in flight at once. */
  constructor(readonly max: number) {}

  /**
   * Runs `fn` when `key` has fewer than `max` tasks in flight.
   * @param refuse builds the error thrown (at once, without running `fn`) otherwise; gets the count in flight.
   */
  async run<T>(key: string, fn: () => Promise<T>, refuse: (inFlight: number) => Error): Promise<T> {
    const n = this.inFlight.get(key) ?? 0;
    if (n >= this.max) throw refuse(n);
    this.inFlight.set(key, n + 1);
    try {
      return await fn();
    } finally {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    }
  }
}
