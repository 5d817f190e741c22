/**
 * The job queue: pg-boss on the same PostgreSQL (schema `pgboss`), so API processes enqueue and
 * workers on any machine claim jobs with SELECT … FOR UPDATE SKIP LOCKED: each job runs once.
 * Generic over a task list (the platform's is src/modules/tasks.ts).
 *
 * Pick-up: every enqueue sends `NOTIFY maas_jobs` in the transaction that inserts the job (so it is
 * delivered exactly when the job becomes visible), and every process that works jobs LISTENs on a
 * dedicated connection and wakes its claim loops for that queue at once (for a delayed job, when
 * its delay has passed). Polling every `pollSeconds` (QUEUE_POLL_SECONDS) stays as the fallback:
 * for notifications lost while a listener reconnects, jobs pg-boss retries or expires by itself,
 * and enqueues from outside this module.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { isAdminShutdown } from './db';
import type { Logger } from './logger';
import { listen, type Listening } from './pg-listen';

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

/** What a handler learns about its job besides the payload. */
export interface JobInfo {
  id: string;
  retryCount: number;
  /** Ms from the job becoming claimable (enqueued, or its delay passed) to its handler being called. */
  waitedMs: number;
}

/** Handles one job; throwing makes the queue retry it (up to the task's retryLimit). */
export type TaskHandler<P> = (payload: P, job: JobInfo) => Promise<void>;
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

/** How often an idle claim loop looks for jobs without being woken, seconds (QUEUE_POLL_SECONDS). */
export const DEFAULT_POLL_SECONDS = 5;

/** The channel of the wake-ups; payload `{ queue, after }` (`after`: seconds of the job's delay). */
const WAKE_CHANNEL = 'maas_jobs';

/** pg-boss' retry delay of a job whose handler threw, seconds (set on every queue below). */
const RETRY_DELAY_SECONDS = 1;

/** Queue options. */
export interface QueueOptions {
  /** Seconds between an idle claim loop's polls; notifications wake it sooner (min 0.5, pg-boss'). (Default: 5) */
  pollSeconds?: number;
}

/**
 * Starts pg-boss and creates the queues of `tasks` (one process at a time, under an advisory lock).
 * @param tasks the task list; each task's queue is named `<task>.v<version>`.
 */
export async function startQueue<L extends TaskList>(databaseUrl: string, log: Logger, tasks: L, options: QueueOptions = {}): Promise<JobQueue<L>> {
  type TaskName = keyof L & string;
  const queueName = (task: TaskName) => `${task}.v${tasks[task].version}`;
  const pollSeconds = Math.max(0.5, options.pollSeconds ?? DEFAULT_POLL_SECONDS);
  // Enqueues run in their own transaction (the job and its NOTIFY commit together).
  const enqueuer = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  enqueuer.on('error', (err) => log.warn({ err: err.message }, 'job queue: an enqueue connection was lost'));
  let listening: Listening | undefined;
  const timers = new Set<NodeJS.Timeout>();
  // The claim loops (pg-boss worker ids) of each queue this process works.
  const workerIds = new Map<string, string[]>();
  const wake = (queue: string) => {
    for (const id of workerIds.get(queue) ?? []) boss.notifyWorker(id);
  };
  const wakeLater = (queue: string, seconds: number) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        wake(queue);
      },
      seconds * 1000 + 20,
    ); // a little past the job's startAfter, which the database compares with its own clock
    timer.unref();
    timers.add(timer);
  };
  // Handlers running now: stop() waits for them, so pg-boss' worker loops have ended when it resolves.
  const inFlight = new Set<Promise<unknown>>();
  // Set by stop(): a job that a claim already in flight hands over afterwards is not started (it
  // stays claimed until pg-boss expires it, and another process retries it).
  let stopping = false;
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 4 });
  async function setUp() {
    await boss.start();
    for (const task of Object.keys(tasks) as TaskName[]) {
      const name = queueName(task);
      const { retryLimit, expireInSeconds } = tasks[task];
      if (!(await boss.getQueue(name))) {
        await boss.createQueue(name, { name, retryLimit, retryDelay: RETRY_DELAY_SECONDS, expireInSeconds }).catch(async (err) => {
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
      const name = queueName(task);
      const client = await enqueuer.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
        const id = await boss.send(name, data as object, { priority: options?.priority ?? 0, ...(startAfter ? { startAfter } : {}), db });
        if (!id) throw new Error(`Job queue refused a '${task}' job`);
        // Delivered to the listeners when this transaction commits, so never before the job can be claimed.
        await client.query('SELECT pg_notify($1, $2)', [WAKE_CHANNEL, JSON.stringify({ queue: name, after: startAfter ?? 0 })]);
        await client.query('COMMIT');
        return id;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async work(handlers, concurrency = {}) {
      listening ??= await listen(
        databaseUrl,
        WAKE_CHANNEL,
        log,
        (text) => {
          const { queue, after } = JSON.parse(text) as { queue: string; after: number };
          if (after > 0) wakeLater(queue, after);
          else wake(queue);
        },
        // Wake-ups sent while the listener was down are lost: look at every queue once.
        () => workerIds.forEach((_, queue) => wake(queue)),
      );
      for (const task of Object.keys(tasks) as TaskName[]) {
        const ids: string[] = [];
        const name = queueName(task);
        // pg-boss 10 runs one batch at a time per work() call: n calls, n jobs of this task at once.
        for (let i = 0; i < (concurrency[task] ?? 1); i++) {
          ids.push(
            await boss.work(name, { batchSize: 1, pollingIntervalSeconds: pollSeconds, includeMetadata: true }, async ([job]) => {
              if (stopping) throw new Error(`job queue stopping: '${name}' job ${job.id} not started`);
              const claimable = Math.max(job.createdOn.getTime(), job.startAfter.getTime());
              // Each task's payload is validated by its own schema before its own handler sees it.
              const handler = handlers[task] as TaskHandler<unknown>;
              const running = handler(tasks[task].payload.parse(job.data), { id: job.id, retryCount: job.retryCount, waitedMs: Math.max(0, Date.now() - claimable) });
              inFlight.add(running);
              try {
                await running;
              } catch (err) {
                wakeLater(name, RETRY_DELAY_SECONDS); // pg-boss retries it after its delay: no notification says so
                throw err;
              } finally {
                inFlight.delete(running);
              }
            }),
          );
        }
        workerIds.set(name, ids);
      }
    },
    async depth() {
      const out = {} as Record<TaskName, number>;
      for (const task of Object.keys(tasks) as TaskName[]) out[task] = await boss.getQueueSize(queueName(task));
      return out;
    },
    async stop(timeoutMs = 30_000) {
      stopping = true;
      await listening?.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const started = Date.now();
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true });
      // pg-boss resolves once no job is in progress, but a fetch already in flight can still hand a
      // job to a handler; that worker loop (and pg-boss' 1 s poll for it) outlives stop() unless we
      // wait here, within what is left of the timeout.
      const left = Math.max(0, timeoutMs - (Date.now() - started));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
      // One turn of the event loop lets pg-boss' worker loops see their handlers returned and end,
      // so its stop watcher (which looks every second) finds them ended and schedules nothing more.
      await new Promise((resolve) => setImmediate(resolve));
      await enqueuer.end();
    },
  };
}
