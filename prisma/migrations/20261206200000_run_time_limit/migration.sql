-- A wall-clock limit per training run (src/jobs/run-supervisor.ts, src/ml/run-time.ts): the tenant's
-- override of TRAINING_MAX_RUN_SECONDS (NULL = the default), 1 s to 7 days as setTenantLimits checks.
ALTER TABLE "TenantLimits" ADD COLUMN "trainingMaxRunSeconds" INTEGER;
ALTER TABLE "TenantLimits" ADD CONSTRAINT "TenantLimits_run_seconds_range" CHECK ("trainingMaxRunSeconds" IS NULL OR "trainingMaxRunSeconds" BETWEEN 1 AND 604800);
