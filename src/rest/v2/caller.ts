/**
 * The request parts every V2 route reads the same way, on express (routes.ts) and on the fast
 * paths (fast-infer.ts, fast-reads.ts): the caller's actor, the request id and the path segments.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError, badInput } from '../../lib/errors';
import { resolveActor, type BaseContext } from '../../graphql/context';
import type { Actor } from '../../modules/auth/actor';
import { checkScope, CREDENTIAL_NEEDED } from '../../modules/scope-names';

/** The first value of a request header. */
export const headerOf = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The request id that names a logged error: the caller's `X-Request-Id` (first 100 characters), else a new UUID. */
export const requestIdOf = (req: IncomingMessage): string => headerOf(req.headers['x-request-id'])?.slice(0, 100) ?? crypto.randomUUID();

/**
 * The caller's actor, as for GraphQL (`resolveActor`): a failed credential is counted by the same
 * throttle, against the client address (TRUST_PROXY_HOPS), read only then. Every model route needs
 * PREDICT (the services check it again).
 * @param authorization the Authorization header as sent.
 * @throws AppError UNAUTHENTICATED without a credential or with one that fails; QUOTA_EXCEEDED
 *   when the failed-credential throttle refuses the address; FORBIDDEN without PREDICT.
 */
export async function v2Actor(base: BaseContext, authorization: string | undefined, clientAddress: () => string | undefined): Promise<Actor> {
  const caller = await resolveActor(base, authorization, clientAddress);
  if (caller.authError) throw caller.authError;
  if (!caller.actor) throw new AppError('UNAUTHENTICATED', CREDENTIAL_NEEDED);
  checkScope(caller.actor, 'predict');
  return caller.actor;
}

/** A percent-encoded path segment, decoded as express decodes a route parameter; undefined where express would refuse it (bad encoding). */
export function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** {@link decodedSegment}, or an error. @throws AppError BAD_USER_INPUT for bad encoding. */
export function decodeSegment(segment: string): string {
  const value = decodedSegment(segment);
  if (value === undefined) throw badInput(`The path segment '${segment.slice(0, 100)}' is not valid percent-encoding`);
  return value;
}
