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
 *
 * Fairness across tenants (issue 10): each shard has two *lanes*, each a {@link FairQueue}:
 * `thread` (one slot) for calls that compute in the thread (TF.js and the other in-thread families)
 * and `host` for uploaded ONNX models' calls, which the thread only forwards to an ONNX host process
 * and awaits. A host answers one request at a time, so the host lane has one slot per host
 * (ONNX_HOSTS_PER_THREAD, default 2) and a tenant's calls hold at most all but one of them at once:
 * one tenant's long call (up to ONNX_INFER_TIMEOUT_MS) never makes another tenant's call wait; that
 * takes the calls of as many other tenants as there are hosts. The thread runs several tasks
 * at once (Piscina's concurrentTasksPerWorker), so a TF.js call never waits behind an ONNX call
 * that is stuck in the host, and in each lane calls are taken round-robin across tenants, at most
 * SCORING_MAX_QUEUED_PER_TENANT per tenant. A version quarantined while its calls wait fails them
 * at once (they never reach the thread or the host); so does another version of the same tenant
 * with the same file (./quarantine.ts). A tenant whose ONNX models crashed the host too often is
 * refused in the host lane for a while (./tenant-fault-backoff.ts). `shutdown` fails every waiting
 * call and kills the hosts (and with them the calls stuck there), so stopping is never held by a
 * hung model.
 */
import path from 'node:path';
import { AppError } from '../../lib/errors';
import { isOnnxHostCrash } from '../families/onnx/host/host-process';
import type { StoredModel } from '../predictor';
import type { BackendName } from '../tf';
import type * as ServeTask from './serve-task';
import { Quarantine } from './quarantine';
import { TenantFaultBackoff } from './tenant-fault-backoff';
import type { FaultListener, ScoringStats, ScoringThreadsOptions } from './scoring-options';
import type { RuntimeFaultError } from './runtime-fault-error';
import type { CallTag } from './fair-queue';
import { createShard, type Shard } from './scoring-shard';
import { shuttingDown } from './shutting-down';
import { argBuffers, ThreadModelHandle, type HandleOwner, type Lane, type Transfer } from './thread-model-handle';
import { inSpan, tracingOn, type Span } from '../../lib/tracing/tracer';

export { argBuffers, ThreadModelHandle, type Transfer } from './thread-model-handle';
export type { FaultListener, ScoringStats, ScoringThreadsOptions } from './scoring-options';

export class ScoringThreads implements HandleOwner {
  private readonly shards: Shard[];
  private readonly quarantine: Quarantine;
  private readonly backoff: TenantFaultBackoff;
  private readonly listeners: FaultListener[] = [];
  private readonly backend: BackendName;
  private faults = 0;
  private retries = 0;
  private keys = 0;
  /** Live handles by key (to find the tenant and file of the version a dying thread named). */
  private readonly handles = new Map<string, ThreadModelHandle>();
  private closing?: Promise<void>;

  /** SCORING_SLICE_WORK: the batch jobs slice their calls by it (sliced-score.ts). */
  get sliceWork(): number | undefined {
    return this.options.sliceWork;
  }

  constructor(private readonly options: ScoringThreadsOptions) {
    this.backend = options.backend === 'tensorflow' ? 'wasm' : options.backend;
    this.quarantine = new Quarantine(options.quarantineSeconds);
    this.backoff = new TenantFaultBackoff(options.tenantBackoff, { log: options.log });
    const modulePath = path.join(__dirname, `serve-task${path.extname(__filename)}`);
    this.shards = Array.from({ length: Math.max(1, options.threads) }, (_, index) => createShard(index, modulePath, options));
  }

  /** Starts every thread and its TF.js backend ahead of the first call (a few hundred ms each). */
  async warmUp(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.pool.run('warmUp', this.backend)));
  }

  /**
   * A new handle for a version's stored artifact; nothing is loaded until its first call (or `ready()`).
   * @param tenantId the version's tenant: its calls wait in that tenant's queue, and a fault
   *   quarantines the file for that tenant.
   */
  register(versionId: string, stored: StoredModel, tenantId: string): ThreadModelHandle {
    const inject = this.options.faultInjection?.find((f) => f.versionId === versionId)?.mode;
    const handle = new ThreadModelHandle(this, versionId, `${versionId}#${++this.keys}`, stored, inject, tenantId);
    this.handles.set(handle.key, handle);
    return handle;
  }

  /** Tells `listener` of every runtime fault. */
  onFault(listener: FaultListener): void {
    this.listeners.push(listener);
  }

  stats(): ScoringStats {
    const running = this.shards.reduce((n, s) => n + s.pool.stats().threads, 0);
    return { isolation: 'thread', threads: this.shards.length, running, faults: this.faults, retries: this.retries, quarantined: this.quarantine.size() };
  }

  /** Whether `tenantId`'s file `sha256` is quarantined now, by which version's fault (uploads refuse it: src/modules/registry/upload-version.service.ts). */
  quarantinedFile(tenantId: string, sha256: string): ReturnType<Quarantine['fileQuarantine']> {
    return this.quarantine.fileQuarantine({ tenantId, sha256 });
  }

  /** Calls running and waiting now in the shards' fair queues, by lane, all shards (tests, diagnostics). */
  queueStats(): Record<Lane, { running: number; waiting: number }> {
    const out = { thread: { running: 0, waiting: 0 }, host: { running: 0, waiting: 0 } };
    for (const s of this.shards)
      for (const lane of ['thread', 'host'] as const) {
        const q = s.lanes[lane].stats();
        out[lane].running += q.running;
        out[lane].waiting += q.waiting;
      }
    return out;
  }

  /** Per thread: its id, live TF.js tensors and models loaded (tests check tensors stay flat). */
  threadInfo(): Promise<{ threadId: number; tensors: number; models: number }[]> {
    return Promise.all(this.shards.map((s) => s.pool.run('info', undefined)));
  }

  /**
   * Stops serving (app.stop, first thing): calls waiting and every later call fail at once with
   * MODEL_NOT_READY (`reason: 'SHUTTING_DOWN'`), and the threads' ONNX hosts are killed, so calls
   * stuck there fail too (with the same error). Idempotent.
   */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      for (const s of this.shards) for (const lane of Object.values(s.lanes)) lane.close(shuttingDown);
      await Promise.all(this.shards.map((s) => (s.pool.stats().threads > 0 ? s.pool.run('closeHosts', undefined).catch(() => undefined) : undefined)));
    })();
    return this.closing;
  }

  /** {@link shutdown}, then waits for the calls still running in the threads and stops them. */
  async close(): Promise<void> {
    await this.shutdown();
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
    if (this.closing) return Promise.reject(shuttingDown());
    const refused = this.refusal(handle);
    if (refused) return Promise.reject(refused);
    const shard = this.shardOf(handle.versionId);
    if (handle.loadedIn?.generation === shard.generation) return handle.loadedIn.info;
    const generation = shard.generation;
    if (handle.lane === 'thread') shard.loading.add(handle); // computes in the thread: a suspect if it dies meanwhile
    const info = shard.pool
      .run('load', { key: handle.key, stored: handle.stored, backend: this.backend, inject: handle.inject, onnxHost: this.options.onnxHost })
      .finally(() => shard.loading.delete(handle))
      .catch((err: unknown) => {
        if (handle.loadedIn?.info === info) handle.loadedIn = undefined; // a failed load is not kept
        if (this.closing) throw shuttingDown();
        if (isOnnxHostCrash(err)) throw this.hostDied(shard, handle, err);
        if (err instanceof AppError) throw err;
        throw this.threadDied(shard, generation, handle, err);
      });
    handle.loadedIn = { generation, info };
    return info;
  }

  /** @internal see ThreadModelHandle.call: waits for its turn in its tenant's queue of its lane. */
  call(handle: ThreadModelHandle, method: string, args: unknown[], transfer: Transfer): Promise<unknown> {
    if (this.closing) return Promise.reject(shuttingDown());
    const refused = this.refusal(handle);
    if (refused) return Promise.reject(refused);
    const shard = this.shardOf(handle.versionId);
    if (!tracingOn()) return this.inLane(shard, handle, method, args, transfer);
    // Traced: a span on this side of the thread boundary, from the fair queue to the answer; its
    // `dispatched` event marks when the call left the queue for the thread.
    const attributes = () => ({ 'maas.scoring.method': method, 'maas.scoring.shard': shard.index, 'maas.scoring.lane': handle.lane, 'maas.model.version_id': handle.versionId });
    return inSpan('scoring-thread.call', attributes, (span) => this.inLane(shard, handle, method, args, transfer, span));
  }

  /** Waits for the call's turn in its tenant's queue of its lane, then runs it. */
  private inLane(shard: Shard, handle: ThreadModelHandle, method: string, args: unknown[], transfer: Transfer, span?: Span): Promise<unknown> {
    return shard.lanes[handle.lane].submit(handle.tag, async (slot) => {
      span?.addEvent('dispatched');
      if (handle.lane === 'host') return this.callNow(shard, handle, method, args, transfer, slot);
      shard.inThread = handle;
      try {
        return await this.callNow(shard, handle, method, args, transfer);
      } finally {
        if (shard.inThread === handle) shard.inThread = undefined;
      }
    });
  }

  /**
   * Why a call of `handle` scored on the API thread instead of its shard (a small call of a version
   * with a JS scorer: src/modules/serving/served-model.ts, INLINE_SCORING_MAX_MACS) is refused, as
   * its call here would be: MODEL_NOT_READY (`reason: 'SHUTTING_DOWN'`) once the server stops, the
   * quarantine's error while its version is quarantined; undefined when it may score.
   */
  inlineRefusal(handle: ThreadModelHandle): AppError | undefined {
    return this.closing ? shuttingDown() : this.refusal(handle);
  }

  /** Why `handle` may not load or score now: its version (or file) is quarantined, or (an ONNX one) its tenant backed off. */
  private refusal(handle: ThreadModelHandle): AppError | undefined {
    return this.quarantine.check(handle.versionId, handle.file) ?? (handle.lane === 'host' ? this.backoff.check(handle.tag.tenantId) : undefined);
  }

  /**
   * Runs the call in the thread now (its turn came): loads the handle first when needed, runs it once
   * more on a fresh thread when another version crashed this one.
   * @param host an ONNX call's host slot (the host lane's slot it was given).
   */
  private async callNow(shard: Shard, handle: ThreadModelHandle, method: string, args: unknown[], transfer: Transfer, host?: number): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      await this.ensureLoaded(handle);
      const generation = shard.generation;
      let out: ServeTask.CallOutput;
      try {
        out = await shard.pool.run('call', { key: handle.key, method, args, ...(host !== undefined ? { host } : {}) }, transfer);
      } catch (err) {
        if (this.closing) throw shuttingDown();
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
    this.handles.delete(handle.key);
    const shard = this.shardOf(handle.versionId);
    if (handle.loadedIn?.generation !== shard.generation) return;
    handle.loadedIn = undefined;
    shard.pool.run('unload', handle.key).catch(() => undefined); // a thread gone meanwhile took the model with it
  }

  /**
   * Counts a host-costly misuse by `tenantId` (an ONNX call whose real output was refused as too
   * large after the host computed it) like a host fault: it may start the tenant's back-off, and
   * then its waiting ONNX calls fail at once.
   */
  countTenantFault(tenantId: string): void {
    const backoff = this.backoff.record(tenantId);
    if (backoff)
      this.drop(
        (t) => t.tenantId === backoff.tenantId,
        () => this.backoff.check(backoff.tenantId)!,
        'host',
      );
  }

  /**
   * The ONNX host process of `shard`'s thread ended under `handle`'s call (a native crash, memory
   * past ONNX_HOST_MAX_RSS_MB): the thread lives on, the version is quarantined as if it had crashed
   * the thread, and the thread starts a fresh host for the next ONNX load or call. The fault counts
   * against the version's tenant, which may start its back-off (./tenant-fault-backoff.ts).
   */
  private hostDied(shard: Shard, handle: ThreadModelHandle, err: AppError): RuntimeFaultError {
    const reason = `ONNX host: ${String(err.details?.reason ?? err.message)}`.slice(0, 300);
    this.faults++;
    const fault = this.quarantine.add(handle.versionId, reason, handle.file);
    const dropped = this.dropQuarantined(handle.tag);
    this.options.log?.error(
      { modelVersionId: handle.versionId, reason, thread: shard.index, quarantineSeconds: this.options.quarantineSeconds, droppedCalls: dropped },
      'a model version crashed its ONNX host process: the version (and its file) is quarantined, its waiting calls fail, and a fresh host starts on the next load',
    );
    for (const l of this.listeners) l({ versionId: handle.versionId, reason });
    // Too many faults of this tenant: back off, and its ONNX calls waiting now fail at once.
    this.countTenantFault(handle.tag.tenantId);
    return fault;
  }

  /**
   * A call or load on `shard` was rejected without a result: its thread ended (Piscina replaces it).
   * The culprit is the version the thread named as it ended itself, or else the one whose call was
   * computing in the thread (its `thread` lane; ONNX calls only await their host there), or else
   * one whose in-thread load was running, or else `handle`'s. Counted and quarantined (with its file) once per thread.
   */
  private threadDied(shard: Shard, generation: number, handle: ThreadModelHandle, err: unknown): RuntimeFaultError {
    // A second call of the same dead thread: the culprit was found by the first.
    if (shard.generation !== generation && shard.died?.generation === generation) return this.quarantine.errorFor(shard.died.versionId, shard.died.reason);
    const named = shard.lastFault;
    const culprit = named ? this.handles.get(named.key) : (shard.inThread ?? [...shard.loading][0] ?? handle);
    const versionId = named ? named.key.slice(0, named.key.lastIndexOf('#')) : culprit!.versionId;
    const reason = (named?.reason ?? (err instanceof Error ? err.message : String(err))).slice(0, 300);
    if (shard.generation === generation) {
      shard.died = { generation, versionId, reason };
      shard.generation++;
      shard.lastFault = undefined;
      this.faults++;
      this.quarantine.add(versionId, reason, culprit?.file);
      const dropped = this.dropQuarantined(culprit?.tag ?? { tenantId: '', versionId, artifact: '' });
      this.options.log?.error(
        { modelVersionId: versionId, reason, thread: shard.index, quarantineSeconds: this.options.quarantineSeconds, droppedCalls: dropped },
        'a model version crashed its scoring thread: the thread is replaced, the version (and its file) quarantined and its waiting calls fail',
      );
      for (const l of this.listeners) l({ versionId, reason });
    }
    return this.quarantine.errorFor(versionId, reason);
  }

  /**
   * Fails at once the waiting calls, on every shard, of the version `tag` names and of the other
   * versions of its tenant with the same file, with the quarantine's error. @returns how many.
   */
  private dropQuarantined(tag: CallTag): number {
    const match = (t: CallTag) => t.versionId === tag.versionId || (tag.artifact !== '' && t.tenantId === tag.tenantId && t.artifact === tag.artifact);
    const error = (t: CallTag) =>
      this.quarantine.check(t.versionId, t.artifact ? { tenantId: t.tenantId, sha256: t.artifact } : undefined) ?? this.quarantine.errorFor(t.versionId, 'quarantined');
    return this.drop(match, error);
  }

  /** Fails at once the waiting calls `match` selects, on every shard (in `lane` only, when given). @returns how many. */
  private drop(match: (tag: CallTag) => boolean, error: (tag: CallTag) => Error, lane?: Lane): number {
    let dropped = 0;
    for (const s of this.shards) for (const [name, q] of Object.entries(s.lanes)) if (!lane || name === lane) dropped += q.drop(match, error);
    return dropped;
  }
}
