/**
 * One error type for everything the API reports on purpose, and one catalogue of codes.
 * The GraphQL formatter (src/graphql/format-error.ts) puts `code` in `extensions.code`;
 * any other error becomes INTERNAL_SERVER_ERROR with a generic message.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'QUOTA_EXCEEDED',
  'INVALID_STATE',
  'MODEL_NOT_READY',
  /** The model family cannot do what was asked (e.g. explain); see src/ml/families. */
  'NOT_SUPPORTED',
  /** A model's output (or a metric computed from it) is NaN or ±Infinity; logged with the version id. */
  'NON_FINITE_OUTPUT',
  /** A dataset still has model versions trained on it; `details.versions` lists some (delete with `force` archives it). */
  'DATASET_IN_USE',
  /** A model has aliased versions; `details.aliases` lists them (delete with `force`). */
  'MODEL_IN_USE',
  /** reproduce: the version's dataset was deleted, archived, or its content checksum differs. */
  'DATASET_CHANGED',
  /** An uploaded model file is not a model this server can load (not ONNX, truncated, unsupported operator). */
  'INVALID_MODEL',
  /** A GraphQL operation costs more than GRAPHQL_MAX_COST (src/graphql/query-cost.ts); `details.cost`, `details.limit`. */
  'QUERY_COST_EXCEEDED',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Longest message an error carries, characters. Messages quote user values through {@link quote},
 * but a message built any other way is cut here too, so no input is ever echoed unbounded.
 */
export const MAX_ERROR_MESSAGE = 1000;
/** Longest string value in an error's `details` (e.g. the feature name in `extensions.feature`). */
const MAX_DETAIL = 200;

/** Cuts `text` to `max` characters, marking the cut with "..." and the original length. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 30))}... (${text.length} characters)`;
}

/** An error the API reports on purpose: `code` goes to `extensions.code`; the message is at most {@link MAX_ERROR_MESSAGE} characters. */
export class AppError extends Error {
  /** Extra fields for `extensions`, string values cut to 200 characters. */
  readonly details?: Record<string, unknown>;
  constructor(
    readonly code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(truncate(message, MAX_ERROR_MESSAGE));
    if (details) this.details = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, typeof v === 'string' ? truncate(v, MAX_DETAIL) : v]));
    this.name = 'AppError';
  }
}

/**
 * BAD_USER_INPUT whose message reads "`field``subPath` `rest`", where the field is known only to
 * the caller: a scalar refusing a variable's value (`Variable "$after" …`) does not know which
 * argument or variable it is coercing. The formatter (src/graphql/format-error.ts) puts the
 * variable's path in front ({@link FieldError.at}); elsewhere `fallback` stands in for it.
 */
export class FieldError extends AppError {
  /**
   * @param rest the message after the field, e.g. "Infinity is not a finite number".
   * @param subPath where inside the value, e.g. `.x` or `[2].weight` ('' for the value itself).
   * @param fallback what names the value when the field is not known, e.g. "DateTimeISO value".
   */
  constructor(
    readonly rest: string,
    readonly subPath = '',
    fallback = 'value',
  ) {
    super('BAD_USER_INPUT', `${fallback}${subPath} ${rest}`, { field: `${fallback}${subPath}` });
  }

