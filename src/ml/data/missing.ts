/**
 * Declared missing-value codes: cells such as `?` (everywhere) or `0` (in named columns) that mean
 * "no value", besides the empty cell. Applied the same way when a CSV is parsed and profiled, when
 * a pipeline is fitted, and to prediction rows.
 */
import { badInput, didYouMean, quote } from '../../lib/errors';

/** One declaration: `values` are missing in `column`, or in every column when `column` is absent. */
export interface MissingValuesSpec {
  column?: string | null;
  values: string[];
}

/** Codes per column name; `*` holds the codes declared for every column. */
export type MissingCodes = Record<string, string[]>;

const ALL = '*';

/** Own-property read: column names such as `constructor` or `__proto__` are plain keys here. */
const get = (codes: MissingCodes, key: string): string[] => (Object.hasOwn(codes, key) ? codes[key] : []);
/** Own-property write that never triggers the `__proto__` setter. */
const put = (codes: MissingCodes, key: string, values: string[]) =>
  Object.defineProperty(codes, key, { value: values, enumerable: true, writable: true, configurable: true });

/**
 * Checks declarations against the table's columns and folds them into per-column codes.
 * @param field the input field, for messages (e.g. `missingValues`, `spec.preprocessing.missingValues`).
 * @throws AppError BAD_USER_INPUT for an unknown column (with a suggestion) or an empty value list.
 */
export function resolveMissing(specs: MissingValuesSpec[] | null | undefined, columns: string[], field: string): MissingCodes {
  const out: MissingCodes = {};
  (specs ?? []).forEach((spec, i) => {
    if (!spec.values?.length) throw badInput(`${field}[${i}].values is empty: list the codes that mean missing, e.g. ["?"]`);
    const column = spec.column ?? ALL;
    if (column !== ALL && !columns.includes(column)) {
      throw badInput(`${field}[${i}].column ${quote(column)} is not a column of the dataset${didYouMean(column, columns)}`);
    }
    put(out, column, [...new Set([...get(out, column), ...spec.values.map((v) => v.trim())])]);
  });
  return out;
}

/** Union of two code sets (e.g. the dataset's and the training spec's). */
export function mergeMissing(a: MissingCodes, b: MissingCodes): MissingCodes {
  const out: MissingCodes = {};
  for (const [k, v] of Object.entries(a)) put(out, k, v);
  for (const [k, v] of Object.entries(b)) put(out, k, [...new Set([...get(out, k), ...v])]);
  return out;
}

/** The codes that apply to `column`: its own and the global ones. */
export function codesFor(codes: MissingCodes, column: string): string[] {
  return [...new Set([...get(codes, ALL), ...get(codes, column)])];
}

/**
 * A predicate for one column: true for '' and for any declared code. A numeric code also matches
 * the same number written differently (`0` matches `0.0`).
 */
export function missingTest(codes: string[]): (cell: string) => boolean {
  if (codes.length === 0) return (cell) => cell === '';
  const strings = new Set(codes);
  const numbers = new Set(codes.filter((c) => c !== '' && Number.isFinite(Number(c))).map(Number));
  return (cell) => {
    if (cell === '' || strings.has(cell)) return true;
    if (numbers.size === 0) return false;
    const n = Number(cell);
    return Number.isFinite(n) && numbers.has(n);
  };
}

/**
 * The same predicate for a finite number, without writing it as text: `missingTest(codes)(String(v))`
 * for every finite `v` (a code that names `v` reads as `v`, and `String(v)` reads back as `v`).
 */
export function missingNumberTest(codes: string[]): (value: number) => boolean {
  const numbers = new Set(codes.filter((c) => c !== '' && Number.isFinite(Number(c))).map(Number));
  return numbers.size === 0 ? () => false : (value) => numbers.has(value);
}
