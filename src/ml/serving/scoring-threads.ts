/**
 * Scoring in isolated worker threads (SERVING_ISOLATION=thread), the API side. A model whose
 * scoring crashes its runtime (a WASM abort, a V8 heap past SERVING_THREAD_HEAP_MB, a thread exit)
 * takes down one scoring thread, never the process: its calls fail with MODEL_NOT_READY
 * (`fault: 'RUNTIME_FAULT'`), the version is quarantined for SERVING_QUARANTINE_SECONDS (refused at
 * once, so it cannot crash threads in a loop), the pool starts a fresh thread, and calls of other
 * versions queued for the dead thread run on the fresh one (their models are loaded there again,
 * from the artifact kept here).
 *
 * Glossary: a *shard* is one thread (a Piscina pool of one) and the models loaded in it; a version
 * always scores on the same shard (by a hash of its id), so it is loaded in one thread only. A
 * *handle* is one load of a version (src/modules/serving/served-model.ts holds one per cached
 * version; a batch prediction holds its own); its *key* names the model inside the thread.
 * A shard's *generation* counts its threads: a handle loaded in an older one loads again.
 */
import path from 'node:path';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { ThreadPool } from '../../lib/threads/thread-pool';
import type { OnnxHostSettings } from '../families/onnx/host/host-process';
import { isOnnxHostCrash } from '../families/onnx/host/host-process';
import type { StoredModel } from '../predictor';
import type { BackendName } from '../tf';
import type { FaultInjection } from './fault-injection';
import type * as ServeTask from './serve-task';
import { Quarantine } from './quarantine';
import type { RuntimeFaultError } from './runtime-fault-error';

type ServePool = ThreadPool<{
  warmUp: typeof ServeTask.warmUp;
  load: typeof ServeTask.load;
  call: typeof ServeTask.call;
  unload: typeof ServeTask.unload;
  info: typeof ServeTask.info;
  closeHosts: typeof ServeTask.closeHosts;
}>;

interface Shard {
  index: number;
  pool: ServePool;
  generation: number;
  /** The reason the thread posted before it ended itself (see serve-task.ts). */
  lastFault?: { key: string; reason: string };
}

export interface ScoringThreadsOptions {
  /** Scoring threads (shards). (Default: 1) */
  threads: number;
  /** V8 heap limit of each thread, MiB: a model past it ends its thread alone. */
  heapMb: number;
  /** How long a version that crashed its thread is refused, seconds. */
  quarantineSeconds: number;
  /** The process' backend; threads use WASM when it is the native one (it cannot load twice). */
  backend: BackendName;
  /** Test only (SCORING_FAULT_INJECTION). */
  faultInjection?: FaultInjection[];
  /** How each thread starts its ONNX host process (one per shard, src/ml/families/onnx/host/hosts.ts). */
  onnxHost?: Partial<OnnxHostSettings>;
  log?: Logger;
}

/** What /healthz and /metrics report. */
export interface ScoringStats {
  isolation: 'thread';
  /** Configured threads, and those running now. */
  threads: number;
  running: number;
  /** Threads lost to a runtime fault since the process started. */
  faults: number;
  /** Calls run again on a fresh thread because theirs was replaced (their model loaded there again first). */
  retries: number;
  /** Versions refused now after crashing their thread. */
  quarantined: number;
}

/** Told of each runtime fault (for metrics). Carries no tenant. */
export type FaultListener = (fault: { versionId: string; reason: string }) => void;

/** Arguments whose ArrayBuffers move to the thread (e.g. a micro-batch's Float32Array). */
export type Transfer = ArrayBuffer[];

/** One load of a version into its shard's thread. Calls are generic: a method name and structured-cloneable arguments. */
export class ThreadModelHandle {
  disposed = false;
  /** The shard generation this handle was loaded in, and what the thread said about it. */
  loadedIn?: { generation: number; info: Promise<ServeTask.LoadOutput> };

  constructor(
    private readonly owner: ScoringThreads,
    readonly versionId: string,
    readonly key: string,
    readonly stored: StoredModel,
    readonly inject: FaultInjection['mode'] | undefined,
  ) {}

  /** Loads it in its thread now (and again after that thread is replaced). @returns its shapes and methods. */
  ready(): Promise<ServeTask.LoadOutput> {
    return this.owner.ensureLoaded(this);
  }

