/**
 * Every repository, constructed once per process. Repositories are the only code that touches
 * Prisma (besides src/lib/db.ts, migrate.ts and tenant-tx.ts); they hold no state.
 */
import type { Db } from '../lib/db';
import { AuditRepo } from './audit/audit.repo';
import { ApiKeyRepo } from './auth/api-key.repo';
import { DatasetRepo } from './datasets/dataset.repo';
import { TenantLimitsRepo } from './quotas/tenant-limits.repo';
import { AliasRepo } from './registry/alias.repo';
import { StageRepo } from './registry/stage.repo';
import { EvaluationRepo } from './registry/evaluation.repo';
import { ModelRepo } from './registry/model.repo';
import { BatchRepo } from './serving/batch.repo';
import { TenantRepo } from './tenants/tenant.repo';
import { TrainingRunRepo } from './training/training-run.repo';
import { NodeRepo } from './nodes/node.repo';
import { SweepRepo } from './sweeps/sweep.repo';

/** One instance of each repository (the tenant repo holds the client: it opens its own transaction). */
export function createRepos(prisma: Db) {
  return {
    audit: new AuditRepo(),
    apiKeys: new ApiKeyRepo(),
    datasets: new DatasetRepo(),
    aliases: new AliasRepo(),
    stages: new StageRepo(),
    evaluations: new EvaluationRepo(),
    models: new ModelRepo(),
    batches: new BatchRepo(),
    tenants: new TenantRepo(prisma),
    runs: new TrainingRunRepo(),
    limits: new TenantLimitsRepo(),
    nodes: new NodeRepo(),
    sweeps: new SweepRepo(),
  };
}

/** Every repository. */
export type Repos = ReturnType<typeof createRepos>;
