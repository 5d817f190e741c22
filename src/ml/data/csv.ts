/**
 * CSV text -> a table of strings: delimiter and header detected, ragged and empty input refused
 * with the line number. Parsing is csv-parse's (RFC 4180 quoting).
 */
import { parse } from 'csv-parse/sync';
import { AppError, badInput } from '../../lib/errors';

export interface Table {
  /** Column names: the header row, or `column_1` … `column_n` when there is none. */
  columns: string[];
  /** Data rows, each with exactly `columns.length` cells. Cells are trimmed strings; '' is missing. */
  rows: string[][];
  hasHeader: boolean;
  delimiter: string;
}

export interface CsvOptions {
  /** Force header detection: true = first row is the header, false = none. (Default: detected) */
  hasHeader?: boolean;
  /** Force the delimiter. (Default: detected among , ; tab |) */
  delimiter?: string;
}

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * Picks the candidate delimiter that splits the first lines into the same, largest number of fields.
 * Quoted fields are not inspected; a tie goes to the comma.
 */
export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/, 20).filter((l) => l.trim() !== '');
  let best = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => l.split(d).length - 1);
    if (counts.length === 0 || counts[0] === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length / counts.length;
    const score = consistent * counts[0];
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return best;
}

const isNumber = (s: string) => s !== '' && Number.isFinite(Number(s));

/**
 * A first row is a header when none of its cells is empty or a number while some column holds
 * numbers below it (or when it is the only row).
 */
function looksLikeHeader(first: string[], rest: string[][]): boolean {
  if (first.some((c) => c === '' || isNumber(c))) return false;
  if (rest.length === 0) return true;
  return first.some((_, j) => rest.slice(0, 50).some((r) => isNumber(r[j] ?? '')));
}

/**
 * Parses CSV text into a {@link Table}.
 * @throws AppError BAD_USER_INPUT when the text is empty, has no data rows, has rows with a
 *   different number of fields (naming the line), or has duplicate column names.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Table {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw badInput('The CSV is empty');
  const delimiter = options.delimiter ?? detectDelimiter(body);
  let records: string[][];
  try {
    records = parse(body, { delimiter, skip_empty_lines: true, trim: true, relax_quotes: false });
  } catch (err) {
    const e = err as { code?: string; lines?: number; record?: unknown[]; message: string };
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code === 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH') {
      throw badInput(`The CSV is ragged: line ${e.lines} has ${e.record?.length} fields, expected the same number as line 1`, {
        line: e.lines,
      });
    }
    throw new AppError('BAD_USER_INPUT', `The CSV could not be parsed (line ${e.lines ?? '?'}): ${e.message}`);
  }
  if (records.length === 0) throw badInput('The CSV is empty');
  const hasHeader = options.hasHeader ?? looksLikeHeader(records[0], records.slice(1));
  const columns = hasHeader ? records[0] : records[0].map((_, j) => `column_${j + 1}`);
  const rows = hasHeader ? records.slice(1) : records;
  if (rows.length === 0) throw badInput('The CSV has a header but no data rows');
  const seen = new Set<string>();
  for (const name of columns) {
    if (name === '') throw badInput('The CSV header has an empty column name');
    if (seen.has(name)) throw badInput(`The CSV header names column '${name}' twice`);
    seen.add(name);
  }
  return { columns, rows, hasHeader, delimiter };
}
