import { badInput, notFound, quote } from '../../lib/errors';
import { type Actor, SCOPES } from '../auth/actor';
import { generateApiKey } from '../auth/api-key';
import type { AdminGuard } from './admin-guard';
import type { AdminThrottle } from './admin-throttle';
import type { TenantRepo } from './tenant.repo';

/** Starts and ends with a letter or digit (no trailing space: 'alpha ' would look like 'alpha'). */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 _.-]{0,61}[A-Za-z0-9])?$/;

export class TenantService {
  constructor(
    private readonly repo: TenantRepo,
    private readonly guard: AdminGuard,
    private readonly throttle: AdminThrottle,
  ) {}

  /**
   * Creates a tenant and returns its first API key (all scopes) once.
   * Names are unique without regard to case ("Acme" and "acme" are the same tenant).
   * @param presentedSecret the `X-Admin-Secret` header.
   * @param clientAddress the caller's address, the key of the wrong-guess throttle.
   * @throws AppError UNAUTHENTICATED (no secret), FORBIDDEN (wrong secret), QUOTA_EXCEEDED with
   *   `retryAfterSeconds` (too many wrong secrets from the address, or too many tenants this hour),
   *   BAD_USER_INPUT (name), CONFLICT (name taken, in any case).
   */
  async createTenant(presentedSecret: string | undefined, name: string, clientAddress: string) {
    await this.guard.check(presentedSecret, clientAddress, 'createTenant');
    if (!NAME.test(name)) {
      throw badInput(`name ${quote(name)} must be 1-63 letters, digits, spaces, '_', '.' or '-', starting and ending with a letter or digit`);
    }
    await this.throttle.consumeCreation();
    const key = generateApiKey();
    try {
      const tenant = await this.repo.createWithKey(name, { name: 'initial admin key', prefix: key.prefix, hash: key.hash, scopes: SCOPES });
      return { tenant, apiKey: key.key };
    } catch (err) {
      await this.throttle.refundCreation();
      throw err;
    }
  }

  async viewer(actor: Actor) {
    const tenant = await this.repo.findById(actor.tenantId);
    if (!tenant) throw notFound('Tenant', actor.tenantId);
    return { tenantId: tenant.id, tenantName: tenant.name, kind: actor.kind, scopes: [...actor.scopes] };
  }
}
