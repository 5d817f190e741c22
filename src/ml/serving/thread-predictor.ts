/** A stored version's predictions scored on a scoring thread (batch predictions; see scoring-threads.ts). */
import { familyForFramework, requireSupport } from '../families/registry';
import { decodeOutputs, type Prediction } from '../predict';
import type { StoredModel } from '../predictor';
import { transformValues } from '../preprocess/fit';
import { readRows } from '../preprocess/read-rows';
import { readPipeline } from '../preprocess/stored';
import type { FittedPipeline } from '../preprocess/types';
import { RowCostEstimate } from './row-cost';
import type { ScoringThreads } from './scoring-threads';
import type { ThreadModelHandle } from './thread-model-handle';
import { slicedScore, type ScoreCall } from './sliced-score';

/** As src/ml/predictor.ts' Predictor, scoring on a thread. */
export interface ThreadPredictor {
  pipeline: FittedPipeline;
  /**
   * Raw rows (keyed like the training CSV's columns) -> predictions: read here, scored there.
   * @throws AppError BAD_USER_INPUT for unreadable rows; MODEL_NOT_READY (RuntimeFaultError) when
   *   the version crashes its thread or is quarantined; Error when the model's call fails otherwise.
   */
  predict(rows: unknown[]): Promise<Prediction[]>;
  dispose(): void;
}

/**
 * Loads the version on its scoring thread (under its own handle: the API's cached copy is not shared).
 * @param tenantId the version's tenant (its calls wait in that tenant's queue, src/ml/serving/fair-queue.ts).
 * @param use a use to check the family supports first.
 * @throws AppError BAD_USER_INPUT (framework, artifact), NOT_SUPPORTED (use), MODEL_NOT_READY (RUNTIME_FAULT).
 */
export async function loadThreadPredictor(threads: ScoringThreads, versionId: string, stored: StoredModel, tenantId: string, use?: 'batchPredict'): Promise<ThreadPredictor> {
  const pipeline = readPipeline(stored.preprocessing);
  if (use) requireSupport(familyForFramework(stored.framework), use);
  const handle = threads.register(versionId, stored, tenantId);
  try {
    await handle.ready();
  } catch (err) {
    handle.dispose();
    throw err;
  }
  const score = slicedThreadScore(threads, handle, stored, pipeline);
  return {
    pipeline,
    async predict(rows) {
      const x = transformValues(pipeline.columns, readRows(rows, pipeline), rows.length);
      const out = await score(x, rows.length);
      return decodeOutputs(out, rows.length, pipeline.target);
    },
    dispose: () => handle.dispose(),
  };
}

/**
 * A batch job's `score` for a version registered on `threads`: each call moves its features there
 * and back, in slices of about SCORING_SLICE_WORK (sliced-score.ts; review 5: a text model's
 * 2,000-row batch chunk held the scoring thread 8–15 s while another tenant's predicts waited),
 * by the family's cost per row, else measured (uploaded ONNX models: unsliced, on their host lane).
 */
export function slicedThreadScore(threads: ScoringThreads, handle: ThreadModelHandle, stored: StoredModel, pipeline: FittedPipeline): ScoreCall {
  const knownCost = familyForFramework(stored.framework).costPerRow?.(stored);
  const measured = knownCost === undefined && !pipeline.onnx ? new RowCostEstimate() : undefined;
  const call: ScoreCall = (part, n) => {
    const own = part.byteOffset === 0 && part.byteLength === part.buffer.byteLength ? part : part.slice();
    return handle.call<Float32Array>('score', [own, n], [own.buffer as ArrayBuffer]);
  };
  return slicedScore(call, knownCost, threads.sliceWork, measured);
}
