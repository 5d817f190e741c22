/**
 * predict's answer built from the scored outputs: `predictions` (one object per row) is decoded
 * only if the query selects it, and `columns` straight from the outputs, so a bulk request that
 * asks for columns never builds a per-row object.
 */
import { decodeColumns, decodeOutputs, type Prediction, type PredictionColumns, type ScoredRows } from '../../ml/predict';
import type { PredictionResult } from './prediction.type';

/** The answer for `scored` rows of the version `served`; `predictions` is decoded on first read. */
export function scoredResult(served: { modelName: string; version: number; modelVersionId: string }, scored: ScoredRows): PredictionResult {
  let decoded: Prediction[] | undefined;
  return {
    ...served,
    scored,
    get predictions() {
      return (decoded ??= decodeOutputs(scored.outputs, scored.rows, scored.target));
    },
  };
}

/**
 * The predictions as columns: from the scored outputs when the result holds them, else from its
 * `predictions` (same values either way). Classification: { label, probability, probabilities };
 * regression: { value }.
 */
export function predictionColumns(result: PredictionResult): PredictionColumns {
  if (result.scored) return decodeColumns(result.scored.outputs, result.scored.rows, result.scored.target);
  const p = result.predictions;
  if (p.length > 0 && p[0].value !== undefined) return { value: p.map((x) => x.value!) };
  return { label: p.map((x) => x.label!), probability: p.map((x) => x.probability!), probabilities: p.map((x) => x.probabilities!) };
}
