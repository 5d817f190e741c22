/** How commands print: aligned text tables for people, JSON for scripts (`--json`). */

/** One table cell's text: numbers to at most 4 decimals, null/undefined as '-'. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows as a table with a header, columns padded to their widest cell. */
export function table(columns: string[], rows: unknown[][]): string {
  const text = [columns, ...rows.map((r) => r.map(cell))];
  const widths = columns.map((_, j) => Math.max(...text.map((r) => r[j]?.length ?? 0)));
  return text.map((r) => r.map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]))).join('  ')).join('\n');
}

/** Writes a line to stdout. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a value as JSON (2-space indented) to stdout. */
export function printJson(value: unknown): void {
  say(JSON.stringify(value, null, 2));
}

/** A Relay connection page as the CLI reads it. */
export interface Page<T> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: T }[];
}

/** Prints a page: as JSON `{ totalCount, nextCursor, items }`, or as a table followed by the next cursor. */
export function printPage<T>(page: Page<T>, json: boolean, columns: string[], toRow: (node: T) => unknown[]): void {
  const items = page.edges.map((e) => e.node);
  const nextCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  if (json) return printJson({ totalCount: page.totalCount, nextCursor, items });
  say(table(columns, items.map(toRow)));
  say(`${items.length} of ${page.totalCount}${nextCursor ? `; next page: --after ${nextCursor}` : ''}`);
}
