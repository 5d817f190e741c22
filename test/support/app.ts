/**
 * Starts the real API (HTTP + websocket + in-process worker) on a free loopback port against this
 * worker's database, with the application tables emptied first.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/lib/logger';
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
export function startAppOnWorkerDatabase(env: Record<string, string> = {}, log?: Logger): Promise<App> {
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
  return startApp(config, log ?? createLogger(config.LOG_LEVEL));
}

/**
 * {@link startTestApp} (tables emptied) or, with `fresh` false, {@link startAppOnWorkerDatabase},
 * with its log lines (info and up) kept, parsed, in `lines` as they are written.
 */
export async function startTestAppWithLogs(env: Record<string, string> = {}, fresh = true): Promise<{ app: App; lines: Record<string, any>[] }> {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, any>);
      done();
    },
  });
  const log = pino({ level: 'info' }, sink);
  if (fresh) {
    await migrate(workerDatabaseUrl());
    await truncateAll(workerDatabaseUrl());
  }
  return { app: await startAppOnWorkerDatabase(env, log), lines };
}
