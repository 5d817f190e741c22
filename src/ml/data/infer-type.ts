/**
 * Column types, inferred from the parsed values:
 * - numeric: every present cell is a finite number (0/1 columns included);
 * - boolean: at most two distinct values, all of true/false, yes/no, t/f, y/n (any case);
 * - datetime: every distinct value is an ISO 8601 date or date-time (`2024-03-01`, `2024-03-01T10:00Z`);
 * - text: free text, i.e. on average 3 or more words per present cell;
 * - categorical: any other string column.
 */
import type { ColumnData, StringColumn } from './csv';

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'text' | 'datetime';

export const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'categorical', 'boolean', 'text', 'datetime'];

const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 't', 'f', 'y', 'n']);
const TRUE_WORDS = new Set(['true', 'yes', 't', 'y']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01T00:00Z (fractional), or NaN when `text` is not an ISO 8601 date. */
export function dateToDays(text: string): number {
  if (!ISO_DATE.test(text)) return NaN;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isFinite(ms) ? ms / DAY_MS : NaN;
}

/** Canonical form of a boolean cell: 'true' or 'false'. */
export function booleanText(text: string): string {
  return TRUE_WORDS.has(text.toLowerCase()) ? 'true' : 'false';
}

/** Infers the {@link ColumnType} of a parsed column. */
export function inferType(column: ColumnData): ColumnType {
  if (column.kind === 'numeric') return 'numeric';
  const dict = column.dictionary;
  if (dict.length === 0) return 'categorical';
  const lower = new Set(dict.map((v) => v.toLowerCase()));
  if (lower.size <= 2 && [...lower].every((v) => BOOLEAN_WORDS.has(v))) return 'boolean';
  if (dict.every((v) => !Number.isNaN(dateToDays(v)))) return 'datetime';
  return averageWords(column) >= 3 ? 'text' : 'categorical';
}

function averageWords(column: StringColumn): number {
  const words = column.dictionary.map((v) => v.split(/\s+/).filter(Boolean).length);
  let total = 0;
  let present = 0;
  for (const code of column.codes) {
    if (code < 0) continue;
    total += words[code];
    present++;
  }
  return present ? total / present : 0;
}
