-- Image datasets: stored once as decoded uint8 tensors (src/ml/images/image-set.ts) in "content";
-- "format" says which ('csv' or 'image'), "imageProfile" holds class counts, size and pixel statistics.
ALTER TABLE "Dataset" ADD COLUMN "format" TEXT NOT NULL DEFAULT 'csv';
ALTER TABLE "Dataset" ADD COLUMN "imageProfile" JSONB;
