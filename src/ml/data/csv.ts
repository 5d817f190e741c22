/**
 * CSV text -> a columnar table: delimiter and header detected, quoted fields (RFC 4180, by
 * csv-parse), ragged and malformed input refused with the line number. Numbers are plain decimals;
 * in files not separated by commas, a decimal comma (`3,5`) is read too. A column holding an
 * integer beyond 2^53 − 1 (an id a double would round) is a string column, as uploaded.
 *
 * Memory: records are never held all at once. They stream into one Float64Array per numeric column
 * (8 bytes a cell) and one Int32Array of dictionary codes per other column (4 bytes a cell plus each
 * distinct value once). A 4 MB file takes about 3 times its size (see test/data-upload.spec.ts).
 */
import { isInexactInteger, isNumber } from './csv-cells';
import { parse } from 'csv-parse/sync';
import { badInput } from '../../lib/errors';
import { cellLimitOf, scan } from './csv-scan';
import type { TextEncoding } from './decode';
import { checkCells, checkNames } from './csv-limits';
import { codesFor, mergeMissing, missingTest, resolveMissing, type MissingCodes, type MissingValuesSpec } from './missing';

/** A column of numbers; NaN = missing (empty or a declared code). */
export interface NumericColumn {
  kind: 'numeric';
  values: Float64Array;
}

/** A column of strings, dictionary-encoded; code -1 = missing (empty or a declared code). */
export interface StringColumn {
  kind: 'string';
  codes: Int32Array;
  /** Distinct values, each once (order: first appearance, mostly). */
  dictionary: string[];
}

export type ColumnData = NumericColumn | StringColumn;

export interface Table {
  /** Column names: the header row, or `column_1` … `column_n` when there is none. */
  columns: string[];
  /** One entry per column, each `rowCount` long. */
  data: ColumnData[];
  rowCount: number;
  hasHeader: boolean;
  delimiter: string;
  /** Whether `"` quotes fields (see {@link CsvOptions.quoting}). */
  quoting: boolean;
  /** The missing codes the table was parsed with. */
  missing: MissingCodes;
  /**
   * With `keepText`: every cell as the file writes it (unquoted and trimmed, missing codes kept,
   * numbers not re-printed: `007`, `1.50` and ids above 2^53 stay as they are), one per column.
   */
  text?: StringColumn[];
}

export interface CsvOptions {
  /** Force header detection: true = first row is the header, false = none. (Default: detected) */
  hasHeader?: boolean;
  /** Force the delimiter. (Default: detected among , ; tab |) */
  delimiter?: string;
  /**
   * Names for the columns, one per field: a headerless file's names (the SMS Spam Collection's
   * `label`, `message`), or replacements for a header's when `hasHeader` is true. When given,
   * `hasHeader` defaults to false instead of being detected. (Default: the header, or `column_<n>`)
   */
  columnNames?: string[];
  /**
   * Whether `"` quotes fields (RFC 4180). False reads quotes as ordinary text, as tab-separated
   * files without quoting need (a message such as `"Hi" he said` in the SMS Spam Collection). (Default: true)
   */
  quoting?: boolean;
  /** The text encoding the bytes are decoded with (see decode.ts); parseCsv takes text and ignores it. (Default: detected) */
  encoding?: TextEncoding | null;
  /** Missing codes, already resolved (see missing.ts); keyed by final column names. */
  missing?: MissingCodes;
  /** Missing-code declarations as the user sent them, checked against the columns found. */
  missingValues?: MissingValuesSpec[] | null;
  /** Refuse files with more columns (uploads: MAX_DATASET_COLUMNS). (Default: no limit) */
  maxColumns?: number;
  /** Refuse a cell longer than this, characters (uploads: DATASET_MAX_CELL_CHARS). (Default: no limit) */
  maxCellChars?: number;
  /** Refuse a header's column name longer than this, characters (uploads: MAX_COLUMN_NAME_LENGTH). (Default: no limit) */
  maxNameChars?: number;
  /** Also keep each cell's text as written ({@link Table.text}), for outputs that echo the file. (Default: false) */
  keepText?: boolean;
}

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * Picks the candidate delimiter that splits the first lines into the same, largest number of fields.
 * Quoted fields are not inspected; a tie goes to the comma.
 */
