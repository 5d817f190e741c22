/**
 * The one JSON request-body reader of the API's own routes: the GraphQL fast path
 * (src/graphql/fast-graphql.ts) and both V2 infer routes (src/rest/v2/fast-infer.ts and the express
 * route, routes.ts). It has the semantics of `express.json` — the parser express routes use — at a
 * fraction of its per-request cost: the common request (a declared length within the limit, UTF-8,
 * no content encoding, an object or array) is read and parsed here, after the same raw-bytes depth
 * check (json-depth.ts); anything else — another charset, a chunked or compressed body, a declared
 * length over the limit, text that does not parse here, a BOM — is handed to `express.json` itself
 * (the bytes already read replayed), so every refusal keeps body-parser's status, type and message.
 *
 * A body that has fully arrived by the time it is read (the V2 route reads it after the credential
 * check) is taken from the stream's buffer at once, without waiting for its events. A large body
 * this reader takes may be parsed on another thread ({@link OffThreadJson}), with the same answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import express from 'express';
import { namesUtf8OrNoCharset } from './charset';
import { refuseDeepJson } from './json-depth';

type Next = (err?: unknown) => void;
/** A connect-style body reader: sets `req.body` and calls `next()`, or calls `next(err)` with body-parser's error. */
export type JsonBodyReader = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/** A request whose parsed body is set on `body`, as body-parser does. */
export type WithBody = IncomingMessage & { body?: unknown };

/** A body-parser error: `status` is the HTTP status it asks for, `type` what went wrong (e.g. `entity.too.large`). */
export interface BodyParserError {
  status?: number;
  type?: string;
  message: string;
  /** The body as read, on a parse failure (`entity.parse.failed`). */
  body?: unknown;
}

/**
 * Parses large bodies off the event loop (src/graphql/json-body-threads.ts: the answer threads).
 * Only bodies this reader parses itself go there; the answer is the same as inline.
 */
export interface OffThreadJson {
  /** Bodies of at least this many bytes go to {@link OffThreadJson.parse}; smaller ones are parsed inline. */
  from: number;
  /**
   * @param bytes the whole body (moved: the caller uses only what is handed back).
   * @returns the parsed value (JSON.parse's, after the same depth check), or the bytes back for the
   *   inline path: `refused` when the thread found them nested too deep or not JSON (body-parser
   *   then words the refusal), else not tried (no thread to take them).
   * @throws an Error when the bytes were lost (the thread ended while it held them).
   */
  parse(bytes: Buffer, req: IncomingMessage): Promise<{ value: unknown } | { bytes: Buffer; refused: boolean }>;
}

export interface JsonBodyOptions {
  /**
   * Read the body as JSON whatever its Content-Type (the V2 routes: `curl -d` sends form encoding).
   * (Default: false: only `application/json`, as `express.json`; other types are left unread, `req.body` unset)
   */
  anyContentType?: boolean;
  /** Where large bodies are parsed. (Default: inline, every body) */
  offThread?: OffThreadJson;
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;

/** The request's media type, lower-cased, without parameters. */
const mediaType = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();

/**
 * @param limit most bytes a body may have (MAX_REQUEST_BYTES): past it, 413 `entity.too.large`.
 * @returns the reader. Its errors are body-parser's (status 400 not JSON or nested past
 *   MAX_BODY_DEPTH (`entity.too.deep`), 413 too large, 415 charset or encoding unsupported).
 */
export function jsonBodyReader(limit: number, options: JsonBodyOptions = {}): JsonBodyReader {
  const parser = express.json({ limit, verify: refuseDeepJson, ...(options.anyContentType ? { type: () => true } : {}) }) as unknown as JsonBodyReader;
  const { offThread } = options;
  /** Parses what this reader takes; otherwise body-parser on the same bytes gives the answer (or the exact refusal). */
  const finish = (req: WithBody, res: ServerResponse, next: Next, body: Buffer, length: number) => {
    const first = body[0];
    const takes = body.length === length && (first === OPEN_OBJECT || first === OPEN_ARRAY);
    if (takes && offThread && length >= offThread.from) {
      return void offThread.parse(body, req).then((out) => {
        if (!('value' in out)) return inline(req, res, next, out.bytes, !out.refused);
        req.body = out.value;
        next();
      }, next);
    }
    inline(req, res, next, body, takes);
  };
  /** `finish` on this thread: JSON.parse when `takes`, else (or when that fails) body-parser. */
  const inline = (req: WithBody, res: ServerResponse, next: Next, body: Buffer, takes: boolean) => {
    if (takes) {
      try {
        refuseDeepJson(req, res, body);
        req.body = JSON.parse(body.toString('utf8'));
        return next();
      } catch {
        // the parser below answers with its own error
      }
    }
    const replay = Object.assign(Readable.from([body]), { headers: req.headers, method: req.method, url: req.url });
    parser(replay as unknown as IncomingMessage, res, (err) => {
      if (!err) req.body = (replay as unknown as WithBody).body;
      next(err);
    });
  };
  return (req: WithBody, res, next) => {
    const declared = req.headers['content-length'];
    const length = declared === undefined ? NaN : Number(declared);
    if (
      !(length > 0 && length <= limit) ||
      req.headers['transfer-encoding'] !== undefined ||
      req.headers['content-encoding'] !== undefined ||
      !namesUtf8OrNoCharset(req.headers['content-type']) ||
      (!options.anyContentType && mediaType(req) !== 'application/json')
    ) {
      return parser(req, res, next);
    }
    // Arrived whole and not read yet: taken from the stream's buffer now (read() returns it all in one piece).
    if (req.complete && req.readableFlowing === null && req.readableLength === length) {
      return finish(req, res, next, (req.read() as Buffer | null) ?? Buffer.alloc(0), length);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      req.off('data', onData);
      // Another length than declared: body-parser answers the mismatch.
      finish(req, res, next, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), length);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', (err) => next(Object.assign(err, { status: 400, type: 'request.aborted' })));
  };
}

/**
 * Reads `req`'s body with `reader`.
 * @returns the parsed body (undefined when there is none, as body-parser leaves it).
 * @throws the reader's {@link BodyParserError}.
 */
export function readJsonBody(reader: JsonBodyReader, req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  return new Promise((resolve, reject) => reader(req, res, (err) => (err ? reject(err as Error) : resolve((req as WithBody).body))));
}
