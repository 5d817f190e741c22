/**
 * Reading a number a person typed into a form (no DOM here, so unit tests can use it): a finite
 * decimal only, as a CSV writes it (`12`, `-0.5`, `.5`, `1e-3`). `Number()` alone would read `0x10`
 * as 16, `''` as 0, and give NaN or Infinity for `abc` and `1e400`, which JSON sends as null.
 */

/** Sign, digits with an optional fraction, optional exponent: nothing else (no hex, no `NaN`, no `Infinity`). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A field's number (null: left empty for a missing value) or why it is not one. */
export type ReadNumber = { value: number | null; error?: undefined } | { value?: undefined; error: string };

/**
 * Reads `text` (spaces around it ignored) typed in the field named `name`.
 * @param allowsMissing whether an empty field may stand for a missing value (the model replaces it
 *   with what it learned in training); otherwise empty is an error.
 */
export function readNumber(text: string, name: string, allowsMissing: boolean): ReadNumber {
  const t = text.trim();
  if (t === '') return allowsMissing ? { value: null } : { error: `${name} needs a number: this model has no value for a missing one` };
  if (!DECIMAL.test(t)) return { error: `${name} must be a decimal number such as 12 or -0.5, not '${t}'` };
  const value = Number(t);
  if (!Number.isFinite(value)) return { error: `${name} '${t}' is too large: a number must be within ±1.8e308` };
  return { value };
}
