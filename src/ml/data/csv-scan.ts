/**
 * csv-parse over a whole text, one record at a time, with its refusals turned into coded errors
 * naming the line (ragged rows, unclosed quotes, quotes inside fields, a record that outgrows its
 * cells' limit). Used by the columnar parser (./csv.ts).
 */
import { parse, type Options } from 'csv-parse/sync';
import { AppError, badInput } from '../../lib/errors';

/** csv-parse's codes for a quote in the middle of a field or text after a closing quote. */
const QUOTE_ERRORS = new Set(['INVALID_OPENING_QUOTE', 'CSV_INVALID_CLOSING_QUOTE', 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE']);

/**
 * A bound on a record's size that stops csv-parse while it reads a cell too long to accept, instead
 * of after: `maxChars` (DATASET_MAX_CELL_CHARS) in every one of `width` fields, at 3 UTF-8 bytes per
 * UTF-16 code unit at most (csv-parse counts bytes), plus the delimiters. A record under it may
 * still hold one long cell; checkCells finds that one exactly.
 */
export interface CellLimit {
  maxChars: number;
  bytes: number;
}

export const cellLimitOf = (maxChars: number, width: number): CellLimit => ({ maxChars, bytes: Math.min(2 ** 31 - 1, 3 * maxChars * width + width) });

/** csv-parse over the whole text, calling `each` per record without keeping them (with `cellLimit`, see {@link CellLimit}). */
export function scan(body: string, options: Options & { cellLimit?: CellLimit }, each: (record: string[], line: number) => void): void {
  let lastLine = 0; // where the last good record ended
  const { cellLimit, ...parseOptions } = options;
  try {
    parse(body, {
      ...parseOptions,
      ...(cellLimit && { max_record_size: cellLimit.bytes }),
      skip_empty_lines: true,
      trim: true,
      on_record: (record: string[], context: { lines: number }) => {
        each(record, context.lines);
        lastLine = context.lines;
        return null;
      },
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { code?: string; lines?: number; record?: unknown[]; message: string };
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code === 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH') {
      throw badInput(`The CSV is ragged: line ${e.lines} has ${e.record?.length} fields, expected the same number as line 1`, { line: e.lines });
    }
    if (e.code === 'CSV_MAX_RECORD_SIZE' && options.cellLimit) {
      // Refused while the long cell is still being read: the rest of it never is.
      const { maxChars, bytes } = options.cellLimit;
      throw badInput(
        `The CSV's record at line ${e.lines} runs past ${bytes} bytes before it ends: it holds a cell longer than ${maxChars} characters, the most a cell may have (DATASET_MAX_CELL_CHARS)`,
        { line: e.lines },
      );
    }
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      // csv-parse reports the end of the text; the open quote is in the record after the last good one.
      throw badInput(`The CSV has a quoted field that is never closed, in the record starting at line ${lastLine + 1}`, { line: lastLine + 1 });
    }
    // e.g. `"Hi" he said` in a tab-separated file whose quotes are text, not quoting.
    const hint = QUOTE_ERRORS.has(e.code ?? '') ? ' (if quotes are ordinary text in this file, upload it with quoting: false)' : '';
    throw badInput(`The CSV could not be parsed (line ${e.lines ?? '?'}): ${e.message}${hint}`, { line: e.lines });
  }
}
