/**
 * `POST /v2/models/{name}[/versions/{v}]/infer` answered on the Node HTTP server itself, before
 * express sees the request: express' per-request machinery costs more than the rest of a
 * single-row inference (bench/v2.ts measures both). It does what the express route does
 * (routes.ts) with the same functions — `resolveActor` (credential, failed-credential throttle),
 * the client address by the same TRUST_PROXY_HOPS, the same JSON body reader (src/lib/json-body.ts,
 * MAX_REQUEST_BYTES) and refusals (respond.ts `bodyRefusal`), the same service call and error
 * bodies — and leaves to express what it does not handle: any other path or
 * method, a browser request (an `Origin` header: CORS), the binary data extension, a compressed
 * body (`Content-Encoding`) and a charset other than UTF-8 — so both paths answer every body alike
 * (a BOM is skipped by both; gzip, deflate and br are inflated by express; another charset is 415).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { namesUtf8OrNoCharset } from '../../lib/charset';
import { jsonBodyReader, readJsonBody, type BodyParserError } from '../../lib/json-body';
import type { Logger } from '../../lib/logger';
import { startHttpSpan } from '../../lib/tracing/http-span';
import { withSpan } from '../../lib/tracing/tracer';
import type { BaseContext } from '../../graphql/context';
import type { Actor } from '../../modules/auth/actor';
import { BINARY_HEADER } from './binary-body';
import { decodeSegment, headerOf, requestIdOf, v2Actor } from './caller';
import { sendBodyRefusal, sendError } from './respond';
import { selectorOf } from './selector';
import { sendInferResponse } from './stream-response';
import { clientAddressOf } from '../../lib/client-address';

/** `/v2/models/{name}/infer` or `/v2/models/{name}/versions/{v}/infer` (no query string). */
export const INFER_PATH = /^\/v2\/models\/([^/?#]+)(?:\/versions\/([^/?#]+))?\/infer$/;

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
  // The express route's reader too (routes.ts): any content type is read as JSON (`curl -d` sends form encoding).
  const readBody = jsonBodyReader(limit, { anyContentType: true, offThread: base.jsonBodies });
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
    let actor: Actor | undefined;
    try {
      // The client address (TRUST_PROXY_HOPS) only counts a failed credential; the request id only names a logged error.
      actor = await v2Actor(base, headerOf(req.headers.authorization), () => clientAddressOf(req, opts.trust));
      const name = decodeSegment(rawName);
      const selector = selectorOf(rawVersion === undefined ? undefined : decodeSegment(rawVersion));
      base.services.infer.assertBudgetLeft(actor); // a spent budget is refused before the body is read
      let body: unknown;
      try {
        body = await readJsonBody(readBody, req, res);
      } catch (err) {
        if (sendBodyRefusal(res, err as BodyParserError, limit)) return;
        throw err;
      }
      const r = await base.services.infer.inferBody(actor, name, selector, body);
      await sendInferResponse(res, { model_name: r.modelName, model_version: r.modelVersion, ...(r.id !== undefined ? { id: r.id } : {}), outputs: r.outputs }, r.binary);
    } catch (err) {
      req.resume(); // an unread body must not hold the connection
      sendError(res, err, log, { path: req.url?.slice(0, 200), requestId: requestIdOf(req), tenantId: actor?.tenantId });
    }
  }
}
