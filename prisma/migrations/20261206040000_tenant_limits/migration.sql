-- Per-tenant limits set by the operator (setTenantLimits): one optional row per tenant; a NULL
-- column means "the global default from the configuration" (QUOTA_*, TRAINING_MAX_*).
CREATE TABLE "TenantLimits" (
    "tenantId" TEXT NOT NULL,
    "maxConcurrentRuns" INTEGER,
    "maxConcurrentBatches" INTEGER,
    "maxDatasetBytes" BIGINT,
    "predictionsPerMinute" INTEGER,
    "trainingMaxParameters" BIGINT,
    "trainingMaxActivations" BIGINT,
    "trainingMaxMemoryBytes" BIGINT,
    "trainingMaxWork" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TenantLimits_pkey" PRIMARY KEY ("tenantId"),
    -- Every limit set is positive (the API validates the caps; this is the last line).
    CONSTRAINT "TenantLimits_positive" CHECK (
        coalesce("maxConcurrentRuns", 1) > 0 AND coalesce("maxConcurrentBatches", 1) > 0 AND
        coalesce("maxDatasetBytes", 1) > 0 AND coalesce("predictionsPerMinute", 1) > 0 AND
        coalesce("trainingMaxParameters", 1) > 0 AND coalesce("trainingMaxActivations", 1) > 0 AND
        coalesce("trainingMaxMemoryBytes", 1) > 0 AND coalesce("trainingMaxWork", 1) > 0)
);
ALTER TABLE "TenantLimits" ADD CONSTRAINT "TenantLimits_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (see 20261130000000_security): a tenant's transaction sees its own row only.
GRANT SELECT, INSERT, UPDATE, DELETE ON "TenantLimits" TO maas_tenant;
ALTER TABLE "TenantLimits" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TenantLimits" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
