/**
 * Profiles of text columns (type 'text', see infer-type.ts), tokenized as text models read them
 * (./tokens.ts): tokens per row (min, median, 95th percentile, max, a histogram), vocabulary
 * size, the most frequent tokens; and, given a target column, the most frequent tokens of each
 * class. Computed per distinct cell value weighted by its count, so repeated messages cost once.
 */
import { badInput, didYouMean, quote } from '../../lib/errors';
import type { StringColumn, Table } from './csv';
import { histogramSorted, quantileSorted, type HistogramBin } from './stats';
import { wordTokens } from './tokens';

/** Tokens reported per list. */
export const TOP_TOKENS = 20;
/** Most classes a per-class text profile reports (the most frequent ones). */
export const MAX_PROFILE_CLASSES = 50;

/** A token and its occurrences. */
export interface TokenCount {
  token: string;
  count: number;
}

/** The length and vocabulary of a text column, over its present cells. */
export interface TextSummary {
  /** Tokens per present row. */
  minTokens: number;
  medianTokens: number;
  p95Tokens: number;
  maxTokens: number;
  meanTokens: number;
  /** Tokens per row, 10 equal-width bins. */
  lengthHistogram: HistogramBin[];
  /** Distinct tokens. */
  vocabularySize: number;
  /** The {@link TOP_TOKENS} most frequent tokens (ties by token). */
  topTokens: TokenCount[];
}

/** Per class of a target: rows and the most frequent tokens of its texts. */
export interface ClassTokens {
  label: string;
  rows: number;
  /** Distinct tokens in this class's texts. */
  vocabularySize: number;
  topTokens: TokenCount[];
}

/** Tokens of each dictionary entry, once. */
const tokensOf = (column: StringColumn) => column.dictionary.map(wordTokens);

function topTokens(counts: Map<string, number>): TokenCount[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, TOP_TOKENS)
    .map(([token, count]) => ({ token, count }));
}

/** Token counts over the rows `rows` selects (all present rows when it is absent). */
function countTokens(column: StringColumn, tokens: string[][], keep?: (row: number) => boolean): { counts: Map<string, number>; rows: number } {
  const perEntry = new Array<number>(column.dictionary.length).fill(0);
  let rows = 0;
  for (let i = 0; i < column.codes.length; i++) {
    const c = column.codes[i];
    if (c < 0 || (keep && !keep(i))) continue;
    perEntry[c]++;
    rows++;
  }
  const counts = new Map<string, number>();
  perEntry.forEach((n, c) => {
    if (n > 0) for (const t of tokens[c]) counts.set(t, (counts.get(t) ?? 0) + n);
  });
  return { counts, rows };
}

/** The summary of a text column (see {@link TextSummary}); undefined when no cell is present. */
export function summarizeText(column: StringColumn): TextSummary | undefined {
  const tokens = tokensOf(column);
  const lengths: number[] = [];
  for (const c of column.codes) if (c >= 0) lengths.push(tokens[c].length);
  if (lengths.length === 0) return undefined;
  const sorted = Float64Array.from(lengths).sort();
  const { counts } = countTokens(column, tokens);
  return {
    minTokens: sorted[0],
    medianTokens: quantileSorted(sorted, 0.5),
    p95Tokens: quantileSorted(sorted, 0.95),
    maxTokens: sorted[sorted.length - 1],
    meanTokens: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    lengthHistogram: histogramSorted(sorted, 10),
    vocabularySize: counts.size,
    topTokens: topTokens(counts),
  };
}

/**
 * The most frequent tokens of `column`'s texts in each class of `target` (classes by size, at most
 * {@link MAX_PROFILE_CLASSES}; rows with a missing target are left out).
 * @throws AppError BAD_USER_INPUT naming the column when either is not a column, `column` holds
 *   numbers, or `target` is numeric with more than MAX_PROFILE_CLASSES values.
 */
export function tokensByClass(table: Table, column: string, target: string): ClassTokens[] {
  const find = (field: string, name: string) => {
    const j = table.columns.indexOf(name);
    if (j < 0) throw badInput(`${field} ${quote(name)} is not a column of the dataset${didYouMean(name, table.columns)}`);
    return table.data[j];
  };
  const text = find('column', column);
  const labels = find('target', target);
  if (text.kind !== 'string') throw badInput(`column '${column}' holds numbers, not text`);
  const labelOf: (row: number) => string | null =
    labels.kind === 'string'
      ? (i) => (labels.codes[i] < 0 ? null : labels.dictionary[labels.codes[i]])
      : (i) => (Number.isNaN(labels.values[i]) ? null : String(labels.values[i]));
  const sizes = new Map<string, number>();
  for (let i = 0; i < table.rowCount; i++) {
    const l = labelOf(i);
    if (l !== null) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  }
  if (labels.kind === 'numeric' && sizes.size > MAX_PROFILE_CLASSES) {
    throw badInput(`target '${target}' is numeric with ${sizes.size} distinct values; a text profile by class takes at most ${MAX_PROFILE_CLASSES} classes`);
  }
  const tokens = tokensOf(text);
  const classes = [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_PROFILE_CLASSES);
  return classes.map(([label]) => {
    const { counts, rows } = countTokens(text, tokens, (i) => labelOf(i) === label);
    return { label, rows, vocabularySize: counts.size, topTokens: topTokens(counts) };
  });
}
