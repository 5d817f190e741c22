/**
 * Automatic persisted queries (APQ) judged as Apollo Server judges them over HTTP
 * (`@apollo/server` requestPipeline), for the websocket, which has no persisted-query store:
 * an operation that carries `extensions.persistedQuery` gets the same code and message on both
 * transports, rather than running over the websocket with a hash that does not match its query.
 */
import crypto from 'node:crypto';

/** A refusal of an operation's persisted-query extension: `extensions.code` and message. */
export interface PersistedQueryProblem {
  code: 'BAD_REQUEST' | 'PERSISTED_QUERY_NOT_FOUND';
  message: string;
}

/** Apollo's key for a query: the SHA-256 of its text, lowercase hex. */
const sha256Hex = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * The problem of an operation's persisted-query extension, in Apollo's order, or undefined when
 * there is none (no extension, or a version-1 hash that matches the query):
 * - `persistedQuery` present (any truthy value) whose `version` is not exactly 1 → BAD_REQUEST
 *   "Unsupported persisted query version" (a number, a string, `{}`, `version: "1"` alike);
 * - a hash without a query → PERSISTED_QUERY_NOT_FOUND "PersistedQueryNotFound" (nothing is stored
 *   for the websocket, so an APQ client sends the full query next, as after an HTTP miss);
 * - a query whose SHA-256 (lowercase hex) is not `sha256Hash` → BAD_REQUEST
 *   "provided sha does not match query".
 * @param query the operation's `query` (anything the client sent).
 * @param extensions the operation's `extensions`, an object or absent.
 */
export function persistedQueryProblem(query: unknown, extensions: Record<string, unknown> | undefined | null): PersistedQueryProblem | undefined {
  const pq = extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  if (!pq) return undefined;
  if (pq.version !== 1) return { code: 'BAD_REQUEST', message: 'Unsupported persisted query version' };
  if (typeof query !== 'string') return { code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' };
  if (pq.sha256Hash !== sha256Hex(query)) return { code: 'BAD_REQUEST', message: 'provided sha does not match query' };
  return undefined;
}
