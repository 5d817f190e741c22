-- Version stages and evaluations (issue 14).
--
-- Stages: NONE -> STAGING -> PRODUCTION -> ARCHIVED (any move allowed), next to the free aliases.
-- At most one PRODUCTION version per model: a partial unique index backs the rule that
-- transitionModelVersionStage keeps (moving a version to PRODUCTION archives the previous one in
-- the same transaction, as MLflow's archive_existing_versions does).
ALTER TABLE "ModelVersion" ADD COLUMN "stage" TEXT NOT NULL DEFAULT 'NONE';
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_stage_check" CHECK ("stage" IN ('NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED'));
CREATE UNIQUE INDEX "ModelVersion_one_production" ON "ModelVersion"("modelId") WHERE "stage" = 'PRODUCTION';

-- Who moved which version from which stage to which, when and why; gone with the version.
CREATE TABLE "ModelStageTransition" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "fromStage" TEXT NOT NULL,
    "toStage" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The order of the moves (two moves of one transaction share a timestamp).
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "ModelStageTransition_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ModelStageTransition_tenantId_idx" ON "ModelStageTransition"("tenantId");
CREATE INDEX "ModelStageTransition_modelId_seq_idx" ON "ModelStageTransition"("modelId", "seq");
CREATE INDEX "ModelStageTransition_versionId_idx" ON "ModelStageTransition"("versionId");
ALTER TABLE "ModelStageTransition" ADD CONSTRAINT "ModelStageTransition_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ModelStageTransition" ADD CONSTRAINT "ModelStageTransition_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ModelStageTransition" ADD CONSTRAINT "ModelStageTransition_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Evaluations of a version on another dataset (evaluateModelVersion), run as a job.
CREATE TABLE "ModelEvaluation" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "datasetId" TEXT,
    "threshold" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "metrics" JSONB,
    "failureCode" TEXT,
    "failureMessage" TEXT,
    "startedByKind" TEXT NOT NULL,
    "startedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ModelEvaluation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ModelEvaluation_threshold_check" CHECK ("threshold" >= 0 AND "threshold" <= 1)
);
CREATE INDEX "ModelEvaluation_tenantId_idx" ON "ModelEvaluation"("tenantId");
CREATE INDEX "ModelEvaluation_modelVersionId_createdAt_idx" ON "ModelEvaluation"("modelVersionId", "createdAt");
ALTER TABLE "ModelEvaluation" ADD CONSTRAINT "ModelEvaluation_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ModelEvaluation" ADD CONSTRAINT "ModelEvaluation_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ModelEvaluation" ADD CONSTRAINT "ModelEvaluation_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Row-level security (see 20261130000000_security): a tenant's transaction sees its own rows only.
GRANT SELECT, INSERT, UPDATE, DELETE ON "ModelStageTransition", "ModelEvaluation" TO maas_tenant;
GRANT USAGE ON SEQUENCE "ModelStageTransition_seq_seq" TO maas_tenant;
ALTER TABLE "ModelStageTransition" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ModelStageTransition" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "ModelEvaluation" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ModelEvaluation" TO maas_tenant
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
