/** The TenantLimits table: the only code that touches it. Every method takes the tenant. */
import type { Tx } from '../../lib/tenant-tx';
import { LIMIT_NAMES, overridesOf, type LimitOverrides } from './tenant-limits';

/** BIGINT columns (Prisma wants bigint for them). */
const BIG = new Set(['maxDatasetBytes', 'trainingMaxParameters', 'trainingMaxActivations', 'trainingMaxMemoryBytes', 'trainingMaxWork']);

/** The tenant's override row. */
export class TenantLimitsRepo {
  /** The tenant's overrides ({} when it has no row). */
  async find(tx: Tx, tenantId: string): Promise<LimitOverrides> {
    return overridesOf(await tx.tenantLimits.findUnique({ where: { tenantId } }));
  }

  /** Replaces the tenant's overrides (absent ones become null, the default). */
  async replace(tx: Tx, tenantId: string, overrides: LimitOverrides): Promise<void> {
    const data: Record<string, number | bigint | null> = {};
    for (const name of LIMIT_NAMES) {
      const v = overrides[name];
      data[name] = v === null || v === undefined ? null : BIG.has(name) ? BigInt(v) : v;
    }
    await tx.tenantLimits.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data });
  }
}
