/**
 * Queue pick-up latency (src/lib/queue.ts): from calling `enqueue` (its transaction with the NOTIFY
 * included) to the handler being called, in a worker queue that polls only every QUEUE_POLL_SECONDS
 * (5 s by default): what it measures is the notification path. Producer and worker are two queue
 * instances (two pg-boss clients, as an API and a worker process) in this process, so one clock.
 */
import { z } from 'zod';
import { createLogger } from '../src/lib/logger';
import { DEFAULT_POLL_SECONDS, startQueue } from '../src/lib/queue';

const TASKS = { 'bench-ping': { version: 1, payload: z.object({ sent: z.number() }), retryLimit: 0, expireInSeconds: 60 } };

/** p50 and p99 of `samples` sequential jobs' pick-up, ms. */
export async function pickupLatency(databaseUrl: string, samples = 200): Promise<{ p50: number; p99: number; samples: number }> {
  const log = createLogger('warn');
  const producer = await startQueue(databaseUrl, log, TASKS);
  const worker = await startQueue(databaseUrl, log, TASKS, { pollSeconds: DEFAULT_POLL_SECONDS });
  const times: number[] = [];
  let handled: () => void = () => undefined;
  await worker.work({
    'bench-ping': async ({ sent }) => {
      times.push(performance.now() - sent);
      handled();
    },
  });
  try {
    for (let i = 0; i < samples; i++) {
      const done = new Promise<void>((resolve) => (handled = resolve));
      await producer.enqueue('bench-ping', { sent: performance.now() });
      await done;
    }
  } finally {
    await Promise.all([producer.stop(5_000), worker.stop(5_000)]);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: q(0.5), p99: q(0.99), samples: times.length };
}