export function detectDelimiter(text: string): string {
  const lines = text.slice(0, 64 * 1024).split(/\r?\n/, 20).filter((l) => l.trim() !== '');
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

export { isInexactInteger, isNumber } from './csv-cells';

/**
 * A first row is a header when none of its cells is a number, and some non-empty cell of it stands
 * above numbers (or it is the only row and not all empty). Empty header cells are allowed (the
 * unnamed index column pandas' `to_csv` writes, say), but only a named cell over numbers counts:
 * a data row such as `Smith,,London` above `Doe,42,Paris` stays data.
 */
function looksLikeHeader(first: string[], rest: string[][]): boolean {
  if (first.some(isNumber) || first.every((c) => c === '')) return false;
  if (rest.length === 0) return true;
  return first.some((c, j) => c !== '' && rest.some((r) => isNumber(r[j] ?? '')));
}

/**
 * The table's column names: the given ones (their count checked), else the header's, with empty
 * or missing ones named `column_<position>` (made unique if taken).
 * @throws AppError BAD_USER_INPUT when `given` does not have one name per field.
 */
function columnNames(first: string[], hasHeader: boolean, given?: string[]): string[] {
  if (given) {
    if (given.length !== first.length) throw badInput(`columnNames has ${given.length} names, but the file has ${first.length} fields per row`, { names: given.length, fields: first.length });
    return given;
  }
  const taken = new Set(hasHeader ? first.filter((c) => c !== '') : []);
  return first.map((name, j) => {
    if (hasHeader && name !== '') return name;
    let generated = `column_${j + 1}`;
    for (let k = 2; taken.has(generated); k++) generated = `column_${j + 1}_${k}`;
    taken.add(generated);
    return generated;
  });
}

/**
 * Parses CSV text into a columnar {@link Table}.
 * @throws AppError BAD_USER_INPUT when the text is empty, has no data rows, has rows with a
 *   different number of fields or an unclosed quote (naming the line), has duplicate column names
 *   or more than `maxColumns` columns, a cell longer than `maxCellChars` (naming row, line, column
 *   and length) or a header name longer than `maxNameChars` (see ./csv-limits.ts).
 */
export function parseCsv(text: string, options: CsvOptions = {}): Table {
  let body = text.replace(/^\uFEFF/, '');
  // csv-parse takes the first line break it meets as the only one: mixed CR and LF files would
  // read as ragged. Lone CRs become LFs (rare: files edited on old Macs and elsewhere).
  if (/\r(?!\n)/.test(body) && body.includes('\n')) body = body.replace(/\r(?!\n)/g, '\n');
  if (body.trim() === '') throw badInput('The CSV is empty');
  const delimiter = options.delimiter ?? detectDelimiter(body);
  const quoting = options.quoting ?? true;
  const quote = quoting ? '"' : false;
  let head: string[][];
  const headLines: number[] = []; // the line each head record ends on
  const onHead = (record: string[], context: { lines: number }) => (headLines.push(context.lines), record);
  try {
    head = parse(body, { delimiter, quote, skip_empty_lines: true, trim: true, to_line: 60, relax_column_count: true, on_record: onHead });
  } catch {
    // e.g. a quoted field running past line 60: take the first records from a full pass, which
    // also reports a real problem with its line.
    [head, headLines.length] = [[], 0];
    scan(body, { delimiter, quote }, (record, line) => void (head.length < 60 && head.push(record) && headLines.push(line)));
  }
  if (head.length === 0) throw badInput('The CSV is empty');
  const hasHeader = options.hasHeader ?? (options.columnNames ? false : looksLikeHeader(head[0], head.slice(1, 51)));
  const width = head[0].length;
  if (options.maxColumns !== undefined && width > options.maxColumns) {
    throw badInput(`The CSV has ${width} columns; at most ${options.maxColumns} are accepted (MAX_DATASET_COLUMNS)`, { columns: width });
  }
  const columns = columnNames(head[0], hasHeader, options.columnNames);
  checkNames(columns, options.columnNames ? 'columnNames' : 'The CSV header', options.maxNameChars);
  // A long cell near the top is refused before the full pass reads the file again; past the top,
  // the full pass stops inside a record that outgrows what `width` cells may hold (CellLimit).
  const maxCell = options.maxCellChars;
  if (maxCell !== undefined) head.forEach((record, i) => checkCells(record, maxCell, columns, hasHeader ? i : i + 1, headLines[i]));
  const missing = mergeMissing(options.missing ?? {}, resolveMissing(options.missingValues, columns, 'missingValues'));
  const tests = columns.map((c) => missingTest(codesFor(missing, c)));

  // One pass: a column stays numeric while its cells are numbers (or missing); at its first other
  // cell it becomes a string column from that row on. Rows before such a late switch are filled in
  // by a second, shorter pass over just those rows (rare: most string columns switch at row 0).
  const capacity = countLines(body);
  const builders = columns.map(() => new ColumnBuilder(capacity));
  const texts = options.keepText ? columns.map(() => new ColumnBuilder(capacity, true)) : undefined;
  let rowCount = 0;
  let first = hasHeader;
  const cellLimit = maxCell === undefined ? undefined : cellLimitOf(maxCell, width);
  scan(body, { delimiter, quote, cellLimit }, (record, line) => {
    if (maxCell !== undefined) checkCells(record, maxCell, columns, first ? 0 : rowCount + 1, line);
    if (first) return void (first = false);
    if (rowCount >= capacity) throw new Error(`CSV records outnumber the estimated ${capacity}`); // a bug, never silently dropped rows
    for (let j = 0; j < width; j++) builders[j].add(rowCount, record[j], tests[j]);
    if (texts) for (let j = 0; j < width; j++) texts[j].add(rowCount, record[j], isEmpty);
    rowCount++;
  });
  if (rowCount === 0) throw badInput('The CSV has a header but no data rows');
  const backfill = Math.max(0, ...builders.map((b) => b.switchedAt));
  if (backfill > 0) {
    let i = -1;
    first = hasHeader;
    scan(body, { delimiter, quote, to: backfill + (hasHeader ? 1 : 0) }, (record) => {
      if (first) return void (first = false);
      i++;
      for (let j = 0; j < width; j++) if (i < builders[j].switchedAt) builders[j].backfill(i, record[j], tests[j]);
    });
  }
  const data = builders.map((b) => b.finish(rowCount));
  const written = texts?.map((b) => b.finish(rowCount) as StringColumn);
  return { columns, data: delimiter === ',' ? data : data.map(decimalComma), rowCount, hasHeader, delimiter, quoting, missing, ...(written && { text: written }) };
}

const isEmpty = (cell: string) => cell === '';

/** `3,5` or `-0,25`: a number written with a decimal comma (no thousands separators). */
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/**
 * A string column whose every value is a number, some written with a decimal comma (files
 * exported with a European locale, where `;` separates fields), becomes a numeric column.
 */
function decimalComma(column: ColumnData): ColumnData {
  if (column.kind !== 'string') return column;
  const { dictionary, codes } = column;
  if (!dictionary.some((v) => DECIMAL_COMMA.test(v)) || !dictionary.every((v) => DECIMAL_COMMA.test(v) || (isNumber(v) && !isInexactInteger(v)))) return column;
  const numbers = dictionary.map((v) => Number(v.replace(',', '.')));
  const values = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = codes[i] < 0 ? NaN : numbers[codes[i]];
  return { kind: 'numeric', values };
}

/**
 * An upper bound on the records: line breaks + 1, where a line break is LF, CRLF or a lone CR (old
 * Mac files); quoted line breaks make it an over-estimate.
 */
function countLines(text: string): number {
  let n = 1;
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) n++;
  for (let k = text.indexOf('\r'); k >= 0; k = text.indexOf('\r', k + 1)) if (text.charCodeAt(k + 1) !== 10) n++;
  return n;
}

