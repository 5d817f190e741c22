/**
 * Rows to predict from what the user gives: a CSV file with a header (numbers read as numbers,
 * empty cells as null = missing), a JSON file (an array of objects, or one object), or one JSON row.
 */
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { CliError, usageError } from './errors';
import { parseJson, readText } from './read-json-file';

/** One row keyed like the training CSV's columns. */
export type Row = Record<string, unknown>;

function asRows(value: unknown, what: string): Row[] {
  const rows = Array.isArray(value) ? value : [value];
  if (rows.length === 0 || !rows.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    throw new CliError('BAD_FILE', `${what} must hold a JSON object or an array of objects`);
  }
  return rows as Row[];
}

/** A CSV cell: a number when it reads as one, null when empty, else the text. */
function castCell(value: string): unknown {
  if (value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/** Parses CSV text with a header row into rows. */
export function rowsFromCsv(text: string, what: string): Row[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new CliError('BAD_FILE', `${what} is not CSV with a header: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new CliError('BAD_FILE', `${what} has no rows`);
  return records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, castCell(v)])));
}

/**
 * The rows of `--file` (by extension: .csv or .json) or `--row` (exactly one of them).
 * @throws CliError USAGE when neither or both are given, BAD_FILE when they do not parse.
 */
export function readRows(opts: { file?: string; row?: string }): Row[] {
  if (Boolean(opts.file) === Boolean(opts.row)) throw usageError('give exactly one of --file <rows.csv|rows.json> and --row <json>');
  if (opts.row) return asRows(parseJson(opts.row, '--row'), '--row');
  const file = opts.file!;
  const text = readText(file);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return rowsFromCsv(text, `'${file}'`);
  if (ext === '.json') return asRows(parseJson(text, `'${file}'`), `'${file}'`);
  throw usageError(`--file must end in .csv or .json, not '${file}'`);
}
