/**
 * Environment variables of each process' database connections: the pool's size and one tenant's
 * share of it (src/lib/tenant-db-gate.ts). Part of the configuration schema (src/config.ts spreads
 * it in and fills the share's default); only parses the environment.
 */
import { z } from 'zod';

/** databaseEnv: zod parsers keyed by environment variable, each documented with its default. */
export const databaseEnv = {
  /**
   * Connections of each process' PostgreSQL pool (the API's and a worker's own; the job queue and
   * pub/sub keep their own few besides). (Default: 10, node-postgres' default)
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /**
   * Connections of that pool one tenant's transactions may hold at once; the tenant's next
   * transaction waits its turn (tenants with waiters are served round-robin), at most the
   * transaction's wait bound (10 s), then fails with QUOTA_EXCEEDED (`reason` DB_CONNECTIONS). At
   * most DATABASE_POOL_SIZE. (Default: half of DATABASE_POOL_SIZE, at least 1: 5 of 10, so one
   * tenant's slow transactions always leave the other half to every other tenant)
   */
  TENANT_MAX_DB_CONNECTIONS: z.coerce.number().int().min(1).max(1000).optional(),
};

/** The default of TENANT_MAX_DB_CONNECTIONS for a pool of `poolSize` connections: half of it, at least 1. */
export const defaultTenantShare = (poolSize: number): number => Math.max(1, Math.floor(poolSize / 2));
