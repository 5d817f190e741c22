-- Aliases on model versions (e.g. production, staging); moving one is a single-row UPDATE.
CREATE TABLE "ModelAlias" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelAlias_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ModelAlias_modelId_name_key" ON "ModelAlias"("modelId", "name");
CREATE INDEX "ModelAlias_tenantId_idx" ON "ModelAlias"("tenantId");
CREATE INDEX "ModelAlias_versionId_idx" ON "ModelAlias"("versionId");
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- A version an alias points at cannot be deleted (move or delete the alias first).
ALTER TABLE "ModelAlias" ADD CONSTRAINT "ModelAlias_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Training-run leases: the worker running a run renews leaseExpiresAt; a run whose lease lapsed
-- (its worker died) is handed back to the queue or failed by any other worker.
ALTER TABLE "TrainingRun" ADD COLUMN "leaseOwner" TEXT;
ALTER TABLE "TrainingRun" ADD COLUMN "leaseExpiresAt" TIMESTAMP(3);
CREATE INDEX "TrainingRun_status_leaseExpiresAt_idx" ON "TrainingRun"("status", "leaseExpiresAt");

-- Batch predictions over a whole dataset, run as jobs; the result CSV is stored.
CREATE TABLE "BatchPrediction" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "modelVersionId" TEXT,
    "datasetId" TEXT,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "rowCount" INTEGER NOT NULL DEFAULT 0,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "result" BYTEA,
    "failureCode" TEXT,
    "failureMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BatchPrediction_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "BatchPrediction_tenantId_createdAt_idx" ON "BatchPrediction"("tenantId", "createdAt");
ALTER TABLE "BatchPrediction" ADD CONSTRAINT "BatchPrediction_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BatchPrediction" ADD CONSTRAINT "BatchPrediction_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "BatchPrediction" ADD CONSTRAINT "BatchPrediction_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Row-level security for the new tenant tables (see 20261130000000_security).
GRANT SELECT, INSERT, UPDATE, DELETE ON "ModelAlias", "BatchPrediction" TO maas_tenant;
ALTER TABLE "ModelAlias" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ModelAlias" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "BatchPrediction" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "BatchPrediction" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
