/**
 * How a served version scores (./served-model.ts): on this thread, guarded (scoring-guard.ts), or on
 * a scoring thread (src/ml/serving/scoring-threads.ts) with small calls of a dense network scored here
 * in plain JavaScript.
 */
import { familyForFramework } from '../../ml/families/registry';
import type { StoredModel } from '../../ml/predictor';
import { explainValues, type ExplainOptions, type Explanations } from '../../ml/explain';
import type { FittedPipeline } from '../../ml/preprocess/types';
import type { InlineScoring } from './batcher';
import { AppError } from '../../lib/errors';
import { guardCall, guardScorer, type OnScoringFault } from './scoring-guard';
import type { Quarantine } from '../../ml/serving/quarantine';
import type { TenantFaultBackoff } from '../../ml/serving/tenant-fault-backoff';
import type { Scorer } from '../../ml/families/model-family';
import type { Values } from '../../ml/preprocess/steps';
import { injectFault } from '../../ml/serving/fault-injection';
import { ONNX_FRAMEWORK } from '../../ml/families/onnx';
import { loadMeasured } from '../../ml/serving/measured-load';
import { argBuffers, type ScoringThreads } from '../../ml/serving/scoring-threads';
import type { RowCostEstimate } from '../../ml/serving/row-cost';
import { slicedScore } from '../../ml/serving/sliced-score';
export { sliceRows } from '../../ml/serving/sliced-score';

/** Where and how a served version scores. */
export interface ServeOptions {
  versionId: string;
  /** The version's tenant: on scoring threads its calls wait in that tenant's queue (src/ml/serving/fair-queue.ts). */
  tenantId: string;
  /** Told when a call fails outside the caller's input (the caller unloads the version; see scoring-guard.ts). */
  onFault: OnScoringFault;
  /** Score on these threads (SERVING_ISOLATION=thread); on this thread when undefined. */
  threads?: ScoringThreads;
  /**
   * With `threads`: calls of at most this many multiply-adds score on this thread in plain
   * JavaScript when the version's family has an inline scorer (`ModelFamily.loadInline`; dense
   * networks), skipping the round trip to the scoring thread. 0 or undefined: never.
   */
  inlineMaxMacs?: number;
  /** With `threads`: calls of more multiply-adds than this go to the thread in slices of about this much (SCORING_SLICE_WORK). */
  sliceWork?: number;
  /** Test only: an inline version that aborts the runtime whenever it scores (SCORING_FAULT_INJECTION; threads do their own). */
  injectAbort?: boolean;
  /** Inline only: versions that aborted the runtime, refused while there (the threads keep their own). */
  quarantine?: Quarantine;
  /** Inline only: tenants whose ONNX models crashed the host too often, refused for a while (the threads keep their own). */
  backoff?: TenantFaultBackoff;
}

/** What scores for a served version: the loaded scorer on this thread, or its handle on a scoring thread. */
export interface Scoring {
  score(x: Float32Array, rows: number): Float32Array | Promise<Float32Array>;
  explain(values: Values[], count: number, baseline: Values[], options: ExplainOptions): Explanations | Promise<Explanations>;
  query(method: string, args: unknown[]): Promise<unknown>;
  dispose(): void;
}

export const notSupported = (method: string) => new AppError('NOT_SUPPORTED', `This model version does not answer '${method.slice(0, 50)}'`);

/** Scoring on this thread, guarded (scoring-guard.ts). */
export async function inlineScoring(stored: StoredModel, pipeline: FittedPipeline, options?: ServeOptions): Promise<Scoring & { measuredBytes?: number }> {
  const { scorer: loaded, measuredBytes } = await loadMeasured(stored, pipeline);
  const faulty: Scorer = options?.injectAbort ? { ...loaded, score: () => injectFault('abort') } : loaded;
  const hostBackoff = options?.backoff && stored.framework === ONNX_FRAMEWORK ? { backoff: options.backoff, tenantId: options.tenantId } : undefined;
  const scorer = options ? guardScorer(faulty, options.versionId, options.onFault, options.quarantine, hostBackoff) : faulty;
  return {
    score: (x, rows) => scorer.score(x, rows),
    explain: (values, count, baseline, opts) => explainValues(scorer, pipeline, values, count, baseline, opts),
    async query(method, args) {
      const fn = scorer.methods?.[method] as ((...a: unknown[]) => unknown) | undefined;
      if (!fn) throw notSupported(method);
      return fn(...args);
    },
    dispose: () => scorer.dispose(),
    measuredBytes,
  };
}

/**
 * Scoring on a scoring thread: one message per call (a micro-batch's features moved, not copied);
 * `inline`, when the family has a JS scorer and `options.inlineMaxMacs` allows at least one row, scores
 * small calls on this thread (refused exactly when the thread would refuse them: quarantine, shutdown).
 */
export function threadScoring(
  stored: StoredModel,
  pipeline: FittedPipeline,
  options: ServeOptions & { threads: ScoringThreads },
  measured?: RowCostEstimate,
): Scoring & { ready(): Promise<{ measuredBytes?: number }>; inline?: InlineScoring } {
  const { threads } = options;
  const handle = threads.register(options.versionId, stored, options.tenantId);
  const guarded = <T>(work: () => Promise<T>) => guardCall(work, options.versionId, options.onFault);
  // A version with fault injection (SCORING_FAULT_INJECTION) always scores on its thread, where the fault is.
  const family = familyForFramework(stored.framework);
  let js = options.inlineMaxMacs && !handle.inject ? family.loadInline?.(stored, pipeline) : undefined;
  const knownCost = family.costPerRow?.(stored);
  const maxRows = js ? Math.floor((options.inlineMaxMacs ?? 0) / Math.max(1, js.macsPerRow)) : 0;
  // Not one row fits: the network is too large to score here, so its copy of the weights is not kept.
  if (js && maxRows === 0) {
    js.dispose();
    js = undefined;
  }
  let inline: InlineScoring | undefined;
  if (js) {
    const guardedJs = guardScorer(js, options.versionId, options.onFault);
    inline = {
      maxRows,
      score(x, rows) {
        const refused = threads.inlineRefusal(handle);
        if (refused) throw refused;
        return guardedJs.score(x, rows);
      },
    };
  }
  return {
    inline,
    ready: () => guarded(() => handle.ready()),
    // Calls of about SCORING_SLICE_WORK, by the family's cost or the measured one (sliced-score.ts).
    score: slicedScore(
      (part, n) => {
        const own = part.byteOffset === 0 && part.byteLength === part.buffer.byteLength ? part : part.slice();
        return guarded(() => handle.call<Float32Array>('score', [own, n], [own.buffer as ArrayBuffer]));
      },
      knownCost,
      options.sliceWork,
      measured,
    ),
    explain: (values, count, baseline, opts) => guarded(() => handle.call<Explanations>('explain', [values, count, baseline, opts])),
    query: (method, args) => guarded(() => handle.call(method, args, argBuffers(args))),
    dispose: () => {
      js?.dispose();
      handle.dispose();
    },
  };
}
