/**
 * Starts the real API (HTTP + websocket + in-process worker) on a free loopback port against this
 * worker's database, with the application tables emptied first.
 */
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { migrate } from '../../src/lib/migrate';
import { truncateAll, workerDatabaseUrl } from './database';
import { ADMIN_SECRET, JWT_SECRET } from './secrets';

export async function startTestApp(env: Record<string, string> = {}): Promise<App> {
  const url = workerDatabaseUrl();
  await migrate(url);
  await truncateAll(url);
  return startAppOnWorkerDatabase(env);
}

/** Another API process on this worker's database as it is (no tables emptied, no migration), with `env`. */
export function startAppOnWorkerDatabase(env: Record<string, string> = {}): Promise<App> {
  const config = loadConfig({
    DATABASE_URL: workerDatabaseUrl(),
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_SECRET,
    JWT_SECRET,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // One training run at a time unless a spec asks for more (the default, cores − 1, differs per machine).
    TRAINING_SLOTS: '1',
    // No shared slots unless a spec asks (test/training-shared-slots.spec.ts): specs that queue runs behind a busy slot expect them to wait.
    TRAINING_SHARED_SLOTS: '0',
    ...env,
  });
  return startApp(config, createLogger(config.LOG_LEVEL));
}
