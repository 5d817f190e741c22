/**
 * A training run's CPU work on a worker thread: decode and parse the dataset's CSV, then
 * {@link trainFromTable}. Meanwhile the process' main thread keeps serving requests, writes each
 * epoch and publishes its event (epochs arrive over `port`), and can stop the training by setting
 * the shared `stop` flag, which is read at the end of every epoch (cancellation, lost lease,
 * draining). Each thread initialises its own TF.js backend, preferring the main thread's.
 */
import path from 'node:path';
import { isMainThread, threadId, type MessagePort } from 'node:worker_threads';
import { AppError } from '../lib/errors';
import { runTask, runTaskAsync } from '../lib/threads/task-result';
import { ThreadPool } from '../lib/threads/thread-pool';
import type { CsvOptions, Table } from './data/csv';
import { parseCsv } from './data/csv';
import { tableBuffers } from './data/table-cache';
import { decodeText } from './data/decode';
import type { StepProgress } from './families/model-family';
import { trainFromImages } from './images/train';
import { trainFromTable, type TrainedModel } from './pipeline';
import type { CostLimits } from './cost-limits';
import type { ColumnChoice } from './prepare';
import type { TrainingSpec } from './spec-types';
import { initBackend, tf, type BackendName } from './tf';

export interface TrainInput {
  /** The dataset's stored bytes: a CSV, or an image container (src/ml/images/image-set.ts); absent when `table` is given. */
  bytes?: Uint8Array;
  /** The CSV already parsed with `options` (a cached table, src/ml/data/table-cache.ts): `bytes` are not read. */
  table?: Table;
  /** Send the table parsed from `bytes` back with the result (`TrainOutput.table`), for the caller's cache. (Default: false) */
  keepTable?: boolean;
  /** What `bytes` hold. (Default: 'csv') */
  format?: 'csv' | 'image';
  options: CsvOptions;
  choice: ColumnChoice;
  spec: TrainingSpec;
  /** The backend to prefer (the main thread's). */
  backend: BackendName;
  /** Receives one EpochResult per epoch and `{ step: StepProgress }` within a fit, then `{ done: true }`. Transferred. */
  port: MessagePort;
  /** Int32Array(1) over this buffer: 1 = stop after the current epoch. */
  stop: SharedArrayBuffer;
  /** The tenant's cost limits, checked again against the prepared data. (Default: DEFAULT_COST_LIMITS) */
  limits?: CostLimits;
}

/** Posted on the port, instead of `{ done: true }`, just before a thread ends itself after a fault. */
export interface ThreadFault {
  fault: string;
}

/** Phases timed in the thread, ms: decoding and parsing the bytes (`data`), then trainFromTable's. */
export type ThreadPhases = Partial<Record<'data' | 'prepare' | 'fit' | 'evaluate', number>>;

/** What the thread sends back: the trained model, its backend, and the tensors left alive in the thread. */
export interface TrainOutput {
  model: TrainedModel;
  backend: string;
  /** tf.memory().numTensors in the thread after the run: flat across runs when nothing leaks. */
  tensors: number;
  phases: ThreadPhases;
  /** With `keepTable`: the table parsed from the bytes, its arrays moved to the caller. */
  table?: Table;
}

/**
 * A fault that is not an AppError (a WASM abort, an allocation failure, a bug) may leave this
 * thread's TF.js runtime unusable (an aborted WASM module stays aborted), so on a training thread
 * it is reported on the port and the thread exits: Piscina rejects the task and starts a fresh
 * thread, with a fresh runtime, for the next run. On the main thread ('main-thread') it is thrown.
 */
function endThreadAfterFault(port: MessagePort, err: unknown): void {
  if (isMainThread || err instanceof AppError) return;
  const fault: ThreadFault = { fault: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
  port.postMessage(fault);
  port.close();
  process.exit(1); // in a worker thread, ends this thread only
}

/**
 * @throws (as a TaskResult) AppError BAD_USER_INPUT for data or spec problems, as trainFromTable;
 *   QUOTA_EXCEEDED when the run passes `limits`. Any other fault ends the thread (see endThreadAfterFault).
 */
export function train(input: TrainInput) {
  return runTaskAsync(
    async (): Promise<TrainOutput> => {
      try {
        return await trainOnce(input);
      } catch (err) {
        endThreadAfterFault(input.port, err);
        throw err;
      } finally {
        input.port.postMessage({ done: true });
        input.port.close();
      }
    },
    // On the main thread ('main-thread') nothing crosses threads: the result is returned as it is.
    isMainThread ? undefined : (output) => (output.table ? tableBuffers(output.table) : []),
  );
}

/** The table to train on: the one given, or the bytes decoded and parsed (timed as `data`). */
function tableOf(input: TrainInput, phases: ThreadPhases): Table {
  if (input.table) return input.table;
  if (!input.bytes) throw new Error('train: neither bytes nor a table');
  const started = performance.now();
  const table = parseCsv(decodeText(input.bytes, input.options.encoding), input.options);
  phases.data = performance.now() - started;
  return table;
}

async function trainOnce(input: TrainInput): Promise<TrainOutput> {
  const backend = await initBackend(input.backend);
  const stop = new Int32Array(input.stop);
  // Read live, so a fit that never yields (trees) still sees the main thread's request.
  const signal = {
    get aborted() {
      return Atomics.load(stop, 0) === 1;
    },
  };
  const onEpoch = async (epoch: Parameters<Parameters<typeof trainFromTable>[3]>[0]) => {
    input.port.postMessage(epoch);
    return signal.aborted ? ('stop' as const) : undefined;
  };
  const onStep = (step: StepProgress) => input.port.postMessage({ step });
  const phases: ThreadPhases = {};
  if (input.format === 'image') {
    if (!input.bytes) throw new Error('train: an image dataset needs its bytes');
    const model = await trainFromImages(input.bytes, input.spec, onEpoch, signal, input.limits);
    return { model, backend, tensors: tf.memory().numTensors, phases };
  }
  const table = tableOf(input, phases);
  const model = await trainFromTable(table, input.choice, input.spec, onEpoch, signal, input.limits, onStep);
  for (const [phase, [start, end]] of Object.entries(model.phases ?? {})) phases[phase as keyof ThreadPhases] = end - start;
  return { model, backend, tensors: tf.memory().numTensors, phases, ...(input.keepTable && !input.table ? { table } : {}) };
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
 * thread ended by a cancellation is replaced at once: all `threads` of them are kept (minThreads),
 * since Piscina adds a thread for a waiting task only when a task is submitted, so with fewer a run
 * submitted while an aborted thread was exiting would wait for another slot's whole run.
 * @param threads training runs at once in this process (one per claimed job).
 * @param heapMb V8 heap limit of each thread, MiB: a run past it ends its own thread only. (Default: 2048)
 */
export function createTrainingThreads(threads: number, heapMb = 2048): TrainingThreads {
  return new ThreadPool(path.join(__dirname, `train-task${path.extname(__filename)}`), threads, {
    idleTimeoutMs: Infinity,
    minThreads: threads,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
}
