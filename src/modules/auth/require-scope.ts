import { AppError } from '../../lib/errors';
import { type Actor, hasScope, type Scope } from './actor';

/** @throws AppError FORBIDDEN naming the missing scope. */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!hasScope(actor, scope)) throw new AppError('FORBIDDEN', `This credential lacks the '${scope}' scope`);
}
