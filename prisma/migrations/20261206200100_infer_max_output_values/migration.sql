-- Per-tenant bound on the values one infer call may answer (src/modules/serving/output-size.ts);
-- NULL = INFER_MAX_OUTPUT_VALUES.
ALTER TABLE "TenantLimits" ADD COLUMN "inferMaxOutputValues" INTEGER;
ALTER TABLE "TenantLimits" ADD CONSTRAINT "TenantLimits_output_values_positive" CHECK (coalesce("inferMaxOutputValues", 1) > 0);
