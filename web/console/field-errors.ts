/**
 * Puts the server's validation errors next to the form field they are about. The server names the
 * field in `extensions.field` or in the message (`spec.layers[1].units must be…`, `modelName '…'
 * must be…`, GraphQL's `…at "input.spec.epochs"`); the most specific field of the form that the
 * named path starts with gets the message, and anything else goes to `form` (shown above the button).
 */
import type { ApiError } from './api-error';

/** Where a field is named: `spec.x.y[2].z`, or one of the run input's own fields. */
const NAMED = /(spec\.[A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+)*|targetColumn|featureColumns|modelName|datasetId)/;

/** Message by field key (`form` for errors that name no field of the form). */
export type FieldErrors = Record<string, string>;

/**
 * Maps `error`'s messages to the keys in `fields` (paths such as `spec.epochs` or `spec.layers[0].units`).
 * A path deeper than any field goes to the longest field that is its prefix (`spec.optimizer.learningRate`
 * to `spec.optimizer` when the form has no learning-rate field).
 */
export function fieldErrors(error: ApiError, fields: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  for (const e of error.errors.length ? error.errors : [{ message: error.message }]) {
    const extField = typeof e.extensions?.field === 'string' ? e.extensions.field : undefined;
    const named = extField ?? NAMED.exec(e.message)?.[1];
    const target = named
      ? fields.filter((f) => named === f || named.startsWith(`${f}.`) || named.startsWith(`${f}[`) || `spec.${named}` === f).sort((a, b) => b.length - a.length)[0]
      : undefined;
    const key = target ?? 'form';
    out[key] = out[key] ? `${out[key]}; ${e.message}` : e.message;
  }
  return out;
}
