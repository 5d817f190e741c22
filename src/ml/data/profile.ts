/**
 * Column types and summaries of a parsed table: what `Dataset.columns` stores and the API shows.
 */
import type { Table } from './csv';

export type ColumnType = 'numeric' | 'categorical';

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Empty cells. */
  missing: number;
  distinct: number;
  /** Numeric columns only (over non-missing cells). */
  min?: number;
  max?: number;
  mean?: number;
  /** Population standard deviation. */
  std?: number;
  /** Categorical columns only: up to 10 most frequent values with their counts. */
  topValues?: { value: string; count: number }[];
}

/** Profiles every column: a column is numeric when every non-empty cell parses as a finite number. */
export function profileTable(table: Table): ColumnProfile[] {
  return table.columns.map((name, j) => profileColumn(name, table.rows.map((r) => r[j])));
}

function profileColumn(name: string, cells: string[]): ColumnProfile {
  const present = cells.filter((c) => c !== '');
  const missing = cells.length - present.length;
  const counts = new Map<string, number>();
  for (const c of present) counts.set(c, (counts.get(c) ?? 0) + 1);
  const numbers = present.map(Number);
  if (present.length > 0 && numbers.every(Number.isFinite)) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const x of numbers) {
      if (x < min) min = x;
      if (x > max) max = x;
      sum += x;
    }
    const mean = sum / numbers.length;
    const std = Math.sqrt(numbers.reduce((s, x) => s + (x - mean) ** 2, 0) / numbers.length);
    return { name, type: 'numeric', missing, distinct: counts.size, min, max, mean, std };
  }
  const topValues = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([value, count]) => ({ value, count }));
  return { name, type: 'categorical', missing, distinct: counts.size, topValues };
}
