/**
 * The job queue: pg-boss on the same PostgreSQL (schema `pgboss`), so API processes enqueue and
 * workers on any machine claim jobs with SELECT … FOR UPDATE SKIP LOCKED: each job runs once.
 * Generic over a task list (the platform's is src/modules/tasks.ts).
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { isAdminShutdown } from './db';
import type { Logger } from './logger';
import { topic, type PubSub } from './pubsub';

/** One task: payload schema, retry and lease settings. */
export interface TaskDefinition {
  /** Bump when the payload changes shape: the queue name carries it, so old workers never see new payloads. */
  version: number;
  payload: z.ZodType;
  /** Transient failures (e.g. a lost database connection) are retried this many times. */
  retryLimit: number;
  /** Seconds before a claimed job whose worker vanished is handed to another worker. */
  expireInSeconds: number;
}

/** Task name -> definition. */
export type TaskList = Record<string, TaskDefinition>;
/** The payload type of task `K` of list `L`. */
export type TaskPayloadOf<L extends TaskList, K extends keyof L> = z.infer<L[K]['payload']>;

/** Handles one job; throwing makes the queue retry it (up to the task's retryLimit). */
export type TaskHandler<P> = (payload: P, job: { id: string; retryCount: number }) => Promise<void>;
/** One handler per task of `L`. */
export type TaskHandlersOf<L extends TaskList> = { [K in keyof L]: TaskHandler<TaskPayloadOf<L, K>> };

/** The job queue of a task list. */
export interface JobQueue<L extends TaskList = TaskList> {
  /**
   * Validates the payload and enqueues it. @returns the job id.
   * @param options.priority higher is claimed first; equal priorities in enqueue order (pg-boss
   *   claims by `priority desc, created_on`). (Default: 0)
   * @param options.startAfterSeconds the job is not claimed before this many seconds. (Default: 0)
   */
  enqueue<K extends keyof L & string>(task: K, payload: TaskPayloadOf<L, K>, options?: { priority?: number; startAfterSeconds?: number }): Promise<string>;
  /**
   * Starts claiming jobs for every task: `concurrency[task]` at once in this process (each its own
   * claim loop), the others one at a time (training and batch scoring are CPU-bound).
   */
  work(handlers: TaskHandlersOf<L>, concurrency?: Partial<Record<keyof L & string, number>>): Promise<void>;
  /** Jobs waiting to be claimed, per task. */
  depth(): Promise<Record<keyof L & string, number>>;
  /** Stops claiming, waits up to `timeoutMs` for running jobs, then closes. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Arbitrary constant key: one process at a time sets up the queue schema. */
const QUEUE_SETUP_LOCK_KEY = 72_707_370;

/** How often an idle worker looks for jobs, seconds (pg-boss' minimum is 0.5). */
const POLL_SECONDS = 0.5;

/** Published after each enqueue, so idle workers in any process claim at once instead of at their next poll. */
const ENQUEUED_TOPIC = topic<{ queue: string }>('jobs:enqueued');

/**
 * Starts pg-boss and creates the queues of `tasks` (one process at a time, under an advisory lock).
 * @param tasks the task list; each task's queue is named `<task>.v<version>`.
 */
export async function startQueue<L extends TaskList>(databaseUrl: string, log: Logger, pubsub: PubSub, tasks: L): Promise<JobQueue<L>> {
  type TaskName = keyof L & string;
  const queueName = (task: TaskName) => `${task}.v${tasks[task].version}`;
  let wakeups: (AsyncIterableIterator<{ queue: string }> & { return(): Promise<unknown> }) | undefined;
  // Handlers running now: stop() waits for them, so pg-boss' worker loops have ended when it resolves.
  const inFlight = new Set<Promise<unknown>>();
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 4 });
  async function setUp() {
    await boss.start();
    for (const task of Object.keys(tasks) as TaskName[]) {
      const name = queueName(task);
      const { retryLimit, expireInSeconds } = tasks[task];
      if (!(await boss.getQueue(name))) {
        await boss.createQueue(name, { name, retryLimit, retryDelay: 1, expireInSeconds }).catch(async (err) => {
          if (!(await boss.getQueue(name))) throw err; // another process created it first: fine
        });
      }
    }
  }
  boss.on('error', (err) => (isAdminShutdown(err) ? log.warn('job queue: database is shutting down') : log.error({ err: err.message }, 'job queue error')));
  // pg-boss creates its schema and our queues on start; processes starting together on a fresh
  // database deadlock there, so they take turns (the same idea as src/lib/migrate.ts).
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK_KEY]);
  try {
    await setUp();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
  return {
    async enqueue(task, payload, options) {
      const data = tasks[task].payload.parse(payload);
      const startAfter = options?.startAfterSeconds;
      const id = await boss.send(queueName(task), data as object, { priority: options?.priority ?? 0, ...(startAfter ? { startAfter } : {}) });
      if (!id) throw new Error(`Job queue refused a '${task}' job`);
      await pubsub.publish(ENQUEUED_TOPIC, { queue: queueName(task) });
      return id;
    },
    async work(handlers, concurrency = {}) {
      const workerIds = new Map<string, string[]>();
      wakeups ??= pubsub.subscribe(ENQUEUED_TOPIC);
      void (async () => {
        for await (const { queue } of wakeups!) for (const id of workerIds.get(queue) ?? []) boss.notifyWorker(id);
      })();
      for (const task of Object.keys(tasks) as TaskName[]) {
        const ids: string[] = [];
        // pg-boss 10 runs one batch at a time per work() call: n calls, n jobs of this task at once.
        for (let i = 0; i < (concurrency[task] ?? 1); i++) {
          ids.push(
            await boss.work(queueName(task), { batchSize: 1, pollingIntervalSeconds: POLL_SECONDS, includeMetadata: true }, async ([job]) => {
              // Each task's payload is validated by its own schema before its own handler sees it.
              const handler = handlers[task] as TaskHandler<unknown>;
              const running = handler(tasks[task].payload.parse(job.data), { id: job.id, retryCount: job.retryCount });
              inFlight.add(running);
              try {
                await running;
              } finally {
                inFlight.delete(running);
              }
            }),
          );
        }
        workerIds.set(queueName(task), ids);
      }
    },
    async depth() {
      const out = {} as Record<TaskName, number>;
      for (const task of Object.keys(tasks) as TaskName[]) out[task] = await boss.getQueueSize(queueName(task));
      return out;
    },
    async stop(timeoutMs = 30_000) {
      await wakeups?.return();
      const started = Date.now();
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true });
      // pg-boss resolves once no job is in progress, but a fetch already in flight can still hand a
      // job to a handler; that worker loop (and pg-boss' 1 s poll for it) outlives stop() unless we
      // wait here, within what is left of the timeout.
      const left = Math.max(0, timeoutMs - (Date.now() - started));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    },
  };
}
