/**
 * Turns of the event loop for bulk per-row work on the API's main thread (issue 10: one tenant
 * can never slow down another). A request that reads or answers thousands of rows does it in
 * slices; before each slice after the first it waits for a turn. Turns are handed out one per
 * event-loop iteration (setImmediate, after pending I/O), round-robin across keys (tenants), so
 * between two slices every other request gets the loop, and a tenant with twenty bulk calls in
 * flight gets one slice per round like a tenant with one.
 */

/** Rows per slice of bulk per-row work between turns: a few ms of work at most. */
export const SLICE_ROWS = 256;

/** Round-robin turns across keys, one per event-loop iteration. */
export class FairTurns {
  /** Waiting turns per key, in key arrival order (a Map keeps insertion order: the round). */
  private readonly waiting = new Map<string, (() => void)[]>();
  private scheduled = false;

  /** How many turns are waiting, over all keys. */
  get size(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  /**
   * @param key whose turn (a tenant id).
   * @returns a promise that resolves at `key`'s turn: never in the same event-loop iteration.
   */
  turn(key: string): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push(resolve);
      else this.waiting.set(key, [resolve]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.next());
  }

  /** Gives the first key in the round one turn, and moves it to the end of the round. */
  private next(): void {
    this.scheduled = false;
    const first = this.waiting.entries().next();
    if (first.done) return;
    const [key, queue] = first.value;
    this.waiting.delete(key);
    const resolve = queue.shift()!;
    if (queue.length > 0) this.waiting.set(key, queue);
    if (this.waiting.size > 0) this.schedule();
    resolve();
  }
}

/** The process' turns: the main thread's event loop is one per process. */
export const mainTurns = new FairTurns();

/**
 * Items for a GraphQL list field whose per-item completion is costly (an object per row): the first
 * {@link SLICE_ROWS} as they are, each further slice as promises released at one turn of `key`.
 * graphql-js completes a promised item when it settles, so each slice is completed in one burst
 * at its turn, with the event loop free between bursts. The answer is the same list, in order.
 * @param items the list; returned as it is when at most `slice` long.
 */
export function inTurns<T>(items: T[], key: string, slice = SLICE_ROWS, turns = mainTurns): (T | Promise<T>)[] {
  if (items.length <= slice) return items;
  const out: (T | Promise<T>)[] = items.slice(0, slice);
  for (let from = slice; from < items.length; from += slice) {
    const turn = turns.turn(key);
    for (let i = from; i < Math.min(items.length, from + slice); i++) out.push(turn.then(() => items[i]));
  }
  return out;
}
