/**
 * The operator's view of tenants (admin secret, X-Admin-Secret): every tenant, a page at a time,
 * and a tenant's API keys — list, create, revoke. Key changes go through ApiKeyService as the
 * operator actor (`system` / `admin-secret`), so they are audited in the tenant's log and a
 * revocation closes the key's websockets on every process, exactly as when a tenant's admin does it.
 */
import type { Scope } from '../auth/actor';
import type { ApiKeyService } from '../auth/api-key.service';
import { pageWindow, type PageRequest } from '../common/keyset';
import { operatorActor, type AdminGuard } from './admin-guard';
import type { TenantRepo } from './tenant.repo';
import type { CreatedFilter } from '../common/created-filter';

/** Who asks: the presented secret and the address its wrong guesses are counted against. */
export interface OperatorCall {
  /** The `X-Admin-Secret` header. */
  secret: string | undefined;
  clientAddress: string;
}

export class TenantAdminService {
  constructor(
    private readonly repo: TenantRepo,
    private readonly guard: AdminGuard,
    private readonly apiKeys: ApiKeyService,
  ) {}

  /**
   * A page of every tenant, newest first; `name` matches part of the name, any case.
   * @throws AppError UNAUTHENTICATED, FORBIDDEN, QUOTA_EXCEEDED (admin secret, see AdminGuard),
   *   BAD_USER_INPUT (paging arguments, cursor).
   */
  async page(call: OperatorCall, args: PageRequest, filter: { name?: string }, sizes: { default: number; max: number }) {
    await this.guard.check(call.secret, call.clientAddress, 'tenants');
    return this.repo.page(filter, pageWindow(args, sizes.default, sizes.max, 'tenants'));
  }

  /** The tenant's API keys, oldest first, prefix only. @throws AppError (admin secret), NOT_FOUND (tenant). */
  async keys(call: OperatorCall, tenantId: string) {
    await this.enter(call, tenantId, 'tenantApiKeys');
    return this.apiKeys.list(operatorActor(tenantId));
  }

  /**
   * A page of the tenant's API keys, newest first, prefix only: ApiKeyService.page as the operator.
   * @throws AppError (admin secret), NOT_FOUND (tenant), BAD_USER_INPUT (paging arguments, cursor).
   */
  async keysPage(call: OperatorCall, tenantId: string, args: PageRequest, filter: CreatedFilter & { name?: string }, sizes: { default: number; max: number }) {
    await this.enter(call, tenantId, 'tenantApiKeysConnection');
    return this.apiKeys.page(operatorActor(tenantId), args, filter, sizes);
  }

  /**
   * Creates a key of the tenant; the key is in the answer only. Audited in the tenant's log.
   * @throws AppError (admin secret), NOT_FOUND (tenant), BAD_USER_INPUT (name, scopes, expiry).
   */
  async createKey(call: OperatorCall, tenantId: string, input: { name: string; scopes: Scope[] | string[]; expiresAt?: Date | null }) {
    await this.enter(call, tenantId, 'createTenantApiKey');
    return this.apiKeys.create(operatorActor(tenantId), { ...input, scopes: [...input.scopes] });
  }

  /** Revokes one of the tenant's keys at once (idempotent). @throws AppError (admin secret), NOT_FOUND (tenant, or a key not of it). */
  async revokeKey(call: OperatorCall, tenantId: string, apiKeyId: string) {
    await this.enter(call, tenantId, 'revokeTenantApiKey');
    return this.apiKeys.revoke(operatorActor(tenantId), apiKeyId);
  }

  private async enter(call: OperatorCall, tenantId: string, operation: string): Promise<void> {
    await this.guard.check(call.secret, call.clientAddress, operation);
    await this.repo.require(tenantId);
  }
}
