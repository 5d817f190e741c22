/**
 * Tenant-scoped transactions. Every repository call that reads or writes tenant data runs inside
 * one, so the tenant is both in each `where` clause (repos) and set on the connection
 * (`app.tenant_id`, for PostgreSQL row-level security policies).
 */
import type { Db } from './db';

/** The transaction client Prisma passes to interactive transactions. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * Runs `fn` in a transaction bound to `tenantId`. Commits when `fn` resolves, rolls back when it throws.
 */
export function withTenant<T>(prisma: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
    return fn(tx);
  });
}
