-- Hyperparameter sweeps (issue 14, startSweep): a sweep and its trials, each trial one ordinary
-- training run (SweepTrial.runId, not a foreign key: a run goes with its dataset, the trial stays).
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "modelName" TEXT NOT NULL,
    "targetColumn" TEXT NOT NULL,
    "featureColumns" TEXT[],
    "strategy" TEXT NOT NULL,
    "baseSpec" JSONB NOT NULL,
    "space" JSONB NOT NULL,
    "objectiveMetric" TEXT NOT NULL,
    "objectiveDirection" TEXT NOT NULL,
    "maxTrials" INTEGER NOT NULL,
    "maxConcurrent" INTEGER NOT NULL,
    "seed" INTEGER,
    "eta" INTEGER,
    "minEpochs" INTEGER,
    "maxEpochs" INTEGER,
    "earlyStop" BOOLEAN NOT NULL DEFAULT true,
    "status" "RunStatus" NOT NULL DEFAULT 'RUNNING',
    "bestTrialId" TEXT,
    "bestVersionId" TEXT,
    "failureMessage" TEXT,
    "startedByKind" TEXT NOT NULL,
    "startedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Sweep_strategy_check" CHECK ("strategy" IN ('GRID', 'RANDOM', 'SUCCESSIVE_HALVING')),
    CONSTRAINT "Sweep_direction_check" CHECK ("objectiveDirection" IN ('MAXIMIZE', 'MINIMIZE')),
    CONSTRAINT "Sweep_budget_check" CHECK ("maxTrials" > 0 AND "maxConcurrent" > 0)
);
CREATE INDEX "Sweep_tenantId_createdAt_idx" ON "Sweep"("tenantId", "createdAt");
ALTER TABLE "Sweep" ADD CONSTRAINT "Sweep_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "SweepTrial" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "sweepId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "config" INTEGER NOT NULL,
    "rung" INTEGER NOT NULL DEFAULT 0,
    "params" JSONB NOT NULL,
    "spec" JSONB NOT NULL,
    "epochs" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "claimedAt" TIMESTAMP(3),
    "runId" TEXT,
    "objective" DOUBLE PRECISION,
    "modelVersionId" TEXT,
    "failureMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SweepTrial_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SweepTrial_status_check" CHECK ("status" IN ('PENDING', 'STARTING', 'STARTED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'STOPPED_EARLY'))
);
CREATE UNIQUE INDEX "SweepTrial_runId_key" ON "SweepTrial"("runId");
CREATE UNIQUE INDEX "SweepTrial_sweepId_index_key" ON "SweepTrial"("sweepId", "index");
CREATE INDEX "SweepTrial_tenantId_idx" ON "SweepTrial"("tenantId");
ALTER TABLE "SweepTrial" ADD CONSTRAINT "SweepTrial_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "SweepTrial" ADD CONSTRAINT "SweepTrial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (see 20261130000000_security): a tenant's transaction sees its own rows only.
GRANT SELECT, INSERT, UPDATE, DELETE ON "Sweep", "SweepTrial" TO maas_tenant;
ALTER TABLE "Sweep" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Sweep" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "SweepTrial" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SweepTrial" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
