/**
 * Worker threads for CPU-bound work that must not hold the event loop: parsing and profiling a
 * CSV of tens of MB takes seconds, and on the request thread it would stall every tenant's
 * requests meanwhile. Built on Piscina; tasks are the exported functions of one module, each
 * returning a {@link TaskResult} (see task-result.ts).
 *
 * When the sources run as .ts (`npm test`) the threads load the module
 * through ts-worker.cjs, which compiles TypeScript on require; built code (dist/) loads the .js.
 */
import path from 'node:path';
import { Piscina } from 'piscina';
import { AppError } from '../errors';
import type { TaskResult } from './task-result';

type TaskModule = Record<string, (input: never) => unknown>;
type ValueOf<R> = Extract<Awaited<R>, { ok: true }> extends { value: infer T } ? T : never;

/**
 * The value of a task's result.
 * @throws AppError as the task threw it; Error for any other failure, naming the task.
 */
export function unwrap<T>(name: string, result: TaskResult<T>): T {
  if (!result.ok) {
    if (result.error.code) throw new AppError(result.error.code, result.error.message, result.error.details);
    throw new Error(`thread task ${name} failed: ${result.error.message}`);
  }
  return result.value;
}

export interface ThreadPoolOptions {
  /** An idle thread exits after this long, ms. (Default: 60,000; Infinity = never) */
  idleTimeoutMs?: number;
  /**
   * Threads kept up once the pool is first used. 1 also replaces a thread ended by an abort at once:
   * Piscina starts threads for waiting tasks only when a task is submitted, so without it a task
   * queued behind an aborted one would wait for the next submission. (Default: 0)
   */
  minThreads?: number;
  /**
   * Tasks that may wait for a thread; beyond it `run` refuses at once with QUOTA_EXCEEDED, so a
   * burst (say, many large uploads) cannot pile up their inputs in memory. (Default: 16 per thread)
   */
  maxQueue?: number;
  /**
   * V8 limits of each thread (worker_threads resourceLimits): a thread past them is ended alone and
   * its task rejects (ERR_WORKER_OUT_OF_MEMORY); the pool starts another. WebAssembly memory is not
   * counted. (Default: none, the process' limits)
   */
  resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };
  /** Receives what a thread posts on its `parentPort` (e.g. the reason it is about to end itself). */
  onMessage?: (message: unknown) => void;
  /**
   * Receives a thread's failure when no task was running on it (Piscina emits it as an 'error'
   * event, which would otherwise end the process). (Default: ignored)
   */
  onError?: (err: Error) => void;
  /**
   * Tasks one thread runs at once: an async task that awaits (say, another process) lets the next
   * one start meanwhile. (Default: 1)
   */
  concurrentTasksPerThread?: number;
}

export class ThreadPool<M extends TaskModule> {
  private pool?: Piscina;

  /**
   * The threads start on first use (a process that never runs a task never starts one).
   * @param modulePath absolute path of the task module, .ts or .js.
   * @param threads maximum worker threads (at least 1).
   */
  constructor(
    private readonly modulePath: string,
    private readonly threads: number,
    private readonly options: ThreadPoolOptions = {},
  ) {}

  private get piscina(): Piscina {
    if (this.pool) return this.pool;
    const typescript = this.modulePath.endsWith('.ts');
    const idle = this.options.idleTimeoutMs ?? 60_000;
    const max = Math.max(1, this.threads);
    this.pool = new Piscina({
      filename: typescript ? path.join(__dirname, 'ts-worker.cjs') : this.modulePath,
      workerData: { modulePath: this.modulePath },
      minThreads: Math.min(max, this.options.minThreads ?? 0),
      maxThreads: max,
      idleTimeout: Number.isFinite(idle) ? idle : 2 ** 31 - 1,
      maxQueue: this.options.maxQueue ?? 16 * max,
      concurrentTasksPerWorker: this.options.concurrentTasksPerThread ?? 1,
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
    });
    const { onMessage, onError } = this.options;
    if (onMessage) this.pool.on('message', onMessage);
    if (onError) this.pool.on('error', onError);
    return this.pool;
  }

  /**
   * Runs task `name` with `input` (copied to the thread by structured clone) on a free thread,
   * queueing when all are busy.
   * @param transferList objects moved rather than copied (e.g. a MessagePort for progress).
   * @param signal aborting it ends the task at once: a running task's thread is terminated and
   *   `run` rejects with an AbortError (see minThreads for the tasks waiting behind it).
   * @throws AppError as thrown by the task (its code, message and details survive the thread hop);
   *   QUOTA_EXCEEDED (with retryAfterSeconds) when maxQueue tasks already wait; any other error as
   *   an Error with the task's message.
   */
  async run<K extends keyof M & string>(name: K, input: Parameters<M[K]>[0], transferList?: Transferable[], signal?: AbortSignal): Promise<ValueOf<ReturnType<M[K]>>> {
    let result: TaskResult<ValueOf<ReturnType<M[K]>>>;
    try {
      result = await this.piscina.run(input, { name, transferList: transferList as never, signal });
    } catch (err) {
      if (err instanceof Error && err.message === 'Task queue is at limit') {
        throw new AppError('QUOTA_EXCEEDED', `The server is busy: ${this.piscina.queueSize} ${name} tasks are waiting already; retry in a few seconds`, { retryAfterSeconds: 5 });
      }
      throw err;
    }
    return unwrap(name, result);
  }

  /** Threads running now, and tasks waiting for one. */
  stats() {
    return { threads: this.pool?.threads.length ?? 0, queued: this.pool?.queueSize ?? 0, completed: this.pool?.completed ?? 0 };
  }

  /** Waits for running tasks, then stops the threads. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
