/**
 * Per-request (HTTP) and per-connection (websocket) context. The actor is resolved by the same
 * function for both; a bad credential is kept as `authError` and reported by the auth checker, so
 * the error carries its code instead of failing the whole transport.
 */
import type { Config } from '../config';
import { AppError } from '../lib/errors';
import type { OffThreadJson } from '../lib/json-body';
import type { DeferredArrays } from '../lib/json-stream';
import type { Actor } from '../modules/auth/actor';
import type { Services } from '../modules/services';
import { createLoaders, type Loaders } from './loaders';
import { UNKNOWN_ADDRESS } from '../lib/client-address';

export interface Context {
  actor?: Actor;
  authError?: AppError;
  /** The `X-Admin-Secret` header, for createTenant only. */
  adminSecret?: string;
  /** The caller's address (`req.ip` or the websocket upgrade's, honouring TRUST_PROXY_HOPS). */
  clientAddress?: string;
  services: Services;
  config: Config;
  version: string;
  requestId: string;
  /** Per-request batching of related rows (loaders.ts). */
  loaders: Loaders;
  /** HTTP only: placeholders for big arrays, written streamed after Apollo serialises the answer (deferred-answer.ts). */
  deferredArrays?: DeferredArrays;
  /**
   * Aborted when the client is gone before its answer (HTTP: the connection closed first; the
   * websocket: the socket closed): long work (an explanation's slices) stops there.
   */
  signal?: AbortSignal;
}

/** What {@link withClientSignal} reads of an HTTP response. */
interface ResponseLike {
  once(event: 'close', listener: () => void): unknown;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  readonly socket: { destroyed: boolean } | null;
}

const RESPONSE = Symbol('response');
const SIGNAL = Symbol('signal');

/**
 * The prototype of every HTTP request's context: one object for all, so contexts keep one shape
 * (a prototype per request made every context a new hidden class, and each resolver's property
 * reads megamorphic). `this` is the context Apollo passes on (its per-request copy keeps the
 * prototype and the symbol-keyed fields).
 */
const HTTP_CONTEXT = {
  get signal(): AbortSignal {
    const self = this as unknown as { [RESPONSE]: ResponseLike; [SIGNAL]?: AbortSignal };
    let signal = self[SIGNAL];
    if (signal) return signal;
    const res = self[RESPONSE];
    const gone = new AbortController();
    signal = self[SIGNAL] = gone.signal;
    if (!res.writableFinished && (res.destroyed || res.socket?.destroyed)) gone.abort();
    else res.once('close', () => res.writableFinished || gone.abort());
    return signal;
  },
};

/**
 * `context` and `extra` in one new object, with a {@link Context.signal} aborted when `res` closes
 * before its answer was written whole. The signal is made on first read (most requests never read
 * it: no controller, no listener for them), by a getter on the shared prototype, which Apollo's
 * per-request copy of the context keeps (`cloneObject`: same prototype, own properties, symbols too).
 */
export function withClientSignal<C extends object, D extends object>(res: ResponseLike, context: C, extra: D): C & D & { signal: AbortSignal } {
  return Object.assign(Object.create(HTTP_CONTEXT) as { signal: AbortSignal }, context, extra, { [RESPONSE]: res });
}

export interface BaseContext {
  services: Services;
  config: Config;
  version: string;
  /** Where large JSON bodies are parsed off the event loop (json-body-threads.ts). (Default: every body inline) */
  jsonBodies?: OffThreadJson;
}

/**
 * The actor of an Authorization value (HTTP header or websocket connectionParams), without the rest
 * of a context (the V2 routes need nothing else). A failed credential is counted against the
 * caller's address (AuthThrottle); past AUTH_FAILURES_PER_ADDRESS it is answered QUOTA_EXCEEDED.
 * @param clientAddress the caller's address, asked only when the credential fails.
 * @returns the actor (undefined: no credential was sent), or the error to answer.
 */
export async function resolveActor(
  base: BaseContext,
  authorization: string | undefined,
  clientAddress: () => string | undefined,
): Promise<{ actor?: Actor; authError?: AppError }> {
  try {
    return { actor: await base.services.auth.authenticate(authorization) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const limited = await base.services.authThrottle.failed(clientAddress() ?? UNKNOWN_ADDRESS);
    return { authError: limited ?? err };
  }
}

/**
 * Resolves the actor from an Authorization value (HTTP header or websocket connectionParams) by
 * {@link resolveActor}, with the per-request loaders.
 * @param clientAddress the caller's address (HTTP: `req.ip`; websocket: the upgrade request's, by the same TRUST_PROXY_HOPS).
 */
export async function buildContext(
  base: BaseContext,
  authorization: string | undefined,
  adminSecret: string | undefined,
  requestId: string,
  clientAddress?: string,
): Promise<Context> {
  const { actor, authError } = await resolveActor(base, authorization, () => clientAddress);
  if (authError) return { ...base, authError, adminSecret, clientAddress, requestId, loaders: createLoaders(base.services, () => undefined) };
  return { ...base, actor, adminSecret, clientAddress, requestId, loaders: createLoaders(base.services, () => actor) };
}
