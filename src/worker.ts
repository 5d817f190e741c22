/**
 * Worker process: `npm run worker`. Claims training runs and batch predictions from the queue;
 * serves no HTTP and loads no GraphQL (test/architecture-worker.spec.ts checks its module graph).
 * Composition: config -> infrastructure (db, pub/sub, queue, threads) -> repos -> task handlers.
 */
import { loadConfig } from './config';
import { openInfrastructure } from './infrastructure';
import { WORKER_ID } from './jobs/lease';
import { runWorker } from './jobs/run-worker';
import { createLogger } from './lib/logger';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'maas-worker');
  if (!config.DATABASE_URL) log.warn('DATABASE_URL is not set: this worker uses its own embedded PostgreSQL, shared with no API process');
  const { db, pubsub, queue, tfBackend, threads, tracing } = await openInfrastructure(config, log, 'maas-worker');
  const worker = await runWorker({ prisma: db.prisma, pool: db.pool, pubsub, queue, threads, log, config });
  log.info({ tfBackend, workerId: WORKER_ID }, 'worker ready');
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker draining: running training runs stop after their epoch and go back to the queue');
    await worker.stop();
    await pubsub.close();
    await threads.close();
    await db.close();
    await tracing.shutdown();
    log.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

// Started as a program; imported (the architecture test), it only loads its modules.
if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
