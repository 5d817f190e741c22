/**
 * Contains a fault of one model's scoring (issue #10): an error that is not an AppError, thrown
 * while a version scores, fails only the requests in that call with a coded error, and the version
 * is unloaded so the next request loads it afresh (a fresh scorer, fresh tensors). An abort of the
 * WASM runtime itself is recorded (src/ml/runtime-fault.ts): /healthz then fails so the process is
 * restarted, since TF.js cannot reload its WASM module in a running process.
 */
import { AppError } from '../../lib/errors';
import type { Scorer } from '../../ml/families/model-family';
import { isRuntimeAbort, markRuntimeFault } from '../../ml/runtime-fault';

/** Told once per fault, with the version id and the reason (for the log and the cache). */
export type OnScoringFault = (versionId: string, reason: string, runtimeAborted: boolean) => void;

/**
 * @returns `scorer` whose `score` rethrows AppErrors as they are and turns any other error into
 *   AppError MODEL_NOT_READY (details: modelVersionId, retryAfterSeconds) after calling `onFault`.
 *   MODEL_NOT_READY rather than INTERNAL_SERVER_ERROR: the caller's input was valid and the version
 *   is being reloaded, so retrying is the right move.
 */
export function guardScorer(scorer: Scorer, versionId: string, onFault: OnScoringFault): Scorer {
  return {
    inputShape: scorer.inputShape,
    outputShape: scorer.outputShape,
    score(x, rows) {
      try {
        return scorer.score(x, rows);
      } catch (err) {
        if (err instanceof AppError) throw err;
        const reason = (err instanceof Error ? err.message : String(err)).slice(0, 200);
        const aborted = isRuntimeAbort(err);
        if (aborted) markRuntimeFault(reason);
        onFault(versionId, reason, aborted);
        throw new AppError('MODEL_NOT_READY', `Model version '${versionId}' failed while scoring; it was unloaded and is loaded afresh on the next request`, {
          modelVersionId: versionId,
          retryAfterSeconds: 1,
        });
      }
    },
    dispose: () => scorer.dispose(),
  };
}
