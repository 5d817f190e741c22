/**
 * Tenant-scoped transactions. Every repository call that reads or writes tenant data runs inside
 * one, so the tenant is both in each `where` clause (repos) and enforced by PostgreSQL row-level
 * security: the transaction runs as role `maas_tenant` with `app.tenant_id` set (see the
 * 20261130000000_security migration).
 */
import type { Db } from './db';
import { gateOf } from './tenant-db-gate';

/** The transaction client Prisma passes to interactive transactions. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * Runs `fn` in a transaction bound to `tenantId`. Commits when `fn` resolves, rolls back when it throws.
 * The transaction first takes a place of the tenant's share of the pool (TENANT_MAX_DB_CONNECTIONS,
 * tenant-db-gate.ts), waiting at most `maxWait` for it. Do not call `withTenant` from inside `fn`
 * (no code does; pass `tx` down instead): a nested call takes a place of its own, and when the
 * tenant's share is full it waits for its own outer call and is refused after `maxWait`. (Telling a
 * nested call apart would need AsyncLocalStorage, whose promise hooks cost the API's event loop
 * ~2 % of its CPU on every request.)
 * @throws AppError QUOTA_EXCEEDED (`reason` DB_CONNECTIONS) when no place came within `maxWait`.
 */
export async function withTenant<T>(prisma: Db, tenantId: string, fn: (tx: Tx) => Promise<T>, options?: TxOptions): Promise<T> {
  const txOptions = { ...DEFAULT_TX, ...options };
  const gate = gateOf(prisma);
  if (!gate) return transaction(prisma, tenantId, fn, txOptions);
  const slot = await gate.acquire(tenantId, txOptions.maxWait!);
  try {
    return await transaction(prisma, tenantId, fn, txOptions);
  } finally {
    slot.release();
  }
}

function transaction<T>(prisma: Db, tenantId: string, fn: (tx: Tx) => Promise<T>, options: TxOptions): Promise<T> {
  return prisma.$transaction(async (tx) => {
    // Row-level security: as role maas_tenant (cannot bypass RLS), seeing only this tenant's rows.
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'maas_tenant', true)`;
    return fn(tx);
  }, options);
}

/**
 * Generous defaults: a worker training in the same process can hold the event loop for seconds
 * (a forest fits in one synchronous call), and Prisma measures its waits in wall time.
 */
const DEFAULT_TX: TxOptions = { maxWait: 10_000, timeout: 20_000 };

export interface TxOptions {
  /** Longest wait for a connection, ms. (Prisma default: 2000) */
  maxWait?: number;
  /** Longest the transaction may run, ms. (Prisma default: 5000) */
  timeout?: number;
}

/** For transactions that write large values (uploads, model artifacts). */
export const LARGE_WRITE: TxOptions = { maxWait: 10_000, timeout: 120_000 };

/**
 * Takes a transaction-scoped advisory lock on `key` (released at commit or rollback), serialising
 * transactions that take the same key.
 */
export async function advisoryXactLock(tx: Tx, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}
