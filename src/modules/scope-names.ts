/**
 * Scopes as callers write them. A key's scopes are stored as `models:read`, `predict`, …
 * (src/modules/auth/actor.ts); createApiKey takes the GraphQL enum `Scope` (`MODELS_READ`,
 * `PREDICT`, …). Messages name a scope the enum's way, so the name in a refusal can be pasted into
 * `createApiKey(input: { scopes: [...] })` as it is.
 */
import { AppError } from '../lib/errors';
import { hasScope, type Actor, type Scope } from './auth/actor';

/** The GraphQL `Scope` value of a stored scope: `models:read` -> `MODELS_READ`, `predict` -> `PREDICT`. */
export function scopeName(scope: Scope): string {
  return scope.toUpperCase().replace(':', '_');
}

/** FORBIDDEN naming the missing scope as createApiKey takes it: `This credential lacks the MODELS_READ scope`. */
export function lacksScope(scope: Scope): AppError {
  return new AppError('FORBIDDEN', `This credential lacks the ${scopeName(scope)} scope`);
}

/** @throws AppError FORBIDDEN ({@link lacksScope}) unless the actor holds `scope` (or ADMIN). */
export function checkScope(actor: Actor, scope: Scope): void {
  if (!hasScope(actor, scope)) throw lacksScope(scope);
}

/** The message of a refusal for want of a credential, the same on every route: names the header to send. */
export const CREDENTIAL_NEEDED = "This operation needs a credential: send 'Authorization: Bearer <API key or token>'";