  /**
   * Calls `method` in the thread.
   * @param transfer buffers of `args` moved to the thread (the caller must not use them afterwards).
   * @throws AppError as the method throws it; NOT_SUPPORTED; MODEL_NOT_READY with `fault:
   *   'RUNTIME_FAULT'` when this version crashed its thread or is quarantined; QUOTA_EXCEEDED when
   *   too many calls wait; Error (with the model's message) when the model's call failed otherwise.
   */
  call<T>(method: string, args: unknown[], transfer: Transfer = []): Promise<T> {
    return this.owner.call(this, method, args, transfer) as Promise<T>;
  }

  /** Unloads it from its thread (later calls throw). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.owner.unload(this);
  }
}

/** Most calls waiting for one thread before the next is refused as busy (micro-batches, so calls are few). */
const MAX_QUEUE = 4096;

export class ScoringThreads {
  private readonly shards: Shard[];
  private readonly quarantine: Quarantine;
  private readonly listeners: FaultListener[] = [];
  private readonly backend: BackendName;
  private faults = 0;
  private retries = 0;
  private keys = 0;

  constructor(private readonly options: ScoringThreadsOptions) {
    this.backend = options.backend === 'tensorflow' ? 'wasm' : options.backend;
    this.quarantine = new Quarantine(options.quarantineSeconds);
    const modulePath = path.join(__dirname, `serve-task${path.extname(__filename)}`);
    this.shards = Array.from({ length: Math.max(1, options.threads) }, (_, index) => {
      const shard: Shard = {
        index,
        generation: 0,
        pool: new ThreadPool(modulePath, 1, {
          idleTimeoutMs: Infinity, // its models live in it
          minThreads: 1, // a thread that died is replaced at once
          maxQueue: MAX_QUEUE,
          resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
          onMessage: (m) => {
            const fault = (m as Partial<ServeTask.ScoringThreadFault>)?.scoringFault;
            if (fault) shard.lastFault = fault;
          },
          onError: () => undefined, // a thread lost with no call on it: the next call loads afresh
        }),
      };
      return shard;
    });
  }

