/**
 * `POST /v2/models/{name}[/versions/{v}]/infer` answered on the Node HTTP server itself, before
 * express sees the request: express' per-request machinery costs more than the rest of a
 * single-row inference (bench/v2.ts measures both). It does what the express route does
 * (routes.ts) with the same functions — `buildContext` (credential, failed-credential throttle),
 * the client address by the same TRUST_PROXY_HOPS, the body bounded by MAX_REQUEST_BYTES, the same
 * service call and error bodies — and leaves to express what it does not handle: any other path or
 * method, a browser request (an `Origin` header: CORS), the binary data extension, a compressed
 * body (`Content-Encoding`) and a charset other than UTF-8 — so both paths answer every body alike
 * (a BOM is skipped by both; gzip, deflate and br are inflated by express; another charset is 415).
 */
import { depthExceededAt, MAX_BODY_DEPTH } from '../../lib/json-depth';
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import { namesUtf8OrNoCharset } from '../../lib/charset';
import { AppError, badInput } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { startHttpSpan } from '../../lib/tracing/http-span';
import { withSpan } from '../../lib/tracing/tracer';
import { buildContext, type BaseContext } from '../../graphql/context';
import { BINARY_HEADER } from './binary-body';
import { sendError, sendJson } from './respond';
import { selectorOf } from './selector';
import { sendInferResponse } from './stream-response';

/** `/v2/models/{name}/infer` or `/v2/models/{name}/versions/{v}/infer` (no query string). */
const INFER_PATH = /^\/v2\/models\/([^/?#]+)(?:\/versions\/([^/?#]+))?\/infer$/;

/** What the fast path needs from the server. */
export interface FastInferOptions {
  base: BaseContext;
  log: Logger;
  /** Whether the `hop`th address from the right of X-Forwarded-For is a trusted proxy (TRUST_PROXY_HOPS). */
  trust: (address: string, hop: number) => boolean;
}

/**
 * @returns a request listener that answers V2 infer calls and returns true, or returns false
 *   (having touched nothing) for express to answer.
 */
export function fastInfer(opts: FastInferOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { base, log } = opts;
  const limit = base.config.MAX_REQUEST_BYTES;
  return (req, res) => {
    if (req.method !== 'POST' || req.headers.origin !== undefined || req.headers[BINARY_HEADER] !== undefined) return false;
    const encoding = req.headers['content-encoding'];
    if ((encoding !== undefined && encoding.toLowerCase() !== 'identity') || !namesUtf8OrNoCharset(req.headers['content-type'])) return false;
    const m = INFER_PATH.exec(req.url ?? '');
    if (!m) return false;
    // Tracing (src/lib/tracing/): the request's span, active while it is answered; undefined when off.
    const span = startHttpSpan(req, res, m[2] === undefined ? '/v2/models/{name}/infer' : '/v2/models/{name}/versions/{version}/infer');
    void withSpan(span, () => answer(req, res, m[1]!, m[2])).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err, log, { path: req.url?.slice(0, 200) });
    });
    return true;
  };

  async function answer(req: IncomingMessage, res: ServerResponse, rawName: string, rawVersion: string | undefined): Promise<void> {
    const requestId = headerOf(req.headers['x-request-id'])?.slice(0, 100) ?? crypto.randomUUID();
    const context = await buildContext(base, headerOf(req.headers.authorization), undefined, requestId, proxyaddr(req, opts.trust));
    const where = { path: req.url?.slice(0, 200), requestId, tenantId: context.actor?.tenantId };
    try {
      if (context.authError) throw context.authError;
      if (!context.actor) throw new AppError('UNAUTHENTICATED', "This operation needs a credential: send 'Authorization: Bearer <API key or token>'");
      const name = decode(rawName);
      const selector = selectorOf(rawVersion === undefined ? undefined : decode(rawVersion));
      base.services.infer.assertBudgetLeft(context.actor); // a spent budget is refused before the body is read
      const body = await readJson(req, limit);
      if (body.refusal) {
        sendJson(res, body.refusal.status, { error: body.refusal.message, code: 'BAD_USER_INPUT' });
        return;
      }
      const r = await base.services.infer.inferBody(context.actor, name, selector, body.value);
      await sendInferResponse(res, { model_name: r.modelName, model_version: r.modelVersion, ...(r.id !== undefined ? { id: r.id } : {}), outputs: r.outputs }, r.binary);
    } catch (err) {
      req.resume(); // an unread body must not hold the connection
      sendError(res, err, log, where);
    }
  }
}

const headerOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** A percent-encoded path segment, as express decodes it. @throws AppError BAD_USER_INPUT for bad encoding. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badInput(`The path segment '${segment.slice(0, 100)}' is not valid percent-encoding`);
  }
}

/**
 * Reads the body as JSON (any content type, as the express route does), at most `limit` bytes.
 * @returns the value, or a refusal with its status (413 too large, 400 not JSON): the messages of
 *   the express route.
 */
function readJson(req: IncomingMessage, limit: number): Promise<{ value?: unknown; refusal?: { status: number; message: string } }> {
  const tooLarge = { status: 413, message: `The request body is larger than the limit of ${limit} bytes (MAX_REQUEST_BYTES)` };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve({ refusal: tooLarge });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('error', () => resolve({ refusal: { status: 400, message: 'The request body could not be read' } }));
    req.on('end', () => {
      if (over) return resolve({ refusal: tooLarge });
      const body = Buffer.concat(chunks);
      const deep = depthExceededAt(body, MAX_BODY_DEPTH);
      if (deep >= 0) return resolve({ refusal: { status: 400, message: `The request body is nested deeper than ${MAX_BODY_DEPTH} levels (at byte ${deep})` } });
      const text = body.toString('utf8').replace(/^\uFEFF/, ''); // a byte-order mark, skipped as body-parser does
      if (text.trim() === '') return resolve({ value: undefined });
      try {
        resolve({ value: JSON.parse(text) });
      } catch (err) {
        resolve({ refusal: { status: 400, message: `The request body is not valid JSON: ${String((err as Error).message).slice(0, 200)}` } });
      }
    });
  });
}
