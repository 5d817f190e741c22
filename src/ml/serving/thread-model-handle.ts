/**
 * One load of a model version into its scoring shard's thread (see ./scoring-threads.ts): what the
 * served model (src/modules/serving/served-model.ts) or a batch job holds and calls through.
 */
import { ONNX_FRAMEWORK } from '../families/onnx';
import type { StoredModel } from '../predictor';
import type { CallTag } from './fair-queue';
import type { FaultInjection } from './fault-injection';
import type { QuarantineFile } from './quarantine';
import type * as ServeTask from './serve-task';

/** Arguments whose ArrayBuffers move to the thread (e.g. a micro-batch's Float32Array). */
export type Transfer = ArrayBuffer[];

/**
 * Where a version's calls wait (./fair-queue.ts): `thread` for calls that run in the scoring
 * thread (TF.js, trees...), `host` for an uploaded ONNX model's calls, which the thread only
 * forwards to its ONNX host process and awaits.
 */
export type Lane = 'thread' | 'host';

/**
 * The uploaded file's checksum: an ONNX version's file sha256 (kept in its pipeline); '' for a
 * version trained here (not quarantined by file: two runs of the same spec on the same data write
 * the same weights, and a fault injected into one of them must not refuse the other).
 */
function artifactSha256(stored: StoredModel): string {
  const onnx = (stored.preprocessing as { onnx?: { sha256?: unknown } } | null)?.onnx;
  return typeof onnx?.sha256 === 'string' ? onnx.sha256 : '';
}

/** What a handle asks of the scoring threads that made it (src/ml/serving/scoring-threads.ts). */
export interface HandleOwner {
  ensureLoaded(handle: ThreadModelHandle): Promise<ServeTask.LoadOutput>;
  call(handle: ThreadModelHandle, method: string, args: unknown[], transfer: Transfer): Promise<unknown>;
  unload(handle: ThreadModelHandle): void;
}

/** One load of a version into its shard's thread. Calls are generic: a method name and structured-cloneable arguments. */
export class ThreadModelHandle {
  disposed = false;
  /** The shard generation this handle was loaded in, and what the thread said about it. */
  loadedIn?: { generation: number; info: Promise<ServeTask.LoadOutput> };
  /** Its tenant, version and artifact checksum (fair queueing, quarantine by file). */
  readonly tag: CallTag;
  readonly lane: Lane;

  constructor(
    private readonly owner: HandleOwner,
    readonly versionId: string,
    readonly key: string,
    readonly stored: StoredModel,
    readonly inject: FaultInjection['mode'] | undefined,
    tenantId: string,
  ) {
    this.tag = { tenantId, versionId, artifact: artifactSha256(stored) };
    this.lane = stored.framework === ONNX_FRAMEWORK ? 'host' : 'thread';
  }

  /** Its uploaded file, as the quarantine keys it (per tenant); undefined for a version trained here. */
  get file(): QuarantineFile | undefined {
    return this.tag.artifact ? { tenantId: this.tag.tenantId, sha256: this.tag.artifact } : undefined;
  }

  /** Loads it in its thread now (and again after that thread is replaced). @returns its shapes and methods. */
  ready(): Promise<ServeTask.LoadOutput> {
    return this.owner.ensureLoaded(this);
  }

  /**
   * Calls `method` in the thread, after the calls ahead of it in its tenant's turn (./fair-queue.ts).
   * @param transfer buffers of `args` moved to the thread (the caller must not use them afterwards).
   * @throws AppError as the method throws it; NOT_SUPPORTED; MODEL_NOT_READY with `fault:
   *   'RUNTIME_FAULT'` when this version (or its file) crashed its runtime or is quarantined, also
   *   while the call waited; MODEL_NOT_READY (`reason: 'SHUTTING_DOWN'`) when the server stops;
   *   QUOTA_EXCEEDED when its tenant has SCORING_MAX_QUEUED_PER_TENANT calls waiting on the shard, or
   *   (`reason: 'HOST_FAULT_BACKOFF'`, an ONNX version) while its tenant is backed off after
   *   crashing the ONNX host too often (./tenant-fault-backoff.ts), also while the call waited;
   *   Error (with the model's message) when the model's call failed otherwise.
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

/** The ArrayBuffers of typed-array arguments (moved to the thread). */
export function argBuffers(args: unknown[]): Transfer {
  const out: Transfer = [];
  for (const a of args)
    if (ArrayBuffer.isView(a) && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  return out;
}
