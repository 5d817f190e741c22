/**
 * GraphQL answers holding big arrays (an `infer` of super-resolution: 451,584 floats, ~9 MB of
 * JSON) written in slices that yield to the event loop, as the V2 routes write theirs (issues 10
 * and 12): Apollo serialises the whole answer with one `JSON.stringify`, then express hashes it for
 * an ETag, holding every other tenant's requests meanwhile. A resolver puts a placeholder where a
 * big array goes (`context.deferredArrays`, src/lib/json-stream.ts); this middleware, mounted before
 * Apollo's, gives each HTTP request its own placeholders and, when any were used, writes Apollo's
 * serialised answer with the arrays spliced in, streamed. The bytes are those Apollo would send.
 * The websocket has no such context: its answers carry their arrays inline.
 */
import type express from 'express';
import { DeferredArrays } from '../lib/json-stream';
import type { Logger } from '../lib/logger';

/** Where the request's placeholders live between this middleware and the context function. */
const LOCALS_KEY = 'deferredArrays';

/** The request's placeholders (undefined outside a request that went through {@link deferredAnswers}). */
export const deferredArraysOf = (res: express.Response): DeferredArrays | undefined => res.locals[LOCALS_KEY] as DeferredArrays | undefined;

/**
 * A middleware giving the request a {@link DeferredArrays} and streaming the answer sent with
 * `res.send` when placeholders were used (otherwise `res.send` as usual).
 */
export function deferredAnswers(log: Logger): express.RequestHandler {
  return (_req, res, next) => {
    const deferred = new DeferredArrays();
    res.locals[LOCALS_KEY] = deferred;
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (typeof body !== 'string' || deferred.size === 0) return send(body);
      deferred.stream(res, body).catch((err: unknown) => {
        log.error({ err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'streaming a GraphQL answer failed');
        res.destroy();
      });
      return res;
    };
    next();
  };
}
