/**
 * Raw feature values in the form the steps take: numbers for numeric and datetime columns (dates
 * as days since 1970), strings for the others (booleans as 'true'/'false'). From a parsed table
 * for training, and from prediction rows (read-rows.ts) for serving.
 */
import type { ColumnData } from '../data/csv';
import { booleanText, dateToDays, type ColumnType } from '../data/infer-type';
import type { Values } from './steps';

const NUMBERS: ColumnType[] = ['numeric', 'datetime'];

/** Whether a column of this type is read as numbers. */
export const readsNumbers = (type: ColumnType) => NUMBERS.includes(type);

/**
 * One table column's values on the given rows.
 * @param rows table row indices.
 */
export function tableValues(column: ColumnData, type: ColumnType, rows: ArrayLike<number>): Values {
  const n = rows.length;
  if (column.kind === 'numeric') {
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) out[t] = column.values[rows[t]];
    return readsNumbers(type) ? out : Array.from(out, (x) => (Number.isNaN(x) ? null : String(x)));
  }
  const dict = type === 'boolean' ? column.dictionary.map(booleanText) : column.dictionary;
  if (type === 'datetime') {
    const days = dict.map(dateToDays);
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const c = column.codes[rows[t]];
      out[t] = c < 0 ? NaN : days[c];
    }
    return out;
  }
  const out = new Array<string | null>(n);
  for (let t = 0; t < n; t++) {
    const c = column.codes[rows[t]];
    out[t] = c < 0 ? null : dict[c];
  }
  return out;
}
