/**
 * The GraphQL endpoint's answer to a body that could not be read (body-parser's errors: too large,
 * not JSON, nested too deep, an unsupported charset), shared by the express route and the fast path
 * (fast-graphql.ts) so both answer alike.
 */
import type { Config } from '../config';

/** A body-parser (or graphql-upload) error: `status` is the HTTP status it asks for. */
export interface BodyError {
  type?: string;
  status?: number;
  message: string;
}

/**
 * @returns the status and GraphQL-shaped body (`extensions.code` BAD_USER_INPUT) for a client
 *   error (4xx), or undefined for a server error (no status, or 5xx), which the caller answers as one.
 */
export function bodyErrorAnswer(
  config: Pick<Config, 'MAX_REQUEST_BYTES' | 'MAX_UPLOAD_BYTES' | 'ONNX_MAX_UPLOAD_BYTES'>,
  err: BodyError,
): { status: number; body: object } | undefined {
  if (!err.status || err.status >= 500) return undefined;
  const message =
    err.type === 'entity.too.large'
      ? `The request body is larger than the limit of ${config.MAX_REQUEST_BYTES} bytes`
      : err.status === 413
        ? `The upload is too large: ${err.message} (limits: one file of at most ${config.MAX_UPLOAD_BYTES} bytes, an ONNX model ${config.ONNX_MAX_UPLOAD_BYTES})`
        : `The request could not be read: ${err.message}`;
  return { status: err.status, body: { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] } };
}
