/**
 * Fair dispatch of scoring calls across tenants (issue 10: one tenant can never degrade another's
 * serving). One FairQueue sits in front of one *lane* of a scoring shard (src/ml/serving/scoring-threads.ts):
 * calls wait in one queue per tenant, and a free slot takes the next call of the tenant that has
 * used the lane least: start-time fair queueing (Goyal, Vin and Cheng, "Start-time Fair Queueing",
 * SIGCOMM 1996) over the lane's *time*, not its calls. Each tenant holding calls has a virtual finish
 * time that grows by the duration of each of its calls (estimated when the call starts from the
 * tenant's recent calls, corrected when it ends); the next call is the one whose tenant's start tag
 * max(finish, V) is smallest, V being the start tag of the last call dispatched, ties to the tenant
 * served longest ago (a tenant with nothing waiting or running starts again at V, as if never served).
 * So with calls of equal length this is round robin, and one tenant's backlog never sits ahead of
 * another tenant's call; and a tenant whose calls take seconds (an ONNX model near
 * ONNX_INFER_TIMEOUT_MS) gets the lane for as long as each other tenant with calls waiting, not for
 * as many calls: another tenant's short calls wait for the one long call running at most, then all
 * go before its next. Each tenant may have at most `maxPerTenant` calls waiting or running in the
 * lane; past it the call is refused at once with QUOTA_EXCEEDED (`retryAfterSeconds`).
 *
 * A lane of several slots (the ONNX host lane with ONNX_HOSTS_PER_THREAD hosts) numbers them: a
 * call is told which slot it runs in (its host). `runningPerTenant` caps the slots one tenant's
 * calls hold at once: with it below the slots, a slot stays free of every single tenant, so one
 * tenant's long call never makes another tenant's call wait (issue 10: one ONNX call just under
 * ONNX_INFER_TIMEOUT_MS used to hold the shard's only host lane for its whole duration).
 *
 * Waiting calls carry tags (their version id and artifact checksum) so a version quarantined while
 * its calls wait fails them at once ({@link FairQueue.drop}), and {@link FairQueue.close} fails
 * every waiting call (shutdown).
 */
import { AppError } from '../../lib/errors';

/** What a waiting call is of (to drop the calls of a quarantined version or file). */
export interface CallTag {
  tenantId: string;
  versionId: string;
  /** The uploaded file's checksum (hex sha256; '' for a version trained here). */
  artifact: string;
}

interface Waiting {
  tag: CallTag;
  run: (slot: number) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export interface FairQueueStats {
  /** Calls running now. */
  running: number;
  /** Calls waiting now, all tenants. */
  waiting: number;
  /** Tenants with calls waiting. */
  tenants: number;
}

/** Weight of the newest call's duration in a tenant's estimate (exponential moving average). */
const ESTIMATE_WEIGHT = 0.5;

/** A tenant's standing in the lane while it holds calls: virtual ms. */
interface Account {
  /** Virtual time its calls so far end at. */
  finish: number;
  /** Expected duration of its next call, ms (moving average of its calls; 0 before the first ends). */
  estimate: number;
}

export class FairQueue {
  /** Per tenant, its waiting calls. */
  private readonly queues = new Map<string, Waiting[]>();
  /** Per tenant holding calls, its standing (see the file's comment). */
  private readonly accounts = new Map<string, Account>();
  /** Virtual time: the start tag of the last call dispatched. */
  private virtual = 0;
  /** Per tenant with calls held, when a call of it last started (a dispatch count): the smallest goes next. */
  private readonly lastServed = new Map<string, number>();
  private dispatched = 0;
  /** Per tenant, calls waiting or running (what `maxPerTenant` bounds). */
  private readonly held = new Map<string, number>();
  /** Per tenant, calls running (what `runningPerTenant` bounds). */
  private readonly runningOf = new Map<string, number>();
  /** Slots no call runs in now, lowest first. */
  private readonly free: number[];
  private running = 0;
  private closed?: () => AppError;

  /**
   * @param name the lane, for messages (e.g. 'scoring thread 0').
   * @param slots calls run at once (1: one after another).
   * @param maxPerTenant calls one tenant may have waiting or running here (SCORING_MAX_QUEUED_PER_TENANT).
   * @param now the clock calls are timed with, ms (tests). (Default: performance.now)
   * @param runningPerTenant slots one tenant's calls may hold at once. (Default: `slots`)
   */
  constructor(
    readonly name: string,
    private readonly slots: number,
    private readonly maxPerTenant: number,
    private readonly now: () => number = () => performance.now(),
    private readonly runningPerTenant = slots,
  ) {
    this.free = Array.from({ length: slots }, (_, i) => i);
  }

