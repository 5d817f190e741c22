/**
 * Prediction rows -> raw feature values: rows are objects keyed like the uploaded CSV's columns
 * (numbers or strings; null, '' or a declared missing code = missing). Keys that were CSV columns
 * but not features (the target, excluded columns) are ignored.
 */
import { badInput, didYouMean, nameList, notFiniteMessage, quote } from '../../lib/errors';
import { booleanText, dateToDays } from '../data/infer-type';
import { isNumber } from '../data/csv';
import { missingNumberTest, missingTest } from '../data/missing';
import { readsNumbers } from './frame';
import type { Values } from './steps';
import type { FittedColumn, FittedPipeline } from './types';

const BOOLEAN = /^(true|false|yes|no|t|f|y|n)$/i;

/** A decimal as CSVs write them (see csv.ts' isNumber); one that fails isNumber reads as ±Infinity. */
const OVERFLOWING_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Characters of one value of a prediction row, at most: the longest cell an upload holds by default
 * (DATASET_MAX_CELL_CHARS), so no model was trained on longer. A text is tokenised whole on the API
 * thread and explained token by token on a scoring thread (review 5: a 9 MB text held the event loop
 * 0.5 s a call).
 */
export const MAX_VALUE_CHARS = 65_536;

/**
 * Reads one raw value of a prediction row (`where` names it in errors: `rows[3]`, `baseline`).
 * @throws AppError BAD_USER_INPUT naming the row, the feature and the value, for a non-number in a
 *   numeric column, a non-date in a datetime column, or a string of more than {@link MAX_VALUE_CHARS}.
 */
export function readValue(value: unknown, col: FittedColumn, rowIndex: number, isMissing: (s: string) => boolean, where = `rows[${rowIndex}]`): number | string | null {
  if (value === null || value === undefined) return readsNumbers(col.type) ? NaN : null;
  if (typeof value === 'object') throw badInput(`${where}.${col.name} must be a number or a string, got ${quote(value)}`, { row: rowIndex, feature: col.name });
  if (typeof value === 'string' && value.length > MAX_VALUE_CHARS) {
    throw badInput(`${where}.${col.name} has ${value.length} characters; a value may have at most ${MAX_VALUE_CHARS}`, { row: rowIndex, feature: col.name });
  }
  const text = typeof value === 'string' ? value.trim() : String(value);
  if (isMissing(text)) return readsNumbers(col.type) ? NaN : null;
  if (col.type === 'numeric') {
    const n = typeof value === 'number' ? value : isNumber(text) ? Number(text) : NaN;
    if (!Number.isFinite(n)) {
      // A number, or a decimal written too large for a double (`1e400`), that reads as ±Infinity.
      const overflow = typeof value === 'number' ? value : OVERFLOWING_DECIMAL.test(text) ? Number(text) : undefined;
      if (overflow !== undefined) throw badInput(notFiniteMessage(`${where}.${col.name}`, overflow), { row: rowIndex, feature: col.name });
      throw badInput(`${where}.${col.name} must be a number, got ${quote(value)}`, { row: rowIndex, feature: col.name });
    }
    return n;
  }
  if (col.type === 'datetime') {
    const days = dateToDays(text);
    if (Number.isNaN(days)) throw badInput(`${where}.${col.name} must be an ISO 8601 date such as '2024-03-01', got ${quote(value)}`, { row: rowIndex, feature: col.name });
    return days;
  }
  if (col.type === 'boolean' && BOOLEAN.test(text)) return booleanText(text);
  return text;
}

/**
 * Turns prediction rows into one value array per feature column, in pipeline order.
 * @throws AppError BAD_USER_INPUT for a row that is not an object, misses a feature, names a key
 *   that was no column of the training CSV, or holds an unreadable value.
 */
export function readRows(rows: unknown[], pipeline: FittedPipeline): Values[] {
  const reader = rowReader(rows, pipeline);
  reader.read(0, rows.length);
  return reader.values;
}

/**
 * {@link readRows} in parts, so a caller can read a long list a slice at a time: `read(from, to)`
 * fills rows [from, to) of `values` (refusals name `rows[i]` of the whole list).
 * @throws AppError from `read`, as {@link readRows}.
 */
export function rowReader(rows: unknown[], pipeline: FittedPipeline): { values: Values[]; read(from: number, to: number): void } {
  const names = pipeline.columns.map((c) => c.name);
  const accepted = new Set([...names, ...pipeline.datasetColumns, pipeline.target.name]);
  const out: Values[] = pipeline.columns.map((c) => (readsNumbers(c.type) ? new Float64Array(rows.length) : new Array<string | null>(rows.length)));
  const tests = pipeline.columns.map((c) => missingTest(c.missingCodes));
  const readRow = (row: unknown, i: number) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw badInput(`rows[${i}] must be an object keyed by feature name, got ${quote(row)}`);
    }
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!accepted.has(key)) {
        throw badInput(`rows[${i}] has unknown feature ${quote(key)}${didYouMean(key, names)}; the model takes ${nameList(names)}`, { row: i, feature: key });
      }
    }
    pipeline.columns.forEach((col, j) => {
      if (!(col.name in record)) throw missingFeatures(`rows[${i}]`, pipeline.columns, (name) => name in record, { row: i });
      (out[j] as (number | string | null)[])[i] = readValue(record[col.name], col, i, tests[j]);
    });
  };
  return {
    values: out,
    read(from, to) {
      for (let i = from; i < to; i++) readRow(rows[i], i);
    },
  };
}

