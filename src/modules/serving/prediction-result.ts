/**
 * predict's answer built from the scored outputs: `predictions` (one object per row) is decoded
 * only if the query selects it, and `columns` straight from the outputs, so a bulk request that
 * asks for columns never builds a per-row object.
 */
import { badInput, nameList, quote } from '../../lib/errors';
import { COLUMN_FIELDS, decodeColumns, decodeOutputs, type Prediction, type PredictionColumns, type ScoredRows } from '../../ml/predict';
import type { PredictionResult } from './prediction.type';

/**
 * The answer for `scored` rows of the version `served`; `predictions` is decoded on first read. It
 * is a non-enumerable getter: type-graphql copies a field resolver's root with Object.assign, which
 * would otherwise decode every row for a query that only asks for `columns`.
 */
export function scoredResult(served: { modelName: string; version: number; modelVersionId: string }, scored: ScoredRows): PredictionResult {
  let decoded: Prediction[] | undefined;
  const result = { ...served, scored } as PredictionResult;
  Object.defineProperty(result, 'predictions', {
    get: () => (decoded ??= decodeOutputs(scored.outputs, scored.rows, scored.target)),
    enumerable: false,
  });
  return result;
}

/**
 * The predictions as row objects: decoded from the scored outputs when the result holds them (a
 * field resolver's root is a copy without the non-enumerable getter), else its `predictions`.
 */
export function predictionsOf(result: PredictionResult): Prediction[] {
  return result.scored ? decodeOutputs(result.scored.outputs, result.scored.rows, result.scored.target) : result.predictions;
}

/**
 * The predictions as columns: from the scored outputs when the result holds them, else from its
 * `predictions` (same values either way). Classification: { label, probability, probabilities };
 * regression: { value }.
 * @param fields the columns wanted (Default: all of the task's); only these are built.
 * @throws AppError BAD_USER_INPUT for a field the model's task does not give (naming those it does).
 */
export function predictionColumns(result: PredictionResult, fields?: readonly (keyof PredictionColumns)[] | null): PredictionColumns {
  const regression = result.scored ? result.scored.target.task === 'regression' : result.predictions[0]?.value !== undefined;
  const given: readonly string[] = regression ? COLUMN_FIELDS.regression : COLUMN_FIELDS.classification;
  fields?.forEach((f, i) => {
    if (!given.includes(f)) throw badInput(`columns(fields)[${i}] is ${quote(f)}, which this model does not give; it gives ${nameList(given)}`, { field: `fields[${i}]` });
  });
  const wanted = fields ? new Set(fields) : undefined;
  if (result.scored) return decodeColumns(result.scored.outputs, result.scored.rows, result.scored.target, wanted);
  const p = result.predictions;
  const out: PredictionColumns = {};
  for (const f of given as (keyof PredictionColumns)[]) if (!wanted || wanted.has(f)) (out as Record<string, unknown[]>)[f] = p.map((x) => x[f]);
  return out;
}
