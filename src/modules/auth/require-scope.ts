import { lacksScope } from '../scope-names';
import { type Actor, hasScope, type Scope } from './actor';

/** @throws AppError FORBIDDEN naming the missing scope as createApiKey takes it (`This credential lacks the MODELS_READ scope`). */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!hasScope(actor, scope)) throw lacksScope(scope);
}
