/**
 * Runs a training on a training thread (src/ml/train-task.ts) and relays its epochs, in order, to
 * the caller on this thread, where they are written and published while the next epoch trains.
 *
 * With the native backend (tfjs-node) the same task runs on this thread instead: the addon cannot
 * be loaded again in a second thread (tensorflow/tfjs#8388), and its kernels run outside the event
 * loop anyway.
 */
import { MessageChannel } from 'node:worker_threads';
import { movable } from '../lib/threads/task-result';
import { unwrap } from '../lib/threads/thread-pool';
import type { EpochResult, StepProgress } from '../ml/families/model-family';
import { train, type ThreadFault, type TrainInput, type TrainingThreads, type TrainOutput } from '../ml/train-task';
import { AppError } from '../lib/errors';

/**
 * The training thread failed outside the run's data and spec (a WASM abort, running out of memory,
 * a crash): that thread is gone and the pool starts a fresh one, so only this run fails. Not
 * retried: the same run would most likely fail the same way and hold the queue meanwhile.
 */
export class RuntimeFault extends Error {
  constructor(readonly reason: string) {
    super(`The training runtime failed: ${reason.replace(/\.+$/, '')}`);
    this.name = 'RuntimeFault';
  }
}

export interface ThreadTraining {
  /** Asks the thread to stop after its current epoch (the model trained so far is still returned). */
  stop(): void;
  /**
   * Ends the training now, mid-epoch or mid-fit (a forest is one long fit): the thread is
   * terminated and `done` rejects. On the main thread it can only ask, as stop() does.
   */
  abort(): void;
  /** Whether abort() ended a thread (then `done` rejects). */
  readonly aborted: boolean;
  /**
   * Resolves once the model is back and every epoch was handed to `onEpoch`.
   * @throws AppError as thrown in the thread (data or spec problems); RuntimeFault when the thread
   *   failed otherwise (it was ended, see train-task.ts); Error when aborted or on the main thread.
   */
  done: Promise<TrainOutput>;
}

/** Runs the task with the dataset's bytes moved to the thread, not copied (a cached table is copied: the cache keeps it). */
function moveAndRun(pool: TrainingThreads, input: TrainInput, signal: AbortSignal) {
  if (!input.bytes) return pool.run('train', input, [input.port], signal);
  const { bytes, transfer } = movable(input.bytes);
  return pool.run('train', { ...input, bytes }, [input.port, ...transfer], signal);
}

/**
 * @param pool the training threads, or 'main-thread' to train on this thread.
 * @param input its `bytes` are moved to the thread: the caller must not use them afterwards; its
 *   `table` is copied.
 */
export function trainInThread(
  pool: TrainingThreads | 'main-thread',
  input: Omit<TrainInput, 'port' | 'stop'>,
  onEpoch: (epoch: EpochResult) => void,
  onStep: (progress: StepProgress) => void = () => undefined,
): ThreadTraining {
  const { port1, port2 } = new MessageChannel();
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  // The thread posts `{ done: true }` on the same port after its last epoch, so once it arrives
  // every epoch has been handed over (the task's result travels on another port, in no fixed order).
  let fault: string | undefined;
  const relayed = new Promise<void>((resolve) => {
    port1.on('message', (m: EpochResult | { step: StepProgress } | { done: true } | ThreadFault) => {
      if ('done' in m) resolve();
      else if ('fault' in m) fault = m.fault;
      else if ('step' in m) onStep(m.step);
      else onEpoch(m);
    });
  });
  const full = { ...input, port: port2, stop };
  const abort = new AbortController();
  const result =
    pool === 'main-thread'
      ? // The same copy a thread would get: the table may be a cached one, which training must not change.
        train({ ...full, table: full.table && structuredClone(full.table) }).then((r) => unwrap('train', r))
      : moveAndRun(pool, full, abort.signal).catch((err: unknown) => {
          if (err instanceof AppError || abort.signal.aborted) throw err;
          // The thread ended: by itself after a fault (its reason came first on the port), or by V8 (heap limit).
          throw new RuntimeFault(fault ?? (err instanceof Error ? err.message : String(err)).slice(0, 500));
        });
  const done = result
    .then(async (output) => {
      await relayed;
      const weights = output.model.artifact.weights; // a Uint8Array after the thread hop
      output.model.artifact.weights = Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength);
      return output;
    })
    .finally(() => port1.close());
  const stopFlag = () => void Atomics.store(flag, 0, 1);
  return {
    stop: stopFlag,
    abort: () => {
      stopFlag();
      if (pool !== 'main-thread') abort.abort();
    },
    get aborted() {
      return abort.signal.aborted;
    },
    done,
  };
}
