/**
 * A model version ready to serve in this process: its fitted pipeline, its scorer (network or
 * trees) and the micro-batcher in front of the scorer. Held by the ModelCache.
 */
import { loadScorer, type StoredModel } from '../../ml/predictor';
import { explainValues, type ExplainOptions, type Explanations } from '../../ml/explain';
import { decodeOutputs, type Prediction } from '../../ml/predict';
import { baselineValues } from '../../ml/preprocess/baseline';
import { transformValues } from '../../ml/preprocess/fit';
import { readRows } from '../../ml/preprocess/read-rows';
import { readPipeline } from '../../ml/preprocess/stored';
import { inputNames, type FittedPipeline } from '../../ml/preprocess/types';
import { MicroBatcher, type BatcherOptions } from './batcher';

export interface ServedModel {
  pipeline: FittedPipeline;
  /** Approximate memory held, bytes (weights + topology + pipeline). */
  bytes: number;
  /**
   * Raw rows (keyed like the training CSV) -> predictions; rows are validated before they join a
   * batch. @throws AppError BAD_USER_INPUT naming the bad row and column.
   */
  predict(rows: unknown[]): Promise<Prediction[]>;
  /**
   * Reads rows and a baseline for an explanation (see src/ml/explain.ts), and returns the function
   * that explains them, scoring outside the micro-batcher (an explanation is a large batch itself).
   * @param baseline the caller's baseline values (others: each feature's typical training value).
   * @throws AppError BAD_USER_INPUT naming the bad row, baseline value or column (before any work).
   */
  prepareExplanation(rows: unknown[], baseline: Record<string, unknown> | null): (options: ExplainOptions) => Explanations & { baseline: Record<string, number | string | null> };
  dispose(): void;
}

export async function loadServedModel(stored: StoredModel, batching: BatcherOptions): Promise<ServedModel> {
  const pipeline = readPipeline(stored.preprocessing);
  const scorer = await loadScorer(stored);
  const batcher = new MicroBatcher((x, rows) => scorer.score(x, rows), inputNames(pipeline).length, batching);
  const bytes = stored.weights.byteLength + JSON.stringify(stored.topology).length + JSON.stringify(pipeline).length;
  return {
    pipeline,
    bytes,
    async predict(rows) {
      const x = transformValues(pipeline.columns, readRows(rows, pipeline), rows.length);
      const out = await batcher.submit(x, rows.length);
      return decodeOutputs(out, rows.length, pipeline.target);
    },
    prepareExplanation(rows, baseline) {
      const values = readRows(rows, pipeline);
      const base = baselineValues(pipeline, baseline);
      return (options) => ({ ...explainValues(scorer, pipeline, values, rows.length, base.values, options), baseline: base.row });
    },
    dispose: () => scorer.dispose(),
  };
}
