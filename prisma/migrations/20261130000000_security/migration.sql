-- Rate-limit counters (rate-limiter-flexible's table layout), shared by every API process.
CREATE TABLE "RateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key")
);

-- Append-only audit log of security-relevant actions.
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AuditLog_tenantId_createdAt_idx" ON "AuditLog"("tenantId", "createdAt");
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE FUNCTION maas_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditLog is append-only';
END $$;
CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION maas_audit_log_append_only();

-- Row-level security. Tenant-scoped transactions (src/lib/tenant-tx.ts) run as role
-- maas_tenant, which is neither superuser nor owner and cannot bypass RLS, with the tenant in
-- the transaction-local setting app.tenant_id. A query that forgets its tenant filter still sees
-- only that tenant's rows; with no setting it sees none.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maas_tenant') THEN
    CREATE ROLE maas_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- created meanwhile by a migration of another database on the same server
END $$;
GRANT maas_tenant TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO maas_tenant;
GRANT SELECT ON "Tenant" TO maas_tenant;
GRANT SELECT, INSERT, UPDATE ON "ApiKey" TO maas_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON "Dataset", "TrainingRun", "EpochMetric", "Model", "ModelVersion" TO maas_tenant;
GRANT SELECT, INSERT ON "AuditLog" TO maas_tenant;

ALTER TABLE "Tenant" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Tenant" TO maas_tenant
  USING ("id" = current_setting('app.tenant_id', true));

ALTER TABLE "ApiKey" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ApiKey" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));

ALTER TABLE "Dataset" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Dataset" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));

ALTER TABLE "TrainingRun" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TrainingRun" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));

ALTER TABLE "EpochMetric" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "EpochMetric" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));

ALTER TABLE "Model" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Model" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));

ALTER TABLE "ModelVersion" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ModelVersion" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));

ALTER TABLE "AuditLog" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AuditLog" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