/**
 * BAD_USER_INPUT for the features `where` lacks, all of them named (at most 30), saying that null
 * is how to send a value one does not have: read as missing, it is imputed (the version's impute
 * step, or the training mean a numeric column gets without one) or, for a category, matches none.
 * `details.feature` is the first one missing.
 */
function missingFeatures(where: string, columns: readonly FittedColumn[], present: (name: string) => boolean, details: Record<string, unknown> = {}) {
  const absent = columns.filter((c) => !present(c.name));
  const names = absent.map((c) => c.name);
  const imputed = absent.every((c) => readsNumbers(c.type) || c.steps.some((s) => s.op === 'impute'));
  const what = absent.length === 1 ? `feature ${quote(names[0])}` : `features ${nameList(names.map((n) => quote(n)))}`;
  const key = JSON.stringify(names[0].length > 60 ? `${names[0].slice(0, 57)}...` : names[0]);
  const fix =
    where === 'matrix.columns'
      ? `add ${absent.length === 1 ? 'it' : 'each'} to the columns with null in the rows if you do not have the values`
      : absent.length === 1
        ? `send ${key}: null if you do not have its value`
        : `send each as null (${key}: null, …) if you do not have the values`;
  return badInput(`${where} is missing ${what}: ${fix}; ${imputed ? 'the model imputes a missing value' : 'null is read as missing'}`, { ...details, feature: names[0] });
}

/** Bulk rows as columns + value lists (the `FeatureMatrix` input of predict). */
export interface ValueMatrix {
  columns: string[];
  /** One list per row, one value per entry of `columns`. */
  rows: unknown[][];
}

/**
 * Like {@link readRows}, straight from a matrix: each feature column is read from its position in
 * every row, with no row objects built on the way.
 * @throws AppError BAD_USER_INPUT for a column that was no column of the training CSV, a feature
 *   the matrix lacks, or an unreadable value (named `matrix.rows[i].<feature>`).
 */
export function readMatrix(matrix: ValueMatrix, pipeline: FittedPipeline): Values[] {
  const { names, accepted, columns } = matrixReading(pipeline);
  for (const key of matrix.columns) {
    if (!accepted.has(key)) throw badInput(`matrix.columns has unknown feature ${quote(key)}${didYouMean(key, names)}; the model takes ${nameList(names)}`, { feature: key });
  }
  const count = matrix.rows.length;
  const cols = columns.map((c) => {
    const at = matrix.columns.indexOf(c.col.name);
    if (at < 0) throw missingFeatures('matrix.columns', pipeline.columns, (name) => matrix.columns.includes(name));
    const out: (number | string | null)[] | Float64Array = readsNumbers(c.col.type) ? new Float64Array(count) : new Array<string | null>(count);
    return { col: c.col, numeric: c.numeric, test: c.test, missingNumber: c.missingNumber, at, out: out as (number | string | null)[] };
  });
  // Row by row (each row's values are adjacent in memory), into one array per feature column.
  for (let i = 0; i < count; i++) {
    const row = matrix.rows[i];
    for (const c of cols) {
      const v = row[c.at];
      // A finite number in a numeric column reads as itself, or as missing when a code names it (readValue's result, without the text).
      c.out[i] = c.numeric && typeof v === 'number' && Number.isFinite(v) ? (c.missingNumber(v) ? NaN : v) : readValue(v, c.col, i, c.test, `matrix.rows[${i}]`);
    }
  }
  return cols.map((c) => c.out as Values);
}

/** What reading a matrix needs of a pipeline, worked out once per loaded pipeline. */
interface MatrixReading {
  names: string[];
  accepted: Set<string>;
  columns: { col: FittedColumn; numeric: boolean; test: (cell: string) => boolean; missingNumber: (value: number) => boolean }[];
}
const MATRIX_READINGS = new WeakMap<FittedPipeline, MatrixReading>();

function matrixReading(pipeline: FittedPipeline): MatrixReading {
  let reading = MATRIX_READINGS.get(pipeline);
  if (!reading) {
    const names = pipeline.columns.map((c) => c.name);
    reading = {
      names,
      accepted: new Set([...names, ...pipeline.datasetColumns, pipeline.target.name]),
      columns: pipeline.columns.map((col) => ({ col, numeric: col.type === 'numeric', test: missingTest(col.missingCodes), missingNumber: missingNumberTest(col.missingCodes) })),
    };
    MATRIX_READINGS.set(pipeline, reading);
  }
  return reading;
}
