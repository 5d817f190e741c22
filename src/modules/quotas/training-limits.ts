/** The training cost limits (per-tenant quotas): as configured, and as a worker reads them per tenant. */
import type { Config } from '../../config';
import type { Db } from '../../lib/db';
import { withTenant } from '../../lib/tenant-tx';
import type { CostLimits } from '../../ml/cost-limits';
import { costLimitsOf, effectiveLimits, type Limits } from './tenant-limits';
import { TenantLimitsRepo } from './tenant-limits.repo';

/** TRAINING_MAX_* of the config, as the model families check them (the global defaults). */
export function trainingLimits(
  config: Pick<Config, 'TRAINING_MAX_PARAMETERS' | 'TRAINING_MAX_ACTIVATIONS' | 'TRAINING_MAX_MEMORY_BYTES' | 'TRAINING_MAX_WORK' | 'TRAINING_MAX_RUN_SECONDS'>,
): CostLimits {
  return {
    maxParameters: config.TRAINING_MAX_PARAMETERS,
    maxActivations: config.TRAINING_MAX_ACTIVATIONS,
    maxMemoryBytes: config.TRAINING_MAX_MEMORY_BYTES,
    maxWork: config.TRAINING_MAX_WORK,
    maxRunSeconds: config.TRAINING_MAX_RUN_SECONDS,
  };
}

/**
 * For the worker: a function that reads a tenant's training cost limits (its TenantLimits row over
 * `defaults`) when a run starts, so a limit the operator changed applies to the next run. Not cached.
 */
export function tenantTrainingLimits(prisma: Db, defaults: Limits): (tenantId: string) => Promise<CostLimits> {
  const repo = new TenantLimitsRepo();
  return (tenantId) => withTenant(prisma, tenantId, async (tx) => costLimitsOf(effectiveLimits(defaults, await repo.find(tx, tenantId)).limits));
}
