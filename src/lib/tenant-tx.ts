/**
 * Tenant-scoped transactions. Every repository call that reads or writes tenant data runs inside
 * one, so the tenant is both in each `where` clause (repos) and enforced by PostgreSQL row-level
 * security: the transaction runs as role `maas_tenant` with `app.tenant_id` set (see the
 * 20261130000000_security migration).
 */
import type { Db } from './db';

/** The transaction client Prisma passes to interactive transactions. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * Runs `fn` in a transaction bound to `tenantId`. Commits when `fn` resolves, rolls back when it throws.
 */
export function withTenant<T>(prisma: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    // Row-level security: as role maas_tenant (cannot bypass RLS), seeing only this tenant's rows.
    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('role', 'maas_tenant', true)`;
    return fn(tx);
  });
}