  /** Starts every thread and its TF.js backend ahead of the first call (a few hundred ms each). */
  async warmUp(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.pool.run('warmUp', this.backend)));
  }

  /** A new handle for a version's stored artifact; nothing is loaded until its first call (or `ready()`). */
  register(versionId: string, stored: StoredModel): ThreadModelHandle {
    const inject = this.options.faultInjection?.find((f) => f.versionId === versionId)?.mode;
    return new ThreadModelHandle(this, versionId, `${versionId}#${++this.keys}`, stored, inject);
  }

  /** Tells `listener` of every runtime fault. */
  onFault(listener: FaultListener): void {
    this.listeners.push(listener);
  }

  stats(): ScoringStats {
    const running = this.shards.reduce((n, s) => n + s.pool.stats().threads, 0);
    return { isolation: 'thread', threads: this.shards.length, running, faults: this.faults, retries: this.retries, quarantined: this.quarantine.size() };
  }

  /** Per thread: its id, live TF.js tensors and models loaded (tests check tensors stay flat). */
  threadInfo(): Promise<{ threadId: number; tensors: number; models: number }[]> {
    return Promise.all(this.shards.map((s) => s.pool.run('info', undefined)));
  }

  /** Waits for running calls, ends the threads' ONNX host processes, then stops the threads. */
  async close(): Promise<void> {
    await Promise.all(this.shards.map((s) => (s.pool.stats().threads > 0 ? s.pool.run('closeHosts', undefined).catch(() => undefined) : undefined)));
    await Promise.all(this.shards.map((s) => s.pool.close()));
  }

  private shardOf(versionId: string): Shard {
    let h = 0;
    for (let i = 0; i < versionId.length; i++) h = (h * 31 + versionId.charCodeAt(i)) | 0;
    return this.shards[Math.abs(h) % this.shards.length];
  }

  /** @internal see ThreadModelHandle.ready */
  ensureLoaded(handle: ThreadModelHandle): Promise<ServeTask.LoadOutput> {
    if (handle.disposed) return Promise.reject(new Error('Scorer used after dispose()'));
    try {
      this.quarantine.refuse(handle.versionId);
    } catch (err) {
      return Promise.reject(err);
    }
    const shard = this.shardOf(handle.versionId);
    if (handle.loadedIn?.generation === shard.generation) return handle.loadedIn.info;
    const generation = shard.generation;
    const info = shard.pool
      .run('load', { key: handle.key, stored: handle.stored, backend: this.backend, inject: handle.inject, onnxHost: this.options.onnxHost })
      .catch((err: unknown) => {
        if (handle.loadedIn?.info === info) handle.loadedIn = undefined; // a failed load is not kept
        if (isOnnxHostCrash(err)) throw this.hostDied(shard, handle, err);
        if (err instanceof AppError) throw err;
        throw this.threadDied(shard, generation, handle, err);
      });
    handle.loadedIn = { generation, info };
    return info;
  }

  /** @internal see ThreadModelHandle.call */
  async call(handle: ThreadModelHandle, method: string, args: unknown[], transfer: Transfer): Promise<unknown> {
    const shard = this.shardOf(handle.versionId);
    for (let attempt = 0; ; attempt++) {
      await this.ensureLoaded(handle);
      const generation = shard.generation;
      let out: ServeTask.CallOutput;
      try {
        out = await shard.pool.run('call', { key: handle.key, method, args }, transfer);
      } catch (err) {
        if (isOnnxHostCrash(err)) throw this.hostDied(shard, handle, err);
        if (err instanceof AppError) throw err;
        const fault = this.threadDied(shard, generation, handle, err);
        // Another version crashed the thread this call was on: run it once more on the fresh one.
        if (fault.versionId !== handle.versionId && attempt === 0 && !transfer.some((b) => b.byteLength === 0)) {
          this.retries++;
          continue;
        }
        if (fault.versionId !== handle.versionId) throw new Error(`the scoring thread failed under another model version: ${fault.reason}`, { cause: err });
        throw fault;
      }
      if ('value' in out) return out.value;
      if ('error' in out) throw new Error(out.error);
      // A fresh thread that never loaded this handle: it sent the arguments back; load, then call again.
      if (attempt > 0) throw new Error('the scoring thread lost the model twice in a row');
      if (handle.loadedIn?.generation === generation) handle.loadedIn = undefined;
      args = out.args;
      transfer = argBuffers(args);
      this.retries++;
    }
  }

  /** @internal see ThreadModelHandle.dispose */
  unload(handle: ThreadModelHandle): void {
    const shard = this.shardOf(handle.versionId);
    if (handle.loadedIn?.generation !== shard.generation) return;
    handle.loadedIn = undefined;
    shard.pool.run('unload', handle.key).catch(() => undefined); // a thread gone meanwhile took the model with it
  }

  /**
   * The ONNX host process of `shard`'s thread ended under `handle`'s call (a native crash, memory
   * past ONNX_HOST_MAX_RSS_MB): the thread lives on, the version is quarantined as if it had crashed
   * the thread, and the thread starts a fresh host for the next ONNX load or call.
   */
  private hostDied(shard: Shard, handle: ThreadModelHandle, err: AppError): RuntimeFaultError {
    const reason = `ONNX host: ${String(err.details?.reason ?? err.message)}`.slice(0, 300);
    this.faults++;
    const fault = this.quarantine.add(handle.versionId, reason);
    this.options.log?.error(
      { modelVersionId: handle.versionId, reason, thread: shard.index, quarantineSeconds: this.options.quarantineSeconds },
      'a model version crashed its ONNX host process: the version is quarantined and a fresh host starts on the next load',
    );
    for (const l of this.listeners) l({ versionId: handle.versionId, reason });
    return fault;
  }

  /**
   * A call or load on `shard` was rejected without a result: its thread ended (Piscina replaces it).
   * The version whose call was running is the culprit (a thread runs one call at a time): the one
   * the thread named as it ended itself, or else `handle`'s. Counted and quarantined once per thread.
   */
  private threadDied(shard: Shard, generation: number, handle: ThreadModelHandle, err: unknown): RuntimeFaultError {
    const named = shard.lastFault;
    const versionId = named ? named.key.slice(0, named.key.lastIndexOf('#')) : handle.versionId;
    const reason = (named?.reason ?? (err instanceof Error ? err.message : String(err))).slice(0, 300);
    if (shard.generation === generation) {
      shard.generation++;
      shard.lastFault = undefined;
      this.faults++;
      this.quarantine.add(versionId, reason);
      this.options.log?.error(
        { modelVersionId: versionId, reason, thread: shard.index, quarantineSeconds: this.options.quarantineSeconds },
        'a model version crashed its scoring thread: the thread is replaced and the version quarantined',
      );
      for (const l of this.listeners) l({ versionId, reason });
    }
    return this.quarantine.errorFor(versionId, reason);
  }
}

/** The ArrayBuffers of typed-array arguments (moved to the thread). */
export function argBuffers(args: unknown[]): Transfer {
  const out: Transfer = [];
  for (const a of args)
    if (ArrayBuffer.isView(a) && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  return out;
}
