/**
 * Each tenant's share of a process' database connections (src/lib/tenant-db-gate.ts), without a
 * database: the order in which waiting transactions are admitted (round-robin across tenants, in
 * arrival order within one), the bound on one tenant, and the refusal past a wait's bound; and
 * the two settings' defaults and checks (src/config/database.ts).
 */
import { loadConfig } from '../../src/config';
import { AppError } from '../../src/lib/errors';
import { TenantDbGate, type GateSlot } from '../../src/lib/tenant-db-gate';

/** Long enough never to fire in these tests (a refusal is tested with its own short bound). */
const NEVER = 60_000;

/** Resolves once the promise callbacks already due have run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** Takes a place synchronously, failing when the gate made it wait. */
function now(gate: TenantDbGate, tenantId: string): GateSlot {
  const slot = gate.acquire(tenantId, NEVER);
  if (slot instanceof Promise) throw new Error(`${tenantId} had to wait`);
  return slot;
}

it('admits waiting transactions round-robin across tenants, in arrival order within one', async () => {
  const gate = new TenantDbGate(2, 2);
  const first = [now(gate, 'A'), now(gate, 'A')];
  // Tenant A queues three more before B and C queue two each: A must not take every freed place.
  const names = ['A3', 'A4', 'A5', 'B1', 'B2', 'C1', 'C2'];
  const order: string[] = [];
  const held = new Map<string, GateSlot>();
  for (const name of names) {
    void (gate.acquire(name[0]!, NEVER) as Promise<GateSlot>).then((slot) => {
      order.push(name);
      held.set(name, slot);
    });
  }
  expect([gate.waiting(), gate.waiting('A'), gate.waiting('B'), gate.holding('A')]).toEqual([7, 3, 2, 2]);
  for (const slot of first) slot.release();
  await settled();
  expect(order).toEqual(['A3', 'B1']);
  // From here one place frees at a time: the transaction admitted longest ago ends.
  while (held.size) {
    const oldest = order.find((name) => held.has(name))!;
    held.get(oldest)!.release();
    held.delete(oldest);
    await settled();
  }
  expect(order).toEqual(['A3', 'B1', 'C1', 'A4', 'B2', 'C2', 'A5']);
  expect([gate.waiting(), gate.holding('A'), gate.holding('B'), gate.holding('C')]).toEqual([0, 0, 0, 0]);
});

it('holds one tenant to its share while another starts at once, and admits the tenant as its places free', async () => {
  const gate = new TenantDbGate(4, 2);
  const a = [now(gate, 'A'), now(gate, 'A')];
  let extra: GateSlot | undefined;
  const waiting = (gate.acquire('A', NEVER) as Promise<GateSlot>).then((s) => (extra = s));
  // B starts at once although A waits: the pool has room, and B is under its share.
  const b = now(gate, 'B');
  await settled();
  expect([extra, gate.waiting('A'), gate.holding('A'), gate.holding('B')]).toEqual([undefined, 1, 2, 1]);
  a[0]!.release();
  a[0]!.release(); // idempotent: frees one place, not two
  await waiting;
  expect([gate.holding('A'), gate.waiting()]).toEqual([2, 0]);
  for (const s of [a[1]!, extra!, b]) s.release();
  expect([gate.holding('A'), gate.holding('B')]).toEqual([0, 0]);
});

it('refuses a wait past its bound with QUOTA_EXCEEDED (DB_CONNECTIONS), naming the share or the pool, and tells the observer', async () => {
  const gate = new TenantDbGate(3, 2);
  const seen = { waited: 0, timedOut: 0 };
  gate.observe({ waited: () => seen.waited++, timedOut: () => seen.timedOut++ });
  const a = [now(gate, 'A'), now(gate, 'A')];
  const share = await Promise.resolve(gate.acquire('A', 5)).catch((e: unknown) => e);
  expect(share).toBeInstanceOf(AppError);
  expect([(share as AppError).code, (share as AppError).message, (share as AppError).details]).toEqual([
    'QUOTA_EXCEEDED',
    'No database connection within 5 ms: this tenant already has 2 database transactions in progress on this server, the most at once (TENANT_MAX_DB_CONNECTIONS=2); retry when one has ended',
    { reason: 'DB_CONNECTIONS', limit: 2, retryAfterSeconds: 1 },
  ]);
  const b = now(gate, 'B');
  // The pool is full (3 of 3): C, under its share, is refused naming the pool.
  const pool = await Promise.resolve(gate.acquire('C', 5)).catch((e: unknown) => e);
  expect((pool as AppError).message).toBe(
    'No database connection within 5 ms: all 3 database connections of this server were in use (DATABASE_POOL_SIZE=3); retry when one has ended',
  );
  expect([seen, gate.waiting()]).toEqual([{ waited: 2, timedOut: 2 }, 0]);
  // A refused waiter left no trace: the next place goes to the next transaction that asks.
  for (const s of [...a, b]) s.release();
  now(gate, 'C').release();
});

it('refuses a share outside 1 to the capacity', () => {
  expect(() => new TenantDbGate(4, 5)).toThrow('perTenant=5 must be 1 to capacity=4');
  expect(() => new TenantDbGate(4, 0)).toThrow(RangeError);
});

describe('DATABASE_POOL_SIZE and TENANT_MAX_DB_CONNECTIONS', () => {
  const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', NODE_ENV: 'test' };
  const of = (env: Record<string, string>) => {
    const c = loadConfig({ ...base, ...env });
    return [c.DATABASE_POOL_SIZE, c.TENANT_MAX_DB_CONNECTIONS];
  };

  it('default to a pool of 10 and half of the pool per tenant (at least 1)', () => {
    expect([of({}), of({ DATABASE_POOL_SIZE: '25' }), of({ DATABASE_POOL_SIZE: '1' }), of({ DATABASE_POOL_SIZE: '3', TENANT_MAX_DB_CONNECTIONS: '3' })]).toEqual([
      [10, 5],
      [25, 12],
      [1, 1],
      [3, 3],
    ]);
  });

  it('refuse a share above the pool, or a value that is not a whole number from 1, naming the variable', () => {
    expect(() => of({ TENANT_MAX_DB_CONNECTIONS: '11' })).toThrow(
      'Invalid configuration: TENANT_MAX_DB_CONNECTIONS=11 is above DATABASE_POOL_SIZE=10: a tenant cannot hold more connections than the pool has',
    );
    expect(() => of({ TENANT_MAX_DB_CONNECTIONS: '0' })).toThrow(/TENANT_MAX_DB_CONNECTIONS="0"/);
    expect(() => of({ DATABASE_POOL_SIZE: '2.5' })).toThrow(/DATABASE_POOL_SIZE="2.5"/);
  });
});
