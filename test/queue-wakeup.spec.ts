/**
 * Queue pick-up by LISTEN/NOTIFY (src/lib/queue.ts): a job is claimed because its enqueue notified
 * the workers, not because they polled — the workers here poll once an hour, so a job handled at
 * all was handled on the notification. With several worker processes each job runs once; a delayed
 * job is picked up once its delay has passed.
 */
import { z } from 'zod';
import { createLogger } from '../src/lib/logger';
import { startQueue, type JobQueue } from '../src/lib/queue';
import { workerDatabaseUrl } from './support/database';

const TASKS = {
  ping: { version: 1, payload: z.object({ n: z.number() }), retryLimit: 0, expireInSeconds: 60 },
};
type Ping = JobQueue<typeof TASKS>;

const HOUR = 3600;
const log = createLogger('silent');
const queues: Ping[] = [];
const open = async () => {
  const q = await startQueue(workerDatabaseUrl(), log, TASKS, { pollSeconds: HOUR });
  queues.push(q);
  return q;
};
afterAll(async () => {
  await Promise.all(queues.map((q) => q.stop(5_000)));
});

/** A worker whose handler records which worker handled which job and resolves `waitFor(n)`. */
function recorder() {
  const handled: { worker: number; n: number }[] = [];
  const waiters = new Map<number, () => void>();
  return {
    handled,
    handler:
      (worker: number) =>
      async ({ n }: { n: number }) => {
        handled.push({ worker, n });
        waiters.get(n)?.();
      },
    waitFor: (n: number) => new Promise<void>((resolve) => waiters.set(n, resolve)),
  };
}

it('wakes a worker that polls once an hour as soon as a job is enqueued, also a delayed one, and several workers run each job once', async () => {
  const producer = await open(); // enqueues only, like an API process without a worker
  const r = recorder();
  const [w1, w2] = [await open(), await open()];
  await w1.work({ ping: r.handler(1) });
  await w2.work({ ping: r.handler(2) });

  // The first job may meet a claim loop's first look; after a job a loop waits its poll interval
  // (an hour) unless woken, so every later job is handled only through a notification.
  for (let n = 1; n <= 6; n++) {
    const done = r.waitFor(n);
    await producer.enqueue('ping', { n });
    await done;
  }
  const delayed = r.waitFor(7);
  await producer.enqueue('ping', { n: 7 }, { startAfterSeconds: 1 });
  await delayed;

  expect(r.handled.map((h) => h.n).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect((await producer.depth()).ping).toBe(0);
});
