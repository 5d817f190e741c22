/**
 * Fitting a planned pipeline on the training split, and applying a fitted one. Training matrices
 * and prediction rows go through the same {@link transformValues}.
 */
import { badInput } from '../../lib/errors';
import type { PlannedColumn } from './plan';
import type { ColumnType } from '../data/infer-type';
import { quantileSorted, sortedPresent } from '../data/stats';
import { applyNumericStep, applyValueStep, encodedNames, fitStep, isEncoder, mode, writeBlock, type Values } from './steps';
import type { FittedColumn } from './types';

/**
 * Fits one column's chain: each step on the training values as the steps before it left them.
 * @param trainValues the column's values on the training rows only.
 */
export function fitColumn(planned: PlannedColumn, trainValues: Values, missingCodes: string[]): FittedColumn {
  let v = trainValues;
  const steps = planned.steps.map((spec) => {
    const fitted = fitStep(spec, v);
    if (!isEncoder(fitted)) v = applyValueStep(fitted, v);
    return fitted;
  });
  const encoder = steps.find(isEncoder);
  const outputs = encoder ? encodedNames(encoder, planned.name) : [planned.name];
  return { name: planned.name, type: planned.type, missingCodes, steps, outputs, reference: typicalValue(trainValues, planned.type) };
}

/** See FittedColumn.reference. */
function typicalValue(v: Values, type: ColumnType): number | string | null {
  if (v instanceof Float64Array) {
    const sorted = sortedPresent(v);
    return sorted.length > 0 ? quantileSorted(sorted, 0.5) : null;
  }
  return type === 'text' ? '' : (mode(v) ?? null);
}

/**
 * Applies fitted columns to raw values.
 * @param values one entry per fitted column, in the same order, each `rows` long.
 * @param where what the values are, for a refusal: prediction `rows` (naming `rows[i]`) or an
 *   explanation's one-row `baseline` (naming `baseline.<column>`). (Default: 'rows')
 * @returns model inputs, row-major [rows, inputs] (inputs = total of the columns' outputs).
 * @throws AppError BAD_USER_INPUT when the pipeline yields no model input at all, or when a value,
 *   once preprocessed, lies beyond float32 (see {@link requireFloat32Range}).
 */
export function transformValues(columns: FittedColumn[], values: Values[], rows: number, where: RowsName = 'rows'): Float32Array {
  const width = columns.reduce((s, c) => s + c.outputs.length, 0);
  if (width === 0) throw badInput('The preprocessing yields no model input (every encoded column is empty on the training split)');
  const out = new Float32Array(rows * width);
  let offset = 0;
  columns.forEach((col, j) => {
    const raw = values[j];
    if (raw instanceof Float64Array && !col.steps.some(isEncoder)) {
      // A numeric column of value steps only: each value through its steps straight into `out`, no array per step.
      for (let i = 0; i < rows; i++) {
        let a = raw[i];
        for (const step of col.steps) a = applyNumericStep(step, a);
        if (Math.abs(a) > FLOAT32_MAX) throw float32RangeError(col.name, raw, i, a, where);
        out[i * width + offset] = a;
      }
      offset += col.outputs.length;
      return;
    }
    let v = values[j];
    let encoder;
    for (const step of col.steps) {
      if (isEncoder(step)) encoder = step;
      else v = applyValueStep(step, v);
    }
    if (!encoder) requireFloat32Range(col.name, values[j], v as Float64Array, where);
    writeBlock(v, encoder, out, width, offset);
    offset += col.outputs.length;
  });
  return out;
}

/** The largest finite float32, 2^128 − 2^104 (IEEE 754 binary32). */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Models compute in float32: a preprocessed value past ±{@link FLOAT32_MAX} (a finite double such
 * as 1e308, even after standardising) would become ±Infinity in the model's input and give an
 * answer that looks plausible (a saturated sigmoid) or none at all. Refused instead.
 * @param raw the column's values as given, `[rows]` (named in the message).
 * @param values the same after its value steps (standardise, log, impute…), `[rows]`.
 * @throws AppError BAD_USER_INPUT naming the column, the row (of this input) and the value.
 */
function requireFloat32Range(column: string, raw: Values, values: Float64Array, where: RowsName): void {
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > FLOAT32_MAX) throw float32RangeError(column, raw, i, values[i], where);
}

/** What {@link transformValues} reads: prediction rows, or an explanation's baseline row. */
export type RowsName = 'rows' | 'baseline';

/** The refusal of {@link requireFloat32Range} for row `i`, whose value preprocessed is `value`. */
function float32RangeError(column: string, raw: Values, i: number, value: number, where: RowsName) {
  const beyond = `preprocessed (${value.toPrecision(3)}) it lies beyond the float32 range (±3.4e38) that models compute in`;
  if (where === 'baseline') return badInput(`baseline.${column} is ${String(raw[i])}: ${beyond}`, { feature: column, field: `baseline.${column}` });
  return badInput(`Column '${column}' in rows[${i}] is ${String(raw[i])}: ${beyond}`, { feature: column, row: i });
}
