-- Fair training slots (src/jobs/fair-claim.ts): a per-tenant limit of training runs RUNNING at once
-- across the cluster (NULL = QUOTA_RUNNING_RUNS), and a per-run priority within the tenant's own queue.
ALTER TABLE "TenantLimits" ADD COLUMN "maxRunningRuns" INTEGER;
ALTER TABLE "TenantLimits" ADD CONSTRAINT "TenantLimits_running_positive" CHECK (coalesce("maxRunningRuns", 1) > 0);

ALTER TABLE "TrainingRun" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;
