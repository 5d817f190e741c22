/**
 * Starts the real API (HTTP + websocket + in-process worker) on a free loopback port against this
 * worker's database, with the application tables emptied first.
 */
import pg from 'pg';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { migrate } from '../../src/lib/migrate';
import { workerDatabaseUrl } from './database';

export const ADMIN_SECRET = 'test-admin-secret-0123456789';
export const JWT_SECRET = 'test-jwt-secret-0123456789-0123456789-abcdef';

/** Empties every application table (not the migration record, not the queue's schema). */
export async function truncateAll(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function startTestApp(env: Record<string, string> = {}): Promise<App> {
  const url = workerDatabaseUrl();
  await migrate(url);
  await truncateAll(url);
  const config = loadConfig({
    DATABASE_URL: url,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_SECRET,
    JWT_SECRET,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  return startApp(config, createLogger(config.LOG_LEVEL));
}
