/**
 * Guards `@Authorized(...scopes)` fields: no credential -> UNAUTHENTICATED; a credential without
 * one of the listed scopes -> FORBIDDEN, naming it as the Scope enum does (MODELS_READ). Services check scopes again (defence in depth).
 */
import type { AuthChecker } from 'type-graphql';
import { AppError } from '../lib/errors';
import type { Scope } from '../modules/auth/actor';
import { checkScope, CREDENTIAL_NEEDED } from '../modules/scope-names';
import type { Context } from './context';

export const authChecker: AuthChecker<Context, Scope> = ({ context }, scopes) => {
  if (context.authError) throw context.authError;
  const actor = context.actor;
  if (!actor) {
    throw new AppError('UNAUTHENTICATED', CREDENTIAL_NEEDED);
  }
  for (const scope of scopes) checkScope(actor, scope);
  return true;
};
