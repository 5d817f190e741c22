/** Worker process: `npm run worker`. Claims training runs from the queue; serves no HTTP. */
import 'reflect-metadata';
import { openInfrastructure } from './app';
import { loadConfig } from './config';
import { createLogger } from './lib/logger';
import { createTaskHandlers } from './services';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'maas-worker');
  if (!config.DATABASE_URL) log.warn('DATABASE_URL is not set: this worker uses its own embedded PostgreSQL, shared with no API process');
  const { db, pubsub, queue, tfBackend } = await openInfrastructure(config, log);
  await queue.work(createTaskHandlers({ prisma: db.prisma, pubsub, log }));
  log.info({ tfBackend }, 'worker ready');
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'worker stopping: finishing the current run');
    await queue.stop();
    await pubsub.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
