/**
 * Contains a fault of one model's scoring (issue #10): an error that is not an AppError, thrown
 * while a version scores, fails only the requests in that call with a coded error, and the version
 * is unloaded so the next request loads it afresh (a fresh scorer, fresh tensors). Inline
 * (SERVING_ISOLATION=inline), an abort of the WASM runtime itself is recorded
 * (src/ml/runtime-fault.ts): /healthz then fails so the process is restarted, since TF.js cannot
 * reload its WASM module in a running process; and, as on scoring threads, the version is
 * quarantined (src/ml/serving/quarantine.ts): that call and every call of it for
 * SERVING_QUARANTINE_SECONDS get MODEL_NOT_READY with `fault: 'RUNTIME_FAULT'`, at once, without
 * running it again. On scoring threads such an abort ends only that thread
 * (src/ml/serving/scoring-threads.ts: an AppError with `fault: 'RUNTIME_FAULT'`, passed on). An
 * ONNX model whose host process ended under its call (src/ml/families/onnx/host/) is quarantined
 * the same way inline, without failing /healthz: the process' runtimes are intact; and counted
 * against its tenant (src/ml/serving/tenant-fault-backoff.ts): past SERVING_TENANT_MAX_FAULTS, the
 * tenant's ONNX versions are refused for a while (QUOTA_EXCEEDED, `reason: 'HOST_FAULT_BACKOFF'`).
 */
import { AppError } from '../../lib/errors';
import type { Scorer } from '../../ml/families/model-family';
import { isOnnxHostCrash } from '../../ml/families/onnx/host/host-process';
import { isRuntimeAbort, markRuntimeFault } from '../../ml/runtime-fault';
import type { Quarantine } from '../../ml/serving/quarantine';
import type { TenantFaultBackoff } from '../../ml/serving/tenant-fault-backoff';

/** An inline ONNX version's tenant, and the back-off its host faults count in. */
export interface HostBackoff {
  backoff: TenantFaultBackoff;
  tenantId: string;
}

/** Told once per fault, with the version id and the reason (for the log and the cache). */
export type OnScoringFault = (versionId: string, reason: string, runtimeAborted: boolean) => void;

/**
 * @param quarantine inline scoring's (SERVING_ISOLATION=inline): a version whose scoring aborts the
 *   runtime is put there, and refused while it is.
 * @param hostBackoff an uploaded ONNX version's (inline): its host faults count against its tenant,
 *   and its calls are refused while the tenant is backed off.
 * @returns `scorer` whose `score` and `methods` rethrow AppErrors as they are and turn any other
 *   error into AppError MODEL_NOT_READY (details: modelVersionId, retryAfterSeconds) after calling
 *   `onFault` — a RuntimeFaultError (`fault: 'RUNTIME_FAULT'`) when the runtime aborted and
 *   `quarantine` is given. MODEL_NOT_READY rather than INTERNAL_SERVER_ERROR: the caller's input was
 *   valid and the version is being reloaded, so retrying is the right move.
 * @throws RuntimeFaultError from `score` and `methods` while the version is quarantined; AppError
 *   QUOTA_EXCEEDED (`reason: 'HOST_FAULT_BACKOFF'`) while `hostBackoff`'s tenant is backed off.
 */
export function guardScorer(scorer: Scorer, versionId: string, onFault: OnScoringFault, quarantine?: Quarantine, hostBackoff?: HostBackoff): Scorer {
  const fault = (err: unknown) => {
    if (isOnnxHostCrash(err) && quarantine) hostBackoff?.backoff.record(hostBackoff.tenantId);
    return scoringFault(err, versionId, onFault, true, quarantine);
  };
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      quarantine?.refuse(versionId);
      hostBackoff?.backoff.refuse(hostBackoff.tenantId);
      try {
        const out = fn(...args);
        // A method that answers later (a Promise) faults later.
        return (out instanceof Promise ? out.catch((err: unknown) => Promise.reject(fault(err))) : out) as R;
      } catch (err) {
        throw fault(err);
      }
    };
  const methods = scorer.methods && Object.fromEntries(Object.entries(scorer.methods).map(([name, fn]) => [name, guard(fn as (...a: unknown[]) => unknown)]));
  return {
    inputShape: scorer.inputShape,
    outputShape: scorer.outputShape,
    score: guard((x: Float32Array, rows: number) => scorer.score(x, rows)),
    ...(methods ? { methods: methods as Scorer['methods'] } : {}),
    dispose: () => scorer.dispose(),
  };
}

/**
 * The same guard for a call that may answer later (a scoring thread): `work`'s rejection becomes
 * what guardScorer throws. A runtime abort does not reach here from a thread (the thread ends, see
 * scoring-threads.ts), so nothing is marked on this thread's runtime.
 */
export async function guardCall<T>(work: () => Promise<T>, versionId: string, onFault: OnScoringFault): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw scoringFault(err, versionId, onFault, false);
  }
}

/**
 * AppErrors as they are; anything else → onFault, then MODEL_NOT_READY (details: modelVersionId,
 * retryAfterSeconds), or the quarantine's RuntimeFaultError for a runtime abort on this thread.
 */
function scoringFault(err: unknown, versionId: string, onFault: OnScoringFault, onThisThread: boolean, quarantine?: Quarantine): unknown {
  if (isOnnxHostCrash(err) && quarantine) {
    // An ONNX host process ended under this call: only it died (not this thread's runtime), so /healthz stays up.
    const reason = `ONNX host: ${String(err.details?.reason ?? err.message)}`.slice(0, 200);
    onFault(versionId, reason, false);
    return quarantine.add(versionId, reason);
  }
  if (err instanceof AppError) return err;
  const reason = (err instanceof Error ? err.message : String(err)).slice(0, 200);
  const aborted = onThisThread && isRuntimeAbort(err);
  if (aborted) markRuntimeFault(reason);
  onFault(versionId, reason, aborted);
  if (aborted && quarantine) return quarantine.add(versionId, reason);
  return new AppError('MODEL_NOT_READY', `Model version '${versionId}' failed while scoring; it was unloaded and is loaded afresh on the next request`, {
    modelVersionId: versionId,
    retryAfterSeconds: 1,
  });
}
