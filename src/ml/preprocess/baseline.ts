/**
 * The baseline row of an explanation, in read form: the caller's values where given, otherwise
 * each feature column's typical training value (FittedColumn.reference), or for versions trained
 * before references were stored, the value its fitted steps imply.
 */
import { badInput, didYouMean, nameList, quote } from '../../lib/errors';
import { transformValues } from './fit';
import { readsNumbers } from './frame';
import { readValue } from './read-rows';
import { missingTest } from '../data/missing';
import type { Values } from './steps';
import type { FittedColumn, FittedPipeline } from './types';

/** A stored version's stand-in for a missing reference: what its steps learned of a typical value. */
function impliedReference(col: FittedColumn): number | string | null | undefined {
  if (col.type === 'text') return '';
  for (const step of col.steps) {
    if (step.op === 'impute') return step.value;
    if (step.op === 'standardize') return step.mean;
    if (step.op === 'min_max_scale') return (step.min + step.max) / 2;
    if (step.op === 'one_hot') return step.categories[0] ?? null; // the most frequent category
    if (step.op === 'bucketize') return step.boundaries[Math.floor(step.boundaries.length / 2)] ?? null;
  }
  return undefined;
}

/**
 * @param given the caller's baseline (keyed by feature column; others default), or null.
 * @returns one entry per feature column, each 1 long, and the baseline as a row (read form).
 * @throws AppError BAD_USER_INPUT for a key that was no column of the training CSV, an unreadable value or one
 *   beyond float32 once preprocessed (naming `baseline.<feature>`), or a feature with no default whose value the
 *   caller did not give.
 */
export function baselineValues(pipeline: FittedPipeline, given: Record<string, unknown> | null | undefined): { values: Values[]; row: Record<string, number | string | null> } {
  const names = pipeline.columns.map((c) => c.name);
  // As in prediction rows: other columns of the training CSV are accepted and ignored.
  const accepted = new Set([...names, ...pipeline.datasetColumns, pipeline.target.name]);
  for (const key of Object.keys(given ?? {})) {
    if (!accepted.has(key)) throw badInput(`baseline has unknown feature ${quote(key)}${didYouMean(key, names)}; the model takes ${nameList(names)}`, { feature: key });
  }
  const row: Record<string, number | string | null> = {};
  const values = pipeline.columns.map((col): Values => {
    let v: number | string | null | undefined;
    if (given && col.name in given) v = readValue(given[col.name], col, 0, missingTest(col.missingCodes), 'baseline');
    else v = col.reference !== undefined ? col.reference : impliedReference(col);
    if (v === undefined) throw badInput(`baseline.${col.name} is needed: this version stores no typical value for it`, { feature: col.name });
    row[col.name] = typeof v === 'number' && Number.isNaN(v) ? null : v;
    return readsNumbers(col.type) ? Float64Array.of(v === null ? NaN : Number(v)) : [v === null ? null : String(v)];
  });
  // A value that preprocesses beyond float32 is refused here, naming `baseline.<column>`: the
  // explanation would otherwise refuse it as one of the rows it mixes.
  transformValues(pipeline.columns, values, 1, 'baseline');
  return { values, row };
}
