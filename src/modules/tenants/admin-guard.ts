/**
 * The operator's admin secret (X-Admin-Secret header): the guard of createTenant, setTenantLimits
 * and tenantLimits. Wrong guesses are throttled per client address (admin-throttle.ts).
 */
import crypto from 'node:crypto';
import { AppError } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import type { AdminThrottle } from './admin-throttle';

/** Checks a presented admin secret. */
export class AdminGuard {
  constructor(
    private readonly adminSecret: string,
    private readonly throttle: AdminThrottle,
  ) {}

  /**
   * @param presentedSecret the `X-Admin-Secret` header.
   * @param clientAddress the caller's address, the key of the wrong-guess throttle.
   * @param operation the field's name, for the message.
   * @throws AppError UNAUTHENTICATED (no secret), QUOTA_EXCEEDED with `retryAfterSeconds` (too many
   *   wrong secrets from the address, even with the right one now), FORBIDDEN (wrong secret).
   */
  async check(presentedSecret: string | undefined, clientAddress: string, operation: string): Promise<void> {
    if (!presentedSecret) throw new AppError('UNAUTHENTICATED', `${operation} needs the X-Admin-Secret header`);
    await this.throttle.checkGuesses(clientAddress);
    // Hashed first so timingSafeEqual compares equal lengths and the length of the secret does not leak.
    const a = crypto.createHash('sha256').update(presentedSecret).digest();
    const b = crypto.createHash('sha256').update(this.adminSecret).digest();
    if (!crypto.timingSafeEqual(a, b)) {
      await this.throttle.recordFailure(clientAddress);
      throw new AppError('FORBIDDEN', 'The X-Admin-Secret header is not valid');
    }
  }
}

/**
 * The actor the operator (holder of the admin secret) acts as inside a tenant: its changes are
 * audited as `system` / `admin-secret`, like a tenant's creation.
 */
export const operatorActor = (tenantId: string): Actor => ({ kind: 'system', id: 'admin-secret', tenantId, scopes: ['admin'] });
