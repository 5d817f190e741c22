/**
 * Tenant A's load for bench/isolation.ts, on a worker thread of the bench process: A's answers
 * (~9 MB each) are read here, so reading them never delays the timing of tenant B's requests on
 * the bench's main thread. `workerData`: { url, token, body, concurrency }; runs that many closed
 * loops of POSTs until the parent posts 'stop', then posts { times, refused }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';

/** What the parent sends. */
export interface LoadOrder {
  url: string;
  token: string;
  body: string;
  concurrency: number;
}

/** What the worker answers once stopped: each call's ms, and the calls not answered 200 with data. */
export interface LoadResult {
  times: number[];
  refused: number;
}

/** Whether an answer is a success: 200, and a body that starts as GraphQL data or a V2 answer does (the rest is not read as text). */
const ok = (status: number, head: string) => status === 200 && (head.startsWith('{"data":{') || head.startsWith('{"model_name"'));

async function main(order: LoadOrder): Promise<void> {
  let stop = false;
  parentPort!.once('message', () => (stop = true));
  const times: number[] = [];
  let refused = 0;
  const loop = async () => {
    while (!stop) {
      const t0 = performance.now();
      const res = await fetch(order.url, { method: 'POST', headers: { authorization: `Bearer ${order.token}`, 'content-type': 'application/json' }, body: order.body });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (!ok(res.status, Buffer.from(bytes.subarray(0, 16)).toString('latin1'))) refused++;
      times.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: order.concurrency }, loop));
  const result: LoadResult = { times, refused };
  parentPort!.postMessage(result);
}

if (parentPort) void main(workerData as LoadOrder);
