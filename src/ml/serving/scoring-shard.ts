/** One scoring shard of ScoringThreads (./scoring-threads.ts): its thread pool, lanes and what it remembers of faults. */
import { ThreadPool } from '../../lib/threads/thread-pool';
import { FairQueue } from './fair-queue';
import type { ScoringThreadsOptions } from './scoring-options';
import type * as ServeTask from './serve-task';
import type { Lane, ThreadModelHandle } from './thread-model-handle';

export type ServePool = ThreadPool<{
  warmUp: typeof ServeTask.warmUp;
  load: typeof ServeTask.load;
  call: typeof ServeTask.call;
  unload: typeof ServeTask.unload;
  info: typeof ServeTask.info;
  closeHosts: typeof ServeTask.closeHosts;
}>;

export interface Shard {
  index: number;
  pool: ServePool;
  generation: number;
  /** Where its calls wait, by lane (see the file's comment). */
  lanes: Record<Lane, FairQueue>;
  /** The thread-lane call running now, if any: the culprit when the thread dies without naming one. */
  inThread?: ThreadModelHandle;
  /** In-thread (not ONNX) loads running now: the next suspects (loads are not queued: they run beside calls). */
  loading: Set<ThreadModelHandle>;
  /** The last thread lost, and the version that crashed it. */
  died?: { generation: number; versionId: string; reason: string };
  /** The reason the thread posted before it ended itself (see serve-task.ts). */
  lastFault?: { key: string; reason: string };
}

/** Most calls waiting for one thread before the next is refused as busy (micro-batches, so calls are few). */
export const MAX_QUEUE = 4096;
/**
 * Tasks a scoring thread runs at once: one per lane, plus loads, unloads and `closeHosts` (which
 * must start while a call is stuck in the host, to end it).
 */
export const TASKS_PER_THREAD = 16;

/**
 * Shard `index`: a pool of one thread running `modulePath` (serve-task), kept alive and replaced at
 * once when it dies, with its two lanes (`thread`: one slot; `host`: one per ONNX host, a tenant
 * holding at most all but one) and the fault the thread posts before it ends itself.
 */
export function createShard(index: number, modulePath: string, options: ScoringThreadsOptions): Shard {
  const lane = (name: string, slots: number) => new FairQueue(`scoring thread ${index} (${name})`, slots, options.maxQueuedPerTenant ?? 256, undefined, Math.max(1, slots - 1));
  const shard: Shard = {
    index,
    generation: 0,
    lanes: { thread: lane('in-thread models', 1), host: lane('ONNX host', Math.max(1, options.onnxHostsPerThread ?? 2)) },
    loading: new Set(),
    pool: new ThreadPool(modulePath, 1, {
      idleTimeoutMs: Infinity, // its models live in it
      minThreads: 1, // a thread that died is replaced at once
      maxQueue: MAX_QUEUE,
      concurrentTasksPerThread: TASKS_PER_THREAD,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
      onMessage: (m) => {
        const fault = (m as Partial<ServeTask.ScoringThreadFault>)?.scoringFault;
        if (fault) shard.lastFault = fault;
      },
      onError: () => undefined, // a thread lost with no call on it: the next call loads afresh
    }),
  };
  return shard;
}