/** Builds one column: numbers until a non-number appears, then dictionary codes. */
class ColumnBuilder {
  private values: Float64Array | undefined;
  private codes: Int32Array | undefined;
  private readonly dictionary: string[] = [];
  private readonly lookup = new Map<string, number>();
  /** Row at which the column became a string column (0 = from the start); -1 while numeric. */
  switchedAt = -1;

  /** @param textOnly a column of text from the first row (for {@link Table.text}). */
  constructor(
    private readonly capacity: number,
    textOnly = false,
  ) {
    if (textOnly) {
      this.codes = new Int32Array(capacity);
      this.switchedAt = 0;
    } else this.values = new Float64Array(capacity);
  }

  private code(cell: string): number {
    let code = this.lookup.get(cell);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(cell);
      this.lookup.set(cell, code);
    }
    return code;
  }

  add(row: number, cell: string, isMissing: (s: string) => boolean): void {
    const missing = isMissing(cell);
    if (this.values) {
      if (missing || (isNumber(cell) && !isInexactInteger(cell))) {
        this.values[row] = missing ? NaN : Number(cell);
        return;
      }
      this.values = undefined;
      this.codes = new Int32Array(this.capacity);
      this.switchedAt = row;
    }
    this.codes![row] = missing ? -1 : this.code(cell);
  }

  /** Second pass: the text of a row read before the switch. */
  backfill(row: number, cell: string, isMissing: (s: string) => boolean): void {
    this.codes![row] = isMissing(cell) ? -1 : this.code(cell);
  }

  /** A view of the first `rows` (the capacity over-counts only by quoted line breaks). */
  finish(rows: number): ColumnData {
    if (this.values) return { kind: 'numeric', values: this.values.subarray(0, rows) };
    return { kind: 'string', codes: this.codes!.subarray(0, rows), dictionary: this.dictionary };
  }
}

/** One cell as text ('' when missing): numbers as JavaScript prints them (see {@link Table.text} for the text as written). */
export function cellText(column: ColumnData, row: number): string {
  if (column.kind === 'numeric') {
    const v = column.values[row];
    return Number.isNaN(v) ? '' : String(v);
  }
  const code = column.codes[row];
  return code < 0 ? '' : column.dictionary[code];
}

/** The table's columns by name. @throws Error for an unknown name (callers resolve names first). */
export function columnOf(table: Table, name: string): ColumnData {
  const j = table.columns.indexOf(name);
  if (j < 0) throw new Error(`no column '${name}'`);
  return table.data[j];
}
