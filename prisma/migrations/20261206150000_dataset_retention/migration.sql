-- Archiving a dataset is reversible until its retention ends (DATASET_ARCHIVE_RETENTION_DAYS): its
-- rows stay until the purge (src/jobs/dataset-purge.ts) empties them and sets "purgedAt".
ALTER TABLE "Dataset" ADD COLUMN "purgedAt" TIMESTAMP(3);
-- Archived before this migration: their rows were emptied at once.
UPDATE "Dataset" SET "purgedAt" = "archivedAt" WHERE "archivedAt" IS NOT NULL;
CREATE INDEX "Dataset_archived_unpurged_idx" ON "Dataset" ("archivedAt") WHERE "archivedAt" IS NOT NULL AND "purgedAt" IS NULL;