  /** The message with `field` (e.g. `input.expiresAt`, `rows[0]`) in front. */
  at(field: string): string {
    return truncate(`${field}${this.subPath} ${this.rest}`, MAX_ERROR_MESSAGE);
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) => new AppError('BAD_USER_INPUT', message, details);

/** NOT_FOUND with the same shape whether the id does not exist or belongs to another tenant. */
export const notFound = (kind: string, id: string) => new AppError('NOT_FOUND', `${kind} ${quote(id)} not found`);

/** Quotes a user-supplied value for an error message, shortened to stay readable. */
export function quote(value: unknown): string {
  let text: string;
  try {
    // JSON writes Infinity and NaN (a JSON 1e400 reads as Infinity) as null: say what was sent.
    text = typeof value === 'string' ? value : typeof value === 'number' && !Number.isFinite(value) ? String(value) : String(JSON.stringify(value));
  } catch {
    text = String(value); // a cycle or a BigInt: never let the message builder itself fail
  }
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}

/** Longest input, and longest candidate, that take part in a "did you mean" hint, characters. */
const MAX_HINT_INPUT = 200;
/** Most candidates compared for one hint (the first ones): a hint is a courtesy, never unbounded work. */
const MAX_HINT_CANDIDATES = 1000;

/**
 * Suggests the closest candidate by edit distance (Levenshtein, case-insensitive), for "did you
 * mean" hints. Bounded work whatever the caller holds: an input or candidate longer than 200
 * characters takes no part, only the first 1,000 candidates are compared, and each comparison
 * stops once the distance exceeds the best so far (at most about 200 × 133 steps a candidate).
 * @returns the best candidate within distance max(2, length/3) (the first one on a tie), or undefined.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > MAX_HINT_INPUT) return undefined;
  const needle = input.toLowerCase();
  let best: string | undefined;
  let limit = Math.max(2, Math.floor(input.length / 3)); // largest distance still worth a hint
  const n = Math.min(candidates.length, MAX_HINT_CANDIDATES);
  for (let k = 0; k < n && limit >= 0; k++) {
    const candidate = candidates[k];
    // Lengths further apart than the limit are too far already; read nothing of such a candidate.
    if (typeof candidate !== 'string' || candidate.length > MAX_HINT_INPUT || Math.abs(candidate.length - needle.length) > limit) continue;
    const d = boundedEditDistance(needle, candidate.toLowerCase(), limit);
    if (d <= limit) [best, limit] = [candidate, d - 1];
  }
  return best;
}

/**
 * Levenshtein distance between `a` and `b` when it is at most `max`, else `max + 1`: only the band
 * |i − j| ≤ max of the table is filled, and the scan stops at the first row whose cells all
 * exceed `max` (Ukkonen, "Algorithms for approximate string matching", 1985).
 * Cost: O(a.length × (2·max + 1)).
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = Math.min(j, over);
  for (let i = 1; i <= a.length; i++) {
    cur.fill(over);
    cur[0] = Math.min(i, over);
    let rowMin = cur[0];
    const hi = Math.min(b.length, i + max);
    for (let j = Math.max(1, i - max); j <= hi; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v < over ? v : over;
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return over;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Names for a message ("columns are a, b, c"): at most `max` of them, each cut to 60 characters,
 * then "… (N more)", so a list of thousands of long names never makes a message of megabytes.
 */
export function nameList(names: readonly string[], max = 30): string {
  const shown = names.slice(0, max).map((n) => (n.length > 60 ? `${n.slice(0, 57)}...` : n));
  return names.length > max ? `${shown.join(', ')}, … (${names.length - max} more)` : shown.join(', ');
}

/** " (did you mean 'X'?)" or "". */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const hint = closest(input, candidates);
  return hint ? ` (did you mean '${hint}'?)` : '';
}

/**
 * The one message for a number that is not finite (a literal like `1e400`, which reads as Infinity,
 * or NaN): "`field` Infinity is not a finite number".
 * @param field where the number sits, as the caller wrote it (e.g. `input.spec.optimizer.learningRate`, `rows[0].Age`).
 * @param value the number, or the text it was read from.
 */
export function notFiniteMessage(field: string, value: number | string): string {
  const shown = typeof value === 'number' ? String(value) : value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return `${field.length > 200 ? `${field.slice(0, 197)}...` : field} ${shown} is not a finite number`;
}

/** BAD_USER_INPUT with {@link notFiniteMessage}; `extensions.field` names the field. */
export const notFinite = (field: string, value: number | string) => badInput(notFiniteMessage(field, value), { field });

/**
 * A database error that is not a fault of the server, as the coded error it stands for:
 * - text containing U+0000 (SQLSTATE 22021 / 22P05), which PostgreSQL cannot store or compare,
 *   or an unpaired UTF-16 surrogate in a JSON value: the caller's input, BAD_USER_INPUT;
 * - no connection in time — Prisma's "Unable to start a transaction in the given time" (P2028,
 *   its `maxWait`) or pg's "timeout exceeded when trying to connect" (the pool's
 *   `connectionTimeoutMillis`): the server is at its database connections for now, the same
 *   QUOTA_EXCEEDED (`reason` DB_CONNECTIONS, `retryAfterSeconds` 1) the per-tenant gate answers
 *   (tenant-db-gate.ts), not INTERNAL_SERVER_ERROR (issue 10, review F1).
 * @returns the coded error, or undefined for any other error (a real fault).
 */
export function fromDatabaseError(err: unknown): AppError | undefined {
  const message = err instanceof Error ? err.message : '';
  if (/Unable to start a transaction in the given time|timeout exceeded when trying to connect/.test(message)) {
    return new AppError('QUOTA_EXCEEDED', 'No database connection in time: all database connections of this server were in use; retry in a moment', {
      reason: 'DB_CONNECTIONS',
      retryAfterSeconds: 1,
    });
  }
  if (/0x00|\\u0000|22021|22P05|unsupported Unicode escape/.test(message)) {
    return badInput('A text value contains a NUL character (\\u0000), which cannot be stored or looked up');
  }
  // A lone UTF-16 surrogate (e.g. "\ud800") in a value stored as JSON (audit details, metadata).
  if (/invalid input syntax for type json|Unicode low surrogate|Unicode high surrogate/i.test(message)) {
    return badInput('A text value contains an unpaired UTF-16 surrogate (e.g. \\ud800), which is not valid Unicode');
  }
  return undefined;
}
