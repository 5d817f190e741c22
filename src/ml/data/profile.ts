/**
 * Column types and summaries of a parsed table: what `Dataset.columns` stores and the API shows.
 * Statistics follow src/ml/data/stats.ts (NumPy's definitions).
 */
import type { ColumnData, StringColumn, Table } from './csv';
import { dateToDays, inferType, type ColumnType } from './infer-type';
import { codesFor, type MissingCodes } from './missing';
import { summarizeText, type TextSummary } from './text-profile';
import { histogramSorted, moments, quantileSorted, sortedPresent, type HistogramBin } from './stats';

export type { ColumnType } from './infer-type';

/** Quantile levels reported for numeric columns. */
export const QUANTILE_LEVELS = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
const TOP_VALUES = 20;
const HISTOGRAM_BINS = 10;

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Missing cells: empty, or one of `missingCodes`. */
  missing: number;
  /** Codes declared as missing for this column at upload (global ones included). */
  missingCodes?: string[];
  /** Distinct present values. */
  distinct: number;
  /** Numeric columns: whether every present value is an integer. */
  integer?: boolean;
  /** Numeric and datetime (in days since 1970-01-01) columns, over present cells. */
  min?: number;
  max?: number;
  mean?: number;
  /** Population standard deviation. */
  std?: number;
  /** Numeric: quantiles at {@link QUANTILE_LEVELS}, linear interpolation. */
  quantiles?: { q: number; value: number }[];
  /** Numeric: 10 equal-width bins from min to max. */
  histogram?: HistogramBin[];
  /** Datetime: earliest and latest value as written. */
  earliest?: string;
  latest?: string;
  /** Non-numeric columns: the 20 most frequent values with their counts (ties by value). */
  topValues?: { value: string; count: number }[];
  /** Text columns: tokens per row, vocabulary size and most frequent tokens (see text-profile.ts). */
  text?: TextSummary;
}

/** Profiles every column of `table`. */
export function profileTable(table: Table): ColumnProfile[] {
  return table.columns.map((name, j) => profileColumn(name, table.data[j], codesFor(table.missing, name)));
}

function profileColumn(name: string, column: ColumnData, missingCodes: string[]): ColumnProfile {
  const type = inferType(column);
  const base = { name, type, ...(missingCodes.length ? { missingCodes } : {}) };
  if (column.kind === 'numeric') {
    const sorted = sortedPresent(column.values);
    let distinct = 0;
    let integer = true;
    for (let t = 0; t < sorted.length; t++) {
      if (t === 0 || sorted[t] !== sorted[t - 1]) distinct++;
      if (integer && !Number.isInteger(sorted[t])) integer = false;
    }
    return { ...base, missing: column.values.length - sorted.length, distinct, integer, ...numericSummary(sorted) };
  }
  const counts = codeCounts(column);
  const present = counts.reduce((s, c) => s + c, 0);
  const top = [...counts.keys()]
    .sort((a, b) => counts[b] - counts[a] || column.dictionary[a].localeCompare(column.dictionary[b]))
    .slice(0, TOP_VALUES)
    .map((k) => ({ value: column.dictionary[k], count: counts[k] }));
  const profile: ColumnProfile = { ...base, missing: column.codes.length - present, distinct: column.dictionary.length, topValues: top };
  if (type === 'text') {
    const text = summarizeText(column);
    if (text) profile.text = text;
  }
  if (type === 'datetime') {
    const days = Float64Array.from(column.codes, (c) => (c < 0 ? NaN : dateToDays(column.dictionary[c])));
    const { min, max, mean, std } = numericSummary(sortedPresent(days));
    const byDay = [...column.dictionary].sort((a, b) => dateToDays(a) - dateToDays(b));
    Object.assign(profile, { min, max, mean, std, earliest: byDay[0], latest: byDay[byDay.length - 1] });
  }
  return profile;
}

function numericSummary(sorted: Float64Array) {
  if (sorted.length === 0) return {};
  const { mean, std } = moments(sorted);
  return {
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean,
    std,
    quantiles: QUANTILE_LEVELS.map((q) => ({ q, value: quantileSorted(sorted, q) })),
    histogram: histogramSorted(sorted, HISTOGRAM_BINS),
  };
}

/** Occurrences of each dictionary entry. */
export function codeCounts(column: StringColumn, rows?: ArrayLike<number>): number[] {
  const counts = new Array<number>(column.dictionary.length).fill(0);
  const n = rows ? rows.length : column.codes.length;
  for (let t = 0; t < n; t++) {
    const c = column.codes[rows ? rows[t] : t];
    if (c >= 0) counts[c]++;
  }
  return counts;
}

/** The missing codes a dataset was uploaded with, per column, from its stored profile. */
export function declaredMissing(columns: ColumnProfile[]): MissingCodes {
  return Object.fromEntries(columns.filter((c) => c.missingCodes?.length).map((c) => [c.name, c.missingCodes!]));
}
