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

export const badInput = (message: string, details?: Record<string, unknown>) => new AppError('BAD_USER_INPUT', message, details);

/** NOT_FOUND with the same shape whether the id does not exist or belongs to another tenant. */
export const notFound = (kind: string, id: string) => new AppError('NOT_FOUND', `${kind} ${quote(id)} not found`);

/** Quotes a user-supplied value for an error message, shortened to stay readable. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : String(JSON.stringify(value));
  } catch {
    text = String(value); // a cycle or a BigInt: never let the message builder itself fail
  }
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}

/** Longest input that gets a "did you mean" hint, characters. */
const MAX_HINT_INPUT = 200;

/**
 * Suggests the closest candidate by edit distance, for "did you mean" hints.
 * @returns the best candidate within distance max(2, length/3), or undefined.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  // Edit distance costs length x length: a hint for a name this long would not help anyway.
  if (input.length > MAX_HINT_INPUT) return undefined;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(input.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** " (did you mean 'X'?)" or "". */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const hint = closest(input, candidates);
  return hint ? ` (did you mean '${hint}'?)` : '';
}

/**
 * PostgreSQL cannot store or compare text containing U+0000 (SQLSTATE 22021 / 22P05); such input
 * is the caller's, so it becomes BAD_USER_INPUT instead of a server error.
 */
export function fromDatabaseError(err: unknown): AppError | undefined {
  const message = err instanceof Error ? err.message : '';
  if (/0x00|\\u0000|22021|22P05|unsupported Unicode escape/.test(message)) {
    return badInput('A text value contains a NUL character (\\u0000), which cannot be stored or looked up');
  }
  // A lone UTF-16 surrogate (e.g. "\ud800") in a value stored as JSON (audit details, metadata).
  if (/invalid input syntax for type json|Unicode low surrogate|Unicode high surrogate/i.test(message)) {
    return badInput('A text value contains an unpaired UTF-16 surrogate (e.g. \\ud800), which is not valid Unicode');
  }
  return undefined;
}
