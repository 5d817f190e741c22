/**
 * The per-tenant share of one process' database connections (issue 10: one tenant with many slow
 * transactions in flight held every connection of the pool, and every other tenant waited).
 * Every tenant transaction ({@link withTenant} in tenant-tx.ts) takes a place here before it asks
 * the pool for a connection, and gives it back when it ends:
 * - one tenant holds at most `perTenant` places at once (TENANT_MAX_DB_CONNECTIONS), so the rest of
 *   the pool stays for the others;
 * - all tenants together hold at most `capacity` (the pool's size, DATABASE_POOL_SIZE), so the
 *   waiting happens here, where it is fair, and not in the pool's single first-come queue;
 * - a transaction that cannot start waits: tenants with waiters are served round-robin (a tenant
 *   served goes to the back of the ring), each tenant's own waiters in arrival order;
 * - a wait is bounded (the transaction's `maxWait`): past it the call fails with QUOTA_EXCEEDED.
 * Counts are per process and carry no tenant label out (see {@link TenantDbGate.observe}).
 */
import { AppError } from './errors';

/** A place held by one transaction of `tenantId`. */
export interface GateSlot {
  readonly tenantId: string;
  /** True once {@link GateSlot.release} was called. */
  readonly released: boolean;
  /** Gives the place back (idempotent); the next waiter, if any, is admitted. */
  release(): void;
}

interface Waiter {
  resolve(slot: GateSlot): void;
  timer: NodeJS.Timeout;
}

/** What the gate reports as it works, for metrics (no tenant in either). */
export interface GateObserver {
  /** A transaction had to wait for a place. */
  waited?(): void;
  /** A transaction waited its whole `maxWait` and was refused. */
  timedOut?(): void;
}

export class TenantDbGate {
  /** Per tenant, places held now (absent: none). */
  private readonly held = new Map<string, number>();
  /** Places held now, all tenants. */
  private total = 0;
  /** Per tenant with waiters, its waiters in arrival order; the map's order is the round-robin ring. */
  private readonly queues = new Map<string, Waiter[]>();
  private observer: GateObserver = {};

  /**
   * @param capacity places for all tenants together (the pool's size), at least 1.
   * @param perTenant places one tenant may hold at once, 1 to `capacity`.
   */
  constructor(
    readonly capacity: number,
    readonly perTenant: number,
  ) {
    if (!(perTenant >= 1 && perTenant <= capacity)) throw new RangeError(`perTenant=${perTenant} must be 1 to capacity=${capacity}`);
  }

  /** Sets the functions told of waits and refusals (replacing earlier ones). */
  observe(observer: GateObserver): void {
    this.observer = observer;
  }

  /**
   * Takes a place for one transaction of `tenantId`: at once when the tenant is under its share
   * and the pool has room, else after waiting its turn.
   * @param maxWaitMs longest wait, ms.
   * @returns the place (release it when the transaction ends), or a promise of it.
   * @throws (rejects with) AppError QUOTA_EXCEEDED (`reason` DB_CONNECTIONS, `limit` the
   *   per-tenant share, `retryAfterSeconds` 1) when no place came within `maxWaitMs`; the message
   *   says whether the tenant's share (TENANT_MAX_DB_CONNECTIONS) or the whole pool was in use.
   */
  acquire(tenantId: string, maxWaitMs: number): GateSlot | Promise<GateSlot> {
    if (!this.queues.has(tenantId) && this.canStart(tenantId)) return this.admit(tenantId);
    this.observer.waited?.();
    return new Promise<GateSlot>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.drop(tenantId, waiter);
          this.observer.timedOut?.();
          reject(this.refusal(tenantId, maxWaitMs));
        }, maxWaitMs),
      };
      const queue = this.queues.get(tenantId);
      if (queue) queue.push(waiter);
      else this.queues.set(tenantId, [waiter]);
    });
  }

  /** Places `tenantId` holds now. */
  holding(tenantId: string): number {
    return this.held.get(tenantId) ?? 0;
  }

  /** Transactions waiting now: of `tenantId`, or of all tenants when it is omitted. */
  waiting(tenantId?: string): number {
    if (tenantId !== undefined) return this.queues.get(tenantId)?.length ?? 0;
    let n = 0;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

  private canStart(tenantId: string): boolean {
    return this.total < this.capacity && this.holding(tenantId) < this.perTenant;
  }

  private admit(tenantId: string): GateSlot {
    this.total++;
    this.held.set(tenantId, this.holding(tenantId) + 1);
    const slot = {
      tenantId,
      released: false,
      release: () => {
        if (slot.released) return;
        slot.released = true;
        this.total--;
        const left = this.holding(tenantId) - 1;
        if (left > 0) this.held.set(tenantId, left);
        else this.held.delete(tenantId);
        this.dispatch();
      },
    };
    return slot;
  }

  /** Admits waiters while places are free: the first tenant in the ring under its share, which then goes to the back. */
  private dispatch(): void {
    let admitted = true;
    while (admitted && this.total < this.capacity) {
      admitted = false;
      for (const [tenantId, queue] of this.queues) {
        if (this.holding(tenantId) >= this.perTenant) continue;
        const waiter = queue.shift()!;
        this.queues.delete(tenantId);
        if (queue.length) this.queues.set(tenantId, queue);
        clearTimeout(waiter.timer);
        waiter.resolve(this.admit(tenantId));
        admitted = true;
        break;
      }
    }
  }

  private drop(tenantId: string, waiter: Waiter): void {
    const queue = this.queues.get(tenantId);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at >= 0) queue.splice(at, 1);
    if (!queue.length) this.queues.delete(tenantId);
  }

  private refusal(tenantId: string, maxWaitMs: number): AppError {
    const held = this.holding(tenantId);
    const why =
      held >= this.perTenant
        ? `this tenant already has ${held} database transactions in progress on this server, the most at once (TENANT_MAX_DB_CONNECTIONS=${this.perTenant})`
        : `all ${this.capacity} database connections of this server were in use (DATABASE_POOL_SIZE=${this.capacity})`;
    return new AppError('QUOTA_EXCEEDED', `No database connection within ${maxWaitMs} ms: ${why}; retry when one has ended`, {
      reason: 'DB_CONNECTIONS',
      limit: this.perTenant,
      retryAfterSeconds: 1,
    });
  }
}

/**
 * Each Prisma client's gate, keyed by the client (typed `object` here so this module does not import
 * db.ts, which imports it): set where the client is made (db.ts createPrisma), read by `withTenant`.
 */
const gates = new WeakMap<object, TenantDbGate>();

/** Puts every `withTenant` (tenant-tx.ts) on `prisma` behind `gate`: each tenant's share of its pool's connections. */
export function gateTransactions(prisma: object, gate: TenantDbGate): void {
  gates.set(prisma, gate);
}

/** The gate of `prisma`'s tenant transactions, if one was set. */
export function gateOf(prisma: object): TenantDbGate | undefined {
  return gates.get(prisma);
}
