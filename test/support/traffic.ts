/**
 * Requests kept going in rounds while a test changes something under them (moves an alias,
 * deletes a version). The test awaits the traffic's own progress — "a round that started after
 * the change has been answered" — instead of sleeping and hoping some requests ran meanwhile.
 */

export interface Traffic<T> {
  /**
   * Resolves with the result of the first round that starts after this call and passes `test`
   * (any round when omitted).
   * @throws the error of a round that threw (an assertion inside it), or an Error when no such
   *   round has finished within `timeoutMs` (a guard against hanging, not a wait). (Default: 10,000)
   */
  round(test?: (result: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Lets the round in flight finish, then resolves with every round's result, in order. @throws as round(). */
  stop(): Promise<T[]>;
}

/** Starts calling `round` again and again, one round at a time, until `stop()`. */
export function startTraffic<T>(round: () => Promise<T>): Traffic<T> {
  let running = true;
  let started = 0;
  let failure: { error: unknown } | undefined;
  const results: T[] = [];
  const waiters = new Set<{ from: number; test: (result: T) => boolean; resolve: (result: T) => void; reject: (error: unknown) => void }>();

  const loop = (async () => {
    while (running) {
      const index = started++;
      let result: T;
      try {
        result = await round();
      } catch (error) {
        failure = { error };
        for (const w of waiters) w.reject(error);
        waiters.clear();
        throw error;
      }
      results.push(result);
      for (const w of waiters) {
        if (index >= w.from && w.test(result)) {
          waiters.delete(w);
          w.resolve(result);
        }
      }
    }
    return results;
  })();
  loop.catch(() => undefined); // surfaced by round() and stop()

  return {
    round(test = () => true, timeoutMs = 10_000) {
      if (failure) return Promise.reject(failure.error);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`traffic: no round started after the change matched within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          from: started,
          test,
          resolve: (result: T) => (clearTimeout(timer), resolve(result)),
          reject: (error: unknown) => (clearTimeout(timer), reject(error)),
        };
        waiters.add(waiter);
      });
    },
    stop() {
      running = false;
      return loop;
    },
  };
}
