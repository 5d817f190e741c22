/**
 * A training run's CPU work on a worker thread: decode and parse the dataset's CSV, then
 * {@link trainFromTable}. Meanwhile the process' main thread keeps serving requests, writes each
 * epoch and publishes its event (epochs arrive over `port`), and can stop the training by setting
 * the shared `stop` flag, which is read at the end of every epoch (cancellation, lost lease,
 * draining). Each thread initialises its own TF.js backend, preferring the main thread's.
 */
import path from 'node:path';
import { threadId, type MessagePort } from 'node:worker_threads';
import { runTask, runTaskAsync } from '../lib/threads/task-result';
import { ThreadPool } from '../lib/threads/thread-pool';
import type { CsvOptions } from './data/csv';
import { parseCsv } from './data/csv';
import { decodeText } from './data/decode';
import { trainFromTable, type TrainedModel } from './pipeline';
import type { ColumnChoice } from './prepare';
import type { TrainingSpec } from './spec-types';
import { initBackend, tf, type BackendName } from './tf';

export interface TrainInput {
  /** The dataset's stored CSV bytes. */
  bytes: Uint8Array;
  options: CsvOptions;
  choice: ColumnChoice;
  spec: TrainingSpec;
  /** The backend to prefer (the main thread's). */
  backend: BackendName;
  /** Receives one EpochResult per epoch, then `{ done: true }`. Transferred. */
  port: MessagePort;
  /** Int32Array(1) over this buffer: 1 = stop after the current epoch. */
  stop: SharedArrayBuffer;
}

/** What the thread sends back: the trained model, its backend, and the tensors left alive in the thread. */
export interface TrainOutput {
  model: TrainedModel;
  backend: string;
  /** tf.memory().numTensors in the thread after the run: flat across runs when nothing leaks. */
  tensors: number;
}

/** @throws (as a TaskResult) AppError BAD_USER_INPUT for data or spec problems, as trainFromTable. */
export function train(input: TrainInput) {
  return runTaskAsync(async (): Promise<TrainOutput> => {
    try {
      const backend = await initBackend(input.backend);
      const stop = new Int32Array(input.stop);
      const table = parseCsv(decodeText(input.bytes), input.options);
      // Read live, so a fit that never yields (trees) still sees the main thread's request.
      const signal = {
        get aborted() {
          return Atomics.load(stop, 0) === 1;
        },
      };
      const model = await trainFromTable(
        table,
        input.choice,
        input.spec,
        async (epoch) => {
          input.port.postMessage(epoch);
          return signal.aborted ? 'stop' : undefined;
        },
        signal,
      );
      return { model, backend, tensors: tf.memory().numTensors };
    } finally {
      input.port.postMessage({ done: true });
      input.port.close();
    }
  });
}

/**
 * Starts a training thread and its TF.js backend ahead of the first run (loading the backend takes
 * a few hundred ms). @returns the backend the thread got.
 */
export function warmUp(backend: BackendName) {
  return runTaskAsync(() => initBackend(backend));
}

/** Which thread answers, and its live tensors (tests check they stay flat across runs). */
export function threadInfo(_input?: undefined) {
  return runTask(() => ({ threadId, tensors: tf.memory().numTensors }));
}

export type TrainingThreads = ThreadPool<{ train: typeof train; warmUp: typeof warmUp; threadInfo: typeof threadInfo }>;

/**
 * Training threads stay up once started (see warmUp), so no run pays for a thread's start, and a
 * thread ended by a cancellation is replaced at once.
 * @param threads training runs at once in this process (one per claimed job).
 */
export function createTrainingThreads(threads: number): TrainingThreads {
  return new ThreadPool(path.join(__dirname, `train-task${path.extname(__filename)}`), threads, { idleTimeoutMs: Infinity, minThreads: 1 });
}
