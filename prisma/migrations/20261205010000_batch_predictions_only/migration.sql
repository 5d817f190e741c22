-- Batch results without the dataset's cells (row number + predictions), served to callers who may
-- predict but not read the dataset (no datasets:read scope).
ALTER TABLE "BatchPrediction" ADD COLUMN "predictionsOnly" BYTEA;
