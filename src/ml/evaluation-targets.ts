/**
 * The true values of a dataset's target column, read as the version's training read them
 * (src/ml/target.ts readTarget): labels trimmed and stripped of the version's label suffix, class
 * indexes in the version's class order; rows with a missing target are skipped.
 */
import { badInput } from '../lib/errors';
import { cellText, type Table } from './data/csv';
import type { FittedPipeline } from './preprocess/types';
import { normalizeLabel } from './target';

/** Labels of the evaluated rows. */
export interface EvaluationTargets {
  /** Table rows with a target value, ascending. */
  rows: number[];
  /** Per kept row: class index or value. */
  y: Float32Array;
  /** Rows skipped for a missing target. */
  skipped: number;
}

/**
 * The columns of the version (features and target) the table lacks, in the version's order.
 */
export function missingColumns(table: Pick<Table, 'columns'>, pipeline: FittedPipeline): string[] {
  const have = new Set(table.columns);
  return [...pipeline.datasetColumns, pipeline.target.name].filter((c, i, all) => !have.has(c) && all.indexOf(c) === i);
}

/**
 * @throws AppError BAD_USER_INPUT when a label is not one of the version's classes (how many such
 *   labels and rows, and the first row; not the labels themselves: they are cells of the dataset,
 *   and the failure message is read with models:read, without datasets:read — review F9), a
 *   regression target is not a number (naming the row), or no row has a target.
 */
export function readTargets(table: Table, pipeline: FittedPipeline): EvaluationTargets {
  const target = pipeline.target;
  const column = table.data[table.columns.indexOf(target.name)];
  const rows: number[] = [];
  const values: number[] = [];
  const unknown = new Map<string, number>();
  let firstUnknown = -1;
  const index = new Map((target.classes ?? []).map((c, k) => [c, k]));
  for (let i = 0; i < table.rowCount; i++) {
    const text = cellText(column, i);
    const label = target.task === 'regression' ? text.trim() : normalizeLabel(text, target.labelSuffix);
    if (!label) continue;
    if (target.task === 'regression') {
      const v = Number(label);
      if (!Number.isFinite(v)) throw badInput(`Target column '${target.name}' row ${i + 1} is not a number; the version predicts numbers`, { row: i + 1 });
      values.push(v);
    } else {
      const k = index.get(label);
      if (k === undefined) {
        unknown.set(label, (unknown.get(label) ?? 0) + 1);
        if (firstUnknown < 0) firstUnknown = i;
      } else values.push(k);
    }
    rows.push(i);
  }
  if (unknown.size > 0) {
    const rowsUnknown = [...unknown.values()].reduce((a, b) => a + b, 0);
    const labels = unknown.size === 1 ? '1 label' : `${unknown.size} labels`;
    throw badInput(
      `Target column '${target.name}' has ${labels} the version does not know, in ${rowsUnknown} ${rowsUnknown === 1 ? 'row' : 'rows'} (the first: dataset row ${firstUnknown + 1}; read the dataset with the datasets:read scope to see them); its classes are ${(
        target.classes ?? []
      )
        .slice(0, 20)
        .map((c) => `'${c}'`)
        .join(', ')}`,
      { row: firstUnknown + 1 },
    );
  }
  if (rows.length === 0) throw badInput(`No row of the dataset has a value in target column '${target.name}'`);
  return { rows, y: Float32Array.from(values), skipped: table.rowCount - rows.length };
}
