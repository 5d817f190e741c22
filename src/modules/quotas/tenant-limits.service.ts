/**
 * Per-tenant limits as the operator sets and reads them (admin secret) and as a tenant reads its
 * own. Where they are applied: quota.service.ts (API) and training-limits.ts (worker).
 */
import type { Db } from '../../lib/db';
import { withTenant } from '../../lib/tenant-tx';
import type { AuditRepo } from '../audit/audit.repo';
import type { Actor } from '../auth/actor';
import { operatorActor, type AdminGuard } from '../tenants/admin-guard';
import type { TenantRepo } from '../tenants/tenant.repo';
import type { QuotaService } from './quota.service';
import { effectiveLimits, LIMIT_NAMES, validateOverrides, type LimitOverrides } from './tenant-limits';
import type { TenantLimitsRepo } from './tenant-limits.repo';
import type { StorageUsage, TenantLimits } from './tenant-limits.type';

export class TenantLimitsService {
  constructor(
    private readonly prisma: Db,
    private readonly guard: AdminGuard,
    private readonly repos: { tenants: TenantRepo; limits: TenantLimitsRepo; audit: AuditRepo },
    private readonly quotas: QuotaService,
  ) {}

  /**
   * Replaces the tenant's overrides (left out or null = the default), audited as
   * 'tenantLimits.set' in the tenant's log. Applies to the tenant's next request and next run.
   * @throws AppError UNAUTHENTICATED, FORBIDDEN, QUOTA_EXCEEDED (admin secret, see AdminGuard),
   *   BAD_USER_INPUT (a value that is not a whole number within its cap), NOT_FOUND (tenant).
   */
  async set(presentedSecret: string | undefined, clientAddress: string, tenantId: string, input: LimitOverrides): Promise<TenantLimits> {
    await this.guard.check(presentedSecret, clientAddress, 'setTenantLimits');
    validateOverrides(input);
    await this.requireTenant(tenantId);
    const overrides: LimitOverrides = {};
    for (const name of LIMIT_NAMES) overrides[name] = input[name] ?? null;
    await withTenant(this.prisma, tenantId, async (tx) => {
      await this.repos.limits.replace(tx, tenantId, overrides);
      await this.repos.audit.record(tx, operatorActor(tenantId), { action: 'tenantLimits.set', targetType: 'Tenant', targetId: tenantId, details: { ...overrides } });
    });
    await this.quotas.forget(tenantId);
    return this.view(tenantId, overrides);
  }

  /** The tenant's effective limits. @throws AppError UNAUTHENTICATED, FORBIDDEN, QUOTA_EXCEEDED (admin secret), NOT_FOUND. */
  async get(presentedSecret: string | undefined, clientAddress: string, tenantId: string): Promise<TenantLimits> {
    await this.guard.check(presentedSecret, clientAddress, 'tenantLimits');
    await this.requireTenant(tenantId);
    return this.read(tenantId);
  }

  /** The caller's own tenant's effective limits (any scope). */
  mine(actor: Actor): Promise<TenantLimits> {
    return this.read(actor.tenantId);
  }

  /** What the tenant stores against its storage quota of `limitBytes` (TenantLimits.storage). */
  async storage(tenantId: string, limitBytes: number): Promise<StorageUsage> {
    const use = await withTenant(this.prisma, tenantId, (tx) => this.quotas.storageUse(tx, tenantId));
    return {
      datasetBytes: use.datasets,
      modelArtifactBytes: use.modelArtifacts,
      batchResultBytes: use.batchResults,
      pendingBatchResultBytes: use.pendingBatchResults,
      totalBytes: use.total,
      limitBytes,
    };
  }

  private async read(tenantId: string): Promise<TenantLimits> {
    return this.view(tenantId, await withTenant(this.prisma, tenantId, (tx) => this.repos.limits.find(tx, tenantId)));
  }

  private view(tenantId: string, overrides: LimitOverrides): TenantLimits {
    const { limits, defaulted } = effectiveLimits(this.quotas.defaults, overrides);
    return { tenantId, ...limits, defaults: defaulted };
  }

  private async requireTenant(tenantId: string): Promise<void> {
    await this.repos.tenants.require(tenantId);
  }
}
