/**
 * What both processes open, and nothing of the API: database (external or embedded, migrated),
 * TF.js backend, pub/sub, job queue and the ML threads. Used by src/app.ts (API) and
 * src/worker.ts (worker), which must not load Apollo/GraphQL (test/architecture-worker.spec.ts).
 */
import type { Config } from './config';
import { openDatabase, type Database } from './lib/db';
import type { Logger } from './lib/logger';
import { createPgPubSub, type PubSub } from './lib/pubsub';
import { startQueue } from './lib/queue';
import { createMlThreads, type MlThreads } from './ml/threads';
import { initBackend } from './ml/tf';
import { TASKS, type Queue } from './modules/tasks';

/** The shared infrastructure a process opens once and closes on shutdown. */
export interface Infrastructure {
  db: Database;
  pubsub: PubSub;
  queue: Queue;
  tfBackend: string;
  threads: MlThreads;
}

/** Opens the database, pub/sub and queue shared by API and worker processes, and the ML threads. */
export async function openInfrastructure(config: Config, log: Logger): Promise<Infrastructure> {
  const db = await openDatabase(config, log);
  const tfBackend = await initBackend(config.TF_BACKEND);
  log.info({ tfBackend }, 'TensorFlow.js backend ready');
  const pubsub = await createPgPubSub(db.url, log);
  const queue = await startQueue(db.url, log, pubsub, TASKS);
  return { db, pubsub, queue, tfBackend, threads: createMlThreads(config, { backend: tfBackend, log }) };
}
