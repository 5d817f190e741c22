/** How a CSV cell reads: a plain decimal number, or an integer too large for a double to hold exactly (./csv.ts). */

/** A plain decimal number as CSVs write them: `12`, `-0.5`, `.5`, `1e-3`; not `0x10`, `0b1`, `Infinity`. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a cell is a plain decimal number (see DECIMAL); hex, binary and octal literals are text. */
export const isNumber = (s: string) => DECIMAL.test(s) && Number.isFinite(Number(s));

/** An integer literal (`42`, `-7`, `007`): no point, no exponent. */
const INTEGER = /^[+-]?\d+$/;

/**
 * Whether a cell is an integer literal that a double cannot hold exactly (|n| > 2^53 − 1, e.g. the
 * id `9007199254740993`, read as 9007199254740992): such a column stays text, so distinct ids stay
 * distinct and are handed back with every digit. Decimal fractions and exponents (`1e20`) are
 * measurements, approximate by nature, and stay numbers.
 */
export const isInexactInteger = (s: string) => INTEGER.test(s) && !Number.isSafeInteger(Number(s));
