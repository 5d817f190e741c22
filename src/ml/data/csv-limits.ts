/**
 * What an uploaded CSV may hold besides its size and width: column names of at most
 * {@link MAX_COLUMN_NAME_LENGTH} characters, all different, and cells of at most
 * `DATASET_MAX_CELL_CHARS` characters. Files already stored are read as they were accepted.
 */
import { badInput, quote } from '../../lib/errors';

/**
 * Longest column name, characters: a header's names at upload, `columnNames`, and the column names
 * specs refer to (as dataset names). Longer names would be copied into every profile, message and
 * "did you mean" comparison.
 */
export const MAX_COLUMN_NAME_LENGTH = 200;

/**
 * Refuses duplicate names and, with `maxChars`, a name longer than that.
 * @param source how messages name the names' origin (`The CSV header`, `columnNames`).
 * @throws AppError BAD_USER_INPUT naming the column's position (1-based) and the name or its length;
 *   `extensions.column`, `extensions.length`.
 */
export function checkNames(columns: string[], source: string, maxChars?: number): void {
  const seen = new Set<string>();
  columns.forEach((name, j) => {
    if (maxChars !== undefined && name.length > maxChars) {
      throw badInput(`${source} names column ${j + 1} with ${name.length} characters; a column name is at most ${maxChars} characters`, { column: j + 1, length: name.length });
    }
    if (seen.has(name)) throw badInput(`${source} names column ${quote(name)} twice`);
    seen.add(name);
  });
}

/**
 * Refuses a record holding a cell longer than `maxChars`.
 * @param row the data row (1-based), or 0 for the header.
 * @param line the line the record ends on (csv-parse's count), for the message.
 * @throws AppError BAD_USER_INPUT naming the row, the line, the column (position and name) and the
 *   cell's length; `extensions.row`, `line`, `column`, `length`.
 */
export function checkCells(record: string[], maxChars: number, columns: readonly string[], row: number, line: number): void {
  for (let j = 0; j < record.length; j++) {
    const length = record[j]?.length ?? 0;
    if (length > maxChars) {
      const where = row === 0 ? `the header (line ${line})` : `row ${row} (line ${line})`;
      throw badInput(
        `The CSV's cell in ${where}, column ${j + 1} (${quote(columns[j] ?? '')}), is ${length} characters; a cell is at most ${maxChars} characters (DATASET_MAX_CELL_CHARS)`,
        { row, line, column: j + 1, length },
      );
    }
  }
}
