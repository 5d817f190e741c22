/**
 * Correlation of each numeric column with a target column: Pearson's r on pairwise complete rows.
 * A two-class target is coded 0/1 (its classes in sorted order), so r is then the point-biserial
 * correlation. Boolean columns count as 0/1, datetime columns as days since 1970. The matrix
 * (`correlationMatrix`) pairs every such column with every other, as pandas' `DataFrame.corr()`.
 */
import { badInput, didYouMean, quote } from '../../lib/errors';
import type { ColumnData, Table } from './csv';
import { booleanText, dateToDays, inferType } from './infer-type';
import { pearson } from './stats';

export interface Correlation {
  column: string;
  /** Pearson's r in [-1, 1]; null when undefined (a constant column or fewer than 2 rows). */
  pearson: number | null;
  /** Rows where both values are present. */
  rows: number;
}

/** A column as numbers (NaN = missing), or undefined when it is categorical or text. */
function asNumbers(column: ColumnData): Float64Array | undefined {
  if (column.kind === 'numeric') return column.values;
  const type = inferType(column);
  if (type === 'boolean') {
    const coded = column.dictionary.map((v) => (booleanText(v) === 'true' ? 1 : 0));
    return Float64Array.from(column.codes, (c) => (c < 0 ? NaN : coded[c]));
  }
  if (type === 'datetime') {
    const days = column.dictionary.map(dateToDays);
    return Float64Array.from(column.codes, (c) => (c < 0 ? NaN : days[c]));
  }
  return undefined;
}

/**
 * @throws AppError BAD_USER_INPUT when `target` is not a column, or is neither numeric nor two-class.
 */
export function correlationsWithTarget(table: Table, target: string): Correlation[] {
  const t = table.columns.indexOf(target);
  if (t < 0) throw badInput(`target ${quote(target)} is not a column of the dataset${didYouMean(target, table.columns)}`);
  const col = table.data[t];
  let y = asNumbers(col);
  if (!y && col.kind === 'string' && col.dictionary.length === 2) {
    const positive = [...col.dictionary].sort()[1];
    y = Float64Array.from(col.codes, (c) => (c < 0 ? NaN : col.dictionary[c] === positive ? 1 : 0));
  }
  if (!y) {
    throw badInput(`target '${target}' has ${col.kind === 'string' ? col.dictionary.length : 0} categories; correlations need a numeric or two-class target`);
  }
  const out: Correlation[] = [];
  table.columns.forEach((name, j) => {
    if (j === t) return;
    const x = asNumbers(table.data[j]);
    if (!x) return;
    const { r, rows } = pearson(x, y!);
    out.push({ column: name, pearson: r ?? null, rows });
  });
  return out;
}

/** Pearson's r between every pair of a table's numeric (boolean, datetime) columns. */
export interface CorrelationMatrix {
  /** The columns, in file order (at most the `maxColumns` first). */
  columns: string[];
  /** One per column, in the same order: its r with each column (null when undefined); 1 on the diagonal unless the column is constant. */
  rows: { column: string; pearson: (number | null)[] }[];
  /** Numeric columns past `maxColumns`, left out. */
  omitted: number;
}

/** Most columns a correlation matrix pairs (their pairs grow as the square). */
export const MAX_MATRIX_COLUMNS = 40;

/** The correlation matrix of the first `maxColumns` numeric (boolean, datetime) columns of `table`. */
export function correlationMatrix(table: Table, maxColumns = MAX_MATRIX_COLUMNS): CorrelationMatrix {
  const numeric = table.columns.flatMap((name, j) => {
    const values = asNumbers(table.data[j]);
    return values ? [{ name, values }] : [];
  });
  const kept = numeric.slice(0, maxColumns);
  const pearsonMatrix = kept.map(() => new Array<number | null>(kept.length).fill(null));
  for (let i = 0; i < kept.length; i++) {
    for (let j = i; j < kept.length; j++) {
      const r = pearson(kept[i].values, kept[j].values).r ?? null;
      pearsonMatrix[i][j] = pearsonMatrix[j][i] = i === j && r != null ? 1 : r;
    }
  }
  return { columns: kept.map((c) => c.name), rows: kept.map((c, i) => ({ column: c.name, pearson: pearsonMatrix[i] })), omitted: numeric.length - kept.length };
}
