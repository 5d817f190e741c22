/**
 * Reads a JSON request body for the GraphQL fast path (fast-graphql.ts) with the semantics of
 * `express.json` — the parser the express route uses — at a fraction of its per-request cost. The
 * common request (a declared length within MAX_REQUEST_BYTES, UTF-8, no content encoding, an object
 * or array) is read and parsed here, after the same raw-bytes depth check (src/lib/json-depth.ts);
 * anything else — another charset, a chunked or compressed body, a declared length over the limit,
 * text that does not parse here — is handed to `express.json` itself (the bytes already read
 * replayed), so every refusal keeps its status and message (body-errors.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import express from 'express';
import { namesUtf8OrNoCharset } from '../lib/charset';
import { refuseDeepJson } from '../lib/json-depth';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/** A request whose parsed body is set on `body`, as body-parser does. */
export type WithBody = IncomingMessage & { body?: unknown };

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;

/**
 * @returns a reader `(req, res, next)`: sets `req.body` and calls `next()`, or calls `next(err)`
 *   with body-parser's error (status, type, message).
 * @param limit MAX_REQUEST_BYTES.
 */
export function jsonBodyReader(limit: number): Middleware {
  const parser = express.json({ limit, verify: refuseDeepJson }) as unknown as Middleware;
  return (req: WithBody, res, next) => {
    const declared = req.headers['content-length'];
    const length = declared === undefined ? NaN : Number(declared);
    if (
      !(length > 0 && length <= limit) ||
      req.headers['transfer-encoding'] !== undefined ||
      req.headers['content-encoding'] !== undefined ||
      !namesUtf8OrNoCharset(req.headers['content-type'])
    ) {
      return parser(req, res, next);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      req.off('data', onData);
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const first = body[0];
      if (size === length && (first === OPEN_OBJECT || first === OPEN_ARRAY)) {
        try {
          refuseDeepJson(req, res, body);
          req.body = JSON.parse(body.toString('utf8'));
          return next();
        } catch {
          // the parser below answers with its own error
        }
      }
      // The exact refusal (or the parse of what this reader does not take): body-parser on the same bytes.
      const replay = Object.assign(Readable.from([body]), { headers: req.headers, method: req.method, url: req.url });
      parser(replay as unknown as IncomingMessage, res, (err) => {
        if (!err) req.body = (replay as unknown as WithBody).body;
        next(err);
      });
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', (err) => next(Object.assign(err, { status: 400, type: 'request.aborted' })));
  };
}
