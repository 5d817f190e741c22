/**
 * Per-request (HTTP) and per-connection (websocket) context. The actor is resolved by the same
 * function for both; a bad credential is kept as `authError` and reported by the auth checker, so
 * the error carries its code instead of failing the whole transport.
 */
import type { Config } from '../config';
import { AppError } from '../lib/errors';
import type { DeferredArrays } from '../lib/json-stream';
import type { Actor } from '../modules/auth/actor';
import type { Services } from '../modules/services';
import { createLoaders, type Loaders } from './loaders';

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
}

export interface BaseContext {
  services: Services;
  config: Config;
  version: string;
}

/**
 * Resolves the actor from an Authorization value (HTTP header or websocket connectionParams). A
 * failed credential is counted against `clientAddress` (AuthThrottle).
 * @param clientAddress the caller's address (HTTP: `req.ip`; websocket: the upgrade request's, by the same TRUST_PROXY_HOPS).
 */
export async function buildContext(
  base: BaseContext,
  authorization: string | undefined,
  adminSecret: string | undefined,
  requestId: string,
  clientAddress?: string,
): Promise<Context> {
  try {
    const actor = await base.services.auth.authenticate(authorization);
    return { ...base, actor, adminSecret, clientAddress, requestId, loaders: createLoaders(base.services, () => actor) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // Past AUTH_FAILURES_PER_ADDRESS failures, a failure is answered QUOTA_EXCEEDED (see AuthThrottle).
    const limited = await base.services.authThrottle.failed(clientAddress ?? 'unknown');
    return { ...base, authError: limited ?? err, adminSecret, clientAddress, requestId, loaders: createLoaders(base.services, () => undefined) };
  }
}
