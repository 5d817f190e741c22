/**
 * A request body in the binary data extension's form (Triton's, which KServe V2 clients send):
 * `Inference-Header-Content-Length: N`, then N bytes of JSON (the inference request, whose binary
 * inputs carry `parameters.binary_data_size` instead of `data`), then the inputs' raw bytes
 * (read by modules/serving/binary-tensors.ts once the model is resolved).
 */
import { depthExceededAt, MAX_BODY_DEPTH } from '../../lib/json-depth';
import { badInput, quote } from '../../lib/errors';

/** The request header that announces a binary body (lower case, as Node gives headers). */
export const BINARY_HEADER = 'inference-header-content-length';

/** A binary body split: the JSON header, parsed, and the bytes after it. */
export interface BinaryBody {
  header: unknown;
  tail: Uint8Array;
}

/**
 * Splits a binary body.
 * @param headerLength the `Inference-Header-Content-Length` header as sent.
 * @param body the whole body (already bounded by MAX_REQUEST_BYTES).
 * @throws AppError BAD_USER_INPUT naming the header when it is not a byte count or says more bytes
 *   than the body holds; naming the body when its JSON part is nested too deep or is not JSON.
 */
export function splitBinaryBody(headerLength: string | string[] | undefined, body: Uint8Array): BinaryBody {
  const value = Array.isArray(headerLength) ? headerLength[0] : headerLength;
  const field = 'Inference-Header-Content-Length';
  if (value === undefined || !/^\d{1,10}$/.test(value.trim())) throw badInput(`The header ${field} must be the byte length of the JSON part, got ${quote(value ?? '')}`, { field });
  const n = Number(value.trim());
  if (n > body.length) throw badInput(`The header ${field} says ${n} bytes of JSON, but the body holds only ${body.length}: it is truncated`, { field });
  const json = body.subarray(0, n);
  const deep = depthExceededAt(json, MAX_BODY_DEPTH);
  if (deep >= 0) throw badInput(`The request's JSON header is nested deeper than ${MAX_BODY_DEPTH} levels (at byte ${deep})`, { field: 'body' });
  let header: unknown;
  try {
    header = JSON.parse(
      Buffer.from(json.buffer, json.byteOffset, json.byteLength)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  } catch (err) {
    throw badInput(`The request's JSON header (the first ${n} bytes, ${field}) is not valid JSON: ${String((err as Error).message).slice(0, 200)}`, { field: 'body' });
  }
  return { header, tail: body.subarray(n) };
}