  /**
   * Runs `run` when its turn comes, with the number of the slot it runs in (0 … slots − 1).
   * @throws AppError QUOTA_EXCEEDED (`retryAfterSeconds`, `limit`) when the tenant already has
   *   `maxPerTenant` calls here; the error given to {@link drop} or {@link close} when dropped; as `run` throws.
   */
  submit<T>(tag: CallTag, run: (slot: number) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(this.closed());
    const held = this.held.get(tag.tenantId) ?? 0;
    if (held >= this.maxPerTenant)
      return Promise.reject(
        new AppError(
          'QUOTA_EXCEEDED',
          `Too many scoring calls of this tenant are waiting on ${this.name}: ${held}, the most is SCORING_MAX_QUEUED_PER_TENANT=${this.maxPerTenant}; retry in a second`,
          { limit: this.maxPerTenant, retryAfterSeconds: 1 },
        ),
      );
    this.held.set(tag.tenantId, held + 1);
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { tag, run, resolve: resolve as (v: unknown) => void, reject };
      const queue = this.queues.get(tag.tenantId);
      if (queue) queue.push(waiting);
      else this.queues.set(tag.tenantId, [waiting]);
      this.pump();
    });
  }

  /**
   * Fails the waiting calls `match` selects with `error(tag)` at once (they never run).
   * @returns how many were dropped.
   */
  drop(match: (tag: CallTag) => boolean, error: (tag: CallTag) => Error): number {
    let dropped = 0;
    for (const [tenantId, queue] of [...this.queues]) {
      const keep = queue.filter((w) => !match(w.tag));
      for (const w of queue) {
        if (keep.includes(w)) continue;
        dropped++;
        this.release(tenantId);
        w.reject(error(w.tag));
      }
      if (keep.length) this.queues.set(tenantId, keep);
      else this.queues.delete(tenantId);
    }
    return dropped;
  }

  /** Fails every waiting call, and every later one, with `error()`; running calls finish (or are ended by their owner). */
  close(error: () => AppError): void {
    this.closed = error;
    this.drop(() => true, error);
  }

  stats(): FairQueueStats {
    let waiting = 0;
    for (const q of this.queues.values()) waiting += q.length;
    return { running: this.running, waiting, tenants: this.queues.size };
  }

  private pump(): void {
    while (this.running < this.slots) {
      let tenantId: string | undefined;
      let best = Infinity;
      let oldest = Infinity;
      for (const id of this.queues.keys()) {
        if ((this.runningOf.get(id) ?? 0) >= this.runningPerTenant) continue; // holds its share of the slots: waits for one of its own
        const start = Math.max(this.accounts.get(id)?.finish ?? this.virtual, this.virtual);
        const served = this.lastServed.get(id) ?? -1;
        if (start < best || (start === best && served < oldest)) [tenantId, best, oldest] = [id, start, served];
      }
      if (tenantId === undefined) return;
      const queue = this.queues.get(tenantId)!;
      const call = queue.shift()!;
      if (!queue.length) this.queues.delete(tenantId);
      this.lastServed.set(tenantId, ++this.dispatched);
      const account = this.accounts.get(tenantId) ?? { finish: best, estimate: 0 };
      const charged = account.estimate;
      account.finish = best + charged;
      this.accounts.set(tenantId, account);
      this.virtual = best;
      this.running++;
      this.runningOf.set(tenantId, (this.runningOf.get(tenantId) ?? 0) + 1);
      const slot = this.free.shift()!;
      const startedAt = this.now();
      void (async () => {
        try {
          call.resolve(await call.run(slot));
        } catch (err) {
          call.reject(err);
        } finally {
          const took = Math.max(0, this.now() - startedAt);
          account.finish += took - charged; // what the call really took
          account.estimate = account.estimate === 0 ? took : (1 - ESTIMATE_WEIGHT) * account.estimate + ESTIMATE_WEIGHT * took;
          this.running--;
          const left = this.runningOf.get(tenantId)! - 1;
          if (left > 0) this.runningOf.set(tenantId, left);
          else this.runningOf.delete(tenantId);
          this.free.push(slot);
          this.free.sort((x, y) => x - y);
          this.release(tenantId);
          this.pump();
        }
      })();
    }
  }

  private release(tenantId: string): void {
    const left = (this.held.get(tenantId) ?? 1) - 1;
    if (left > 0) this.held.set(tenantId, left);
    else {
      this.held.delete(tenantId);
      this.lastServed.delete(tenantId); // nothing held: first again when it comes back, at V
      this.accounts.delete(tenantId);
    }
  }
}
