/**
 * GraphQL answers holding big arrays (an `infer` of super-resolution: 451,584 floats, ~9 MB of
 * JSON) written in slices that yield to the event loop, as the V2 routes write theirs (issues 10
 * and 12): Apollo serialises the whole answer with one `JSON.stringify`, then express hashes it for
 * an ETag, holding every other tenant's requests meanwhile. A resolver puts a placeholder where a
 * big array goes (`context.deferredArrays`, src/lib/json-stream.ts); each HTTP request gets its own
 * placeholders, and when any were used, Apollo's serialised answer is written with the arrays
 * spliced in, streamed ({@link sendGraphqlAnswer}). The bytes are those Apollo would send. Both
 * HTTP paths use it: the fast path (fast-graphql.ts) directly, express through
 * {@link deferredAnswers}. The websocket has no such context: its answers carry their arrays inline.
 */
import type { ServerResponse } from 'node:http';
import type express from 'express';
import { DeferredArrays } from '../lib/json-stream';
import type { Logger } from '../lib/logger';

/** Where the request's placeholders live between the express middleware and the context function. */
const LOCALS_KEY = 'deferredArrays';

/** The request's placeholders (undefined outside a request that went through {@link deferredAnswers}). */
export const deferredArraysOf = (res: express.Response): DeferredArrays | undefined => res.locals[LOCALS_KEY] as DeferredArrays | undefined;

/**
 * Sends Apollo's serialised answer `body` (status and headers already set): streamed with the
 * deferred arrays spliced in when the resolvers deferred any, else by `send` as it is. A failure
 * while streaming is logged and ends the connection (the status line has gone out).
 * @returns when streamed, a promise settled once the answer is written (never rejected); else undefined.
 */
export function sendGraphqlAnswer(res: ServerResponse, deferred: DeferredArrays, body: string, log: Logger, send: (body: string) => void): Promise<void> | undefined {
  if (deferred.size === 0) return void send(body);
  return deferred.stream(res, body).catch((err: unknown) => {
    log.error({ err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'streaming a GraphQL answer failed');
    res.destroy();
  });
}

/**
 * A middleware giving the request a {@link DeferredArrays} and answering what Apollo sends with
 * `res.send` through {@link sendGraphqlAnswer}.
 */
export function deferredAnswers(log: Logger): express.RequestHandler {
  return (_req, res, next) => {
    const deferred = new DeferredArrays();
    res.locals[LOCALS_KEY] = deferred;
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (typeof body !== 'string') return send(body);
      sendGraphqlAnswer(res, deferred, body, log, send);
      return res;
    };
    next();
  };
}
