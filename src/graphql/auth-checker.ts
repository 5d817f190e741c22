/**
 * Guards `@Authorized(...scopes)` fields: no credential -> UNAUTHENTICATED; a credential without
 * one of the listed scopes -> FORBIDDEN. Services check scopes again (defence in depth).
 */
import type { AuthChecker } from 'type-graphql';
import { AppError } from '../lib/errors';
import { hasScope, type Scope } from '../modules/auth/actor';
import type { Context } from './context';

export const authChecker: AuthChecker<Context, Scope> = ({ context }, scopes) => {
  if (context.authError) throw context.authError;
  const actor = context.actor;
  if (!actor) {
    throw new AppError('UNAUTHENTICATED', "This operation needs a credential: send 'Authorization: Bearer <API key or token>'");
  }
  for (const scope of scopes) {
    if (!hasScope(actor, scope)) throw new AppError('FORBIDDEN', `This credential lacks the '${scope}' scope`);
  }
  return true;
};
