/**
 * CSV we hand out (batch prediction results), safe to open in a spreadsheet.
 *
 * Formula injection (OWASP, https://owasp.org/www-community/attacks/CSV_Injection): a cell that
 * begins with `=`, `+`, `-`, `@`, tab or carriage return (or their full-width forms U+FF1D, U+FF0B,
 * U+FF0D, U+FF20, which some spreadsheets also read as formulas) is written with a single quote in
 * front, and every text cell is double-quoted (inner quotes doubled, RFC 4180), so neither a `,`
 * nor a locale's `;` separator inside a cell can start a new cell that begins a formula. The
 * escaping is csv-stringify's `escape_formulas` (adaltas/node-csv#387) plus `quoted_string`.
 *
 * Leading whitespace does not hide a formula: spreadsheets may trim it on import, so a cell that
 * begins with spaces or line breaks (a line feed, too) before one of those characters is prefixed
 * as well.
 *
 * One exception, so numbers stay numbers: a cell that is a plain decimal number (`-1.5`, `+3`,
 * `-2e-7`; see {@link isNumber}) is never prefixed. A spreadsheet reads it as that number, and a
 * number cannot call a function. Cells that merely start like one (`-1+2`, `-Infinity`, `-0x10`)
 * are prefixed. Cells that came as text keep their quotes, so `"007"` and `"9007199254740993"`
 * arrive with every digit; numbers we compute (predictions) are written bare.
 */
import { stringify } from 'csv-stringify/sync';
import { isNumber } from './csv';

/** Whitespace (spaces, tabs, line breaks) before a character that starts a formula. */
const HIDDEN_FORMULA = /^\s+[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A cell: text as uploaded, a computed number, or missing (`null`, written as an empty cell). */
export type ExportCell = string | number | null;

/**
 * Writes rows (the first is usually the header) as CSV: comma-separated, LF line ends, escaped as
 * described in this module's comment.
 * @returns the CSV text, ending in a line break.
 */
export function toSafeCsv(rows: readonly (readonly ExportCell[])[]): string {
  return stringify(rows as ExportCell[][], {
    escape_formulas: true,
    quoted_string: true,
    quoted_empty: false,
    cast: {
      string: (value) => {
        if (isNumber(value)) return { value, escape_formulas: false };
        if (HIDDEN_FORMULA.test(value)) return { value: `'${value}`, escape_formulas: false };
        return value;
      },
    },
  });
}
