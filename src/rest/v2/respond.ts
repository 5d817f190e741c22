/**
 * How the V2 routes answer an error: the Open Inference Protocol's `{ "error": "<message>" }` with
 * the HTTP status of its code, plus `code` (the same as GraphQL's `extensions.code`) and, when the
 * error has them, `details` (e.g. `retryAfterSeconds`, `field`). 429 and 503 carry `Retry-After`.
 */
import type { ServerResponse } from 'node:http';
import { AppError, badInput, fromDatabaseError, quote, type ErrorCode } from '../../lib/errors';
import type { BodyParserError } from '../../lib/json-body';
import type { Logger } from '../../lib/logger';

/** HTTP status of each code on the V2 routes. */
export const V2_HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_SUPPORTED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_STATE: 409,
  DATASET_IN_USE: 409,
  MODEL_IN_USE: 409,
  DATASET_CHANGED: 409,
  INVALID_MODEL: 400,
  QUERY_COST_EXCEEDED: 400,
  NON_FINITE_OUTPUT: 422,
  QUOTA_EXCEEDED: 429,
  INTERNAL_SERVER_ERROR: 500,
  MODEL_NOT_READY: 503,
};

/** The error body of the V2 routes. */
export interface V2ErrorBody {
  error: string;
  code: ErrorCode;
  details?: Record<string, unknown>;
}

/**
 * Sends `body` as JSON with `status` (plain Node: the express routes and the fast path alike).
 * @throws AppError BAD_USER_INPUT when the body is too large to serialise (V8's longest string,
 *   about 2^29 characters), before anything is written: the callers' catch answers it coded.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw badInput('The answer is too large to send as JSON: send fewer rows, or name fewer `outputs`', { field: 'outputs' });
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends `e` in the protocol's shape, with its status (and Retry-After when it says when to retry). */
export function sendAppError(res: ServerResponse, e: AppError): void {
  const headers: Record<string, string> = {};
  const retry = e.details?.retryAfterSeconds;
  if (typeof retry === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(retry)));
  if (e.code === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer';
  const body: V2ErrorBody = { error: e.message, code: e.code, ...(e.details ? { details: e.details } : {}) };
  sendJson(res, V2_HTTP_STATUS[e.code], body, headers);
}

/**
 * Sends any error thrown while answering: an AppError (or a database refusal of the caller's
 * value, e.g. a NUL character) as it is, logged at info with its code; anything else as a generic
 * 500, logged at error with its stack.
 */
export function sendError(res: ServerResponse, err: unknown, log: Logger, context: Record<string, unknown>): void {
  const e = err instanceof AppError ? err : fromDatabaseError(err);
  if (e) {
    log.info({ ...context, code: e.code, message: e.message.slice(0, 200), transport: 'v2' }, 'client error');
    sendAppError(res, e);
    return;
  }
  log.error({ ...context, transport: 'v2', err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'unexpected error');
  sendAppError(res, new AppError('INTERNAL_SERVER_ERROR', 'Internal server error'));
}

/** Longest refused body read again to tell JSON that is no object from text that is not JSON, bytes. */
const MAX_REREAD = 64 * 1024;

/**
 * body-parser's strict mode refuses JSON that is neither an object nor an array (`null`, `3`,
 * `"x"`) in the words of a syntax error: say instead that the body must be an object.
 * @returns the message, or undefined when `body` is not JSON (or too long to read again).
 */
function notAnObject(body: unknown): string | undefined {
  if (typeof body !== 'string' || body.length > MAX_REREAD) return undefined;
  try {
    return `The request body must be a JSON object { "inputs": [...] }, got ${quote(JSON.parse(body))}`;
  } catch {
    return undefined;
  }
}

/**
 * The answer to a body the JSON reader refused (src/lib/json-body.ts: body-parser's errors), the
 * same on the fast path and the express route: BAD_USER_INPUT with the reader's status.
 * @param limit MAX_REQUEST_BYTES.
 * @returns the status and message, or undefined for a server error (no status, or 5xx).
 */
export function bodyRefusal(err: BodyParserError, limit: number): { status: number; message: string } | undefined {
  if (!err?.status || err.status >= 500) return undefined;
  const detail = String(err.message).slice(0, 200);
  const message =
    err.type === 'entity.too.large'
      ? `The request body is larger than the limit of ${limit} bytes (MAX_REQUEST_BYTES)`
      : err.type === 'charset.unsupported' || err.type === 'encoding.unsupported'
        ? `The request body could not be read: ${detail} (send UTF-8 JSON, optionally with Content-Encoding gzip, deflate or br)`
        : err.type === 'entity.parse.failed'
          ? (notAnObject(err.body) ?? `The request body is not valid JSON: ${detail}`)
          : `The request body could not be read: ${detail}`;
  return { status: err.status, message };
}

/** Sends {@link bodyRefusal}'s answer. @returns false (nothing sent) for a server error, which the caller answers as one. */
export function sendBodyRefusal(res: ServerResponse, err: BodyParserError, limit: number): boolean {
  const refusal = bodyRefusal(err, limit);
  if (!refusal) return false;
  sendJson(res, refusal.status, { error: refusal.message, code: 'BAD_USER_INPUT' } satisfies V2ErrorBody);
  return true;
}
