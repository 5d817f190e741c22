-- Lineage and lifecycle (issue 14).
--
-- Datasets: a content checksum (sha256, hex, of the stored bytes: computed at upload from now on,
-- here for the rows already stored) and an archive mark. An archived dataset keeps its row
-- (name, profile, row count, checksum) but not its bytes, so the versions it trained keep their
-- lineage and their training runs and loss curves are not cascaded away.
ALTER TABLE "Dataset" ADD COLUMN "checksum" TEXT;
ALTER TABLE "Dataset" ADD COLUMN "archivedAt" TIMESTAMP(3);
UPDATE "Dataset" SET "checksum" = encode(sha256("content"), 'hex');

-- Who started a run, and the version it reproduces (reproduce(versionId)); older runs: null.
ALTER TABLE "TrainingRun" ADD COLUMN "startedByKind" TEXT;
ALTER TABLE "TrainingRun" ADD COLUMN "startedById" TEXT;
ALTER TABLE "TrainingRun" ADD COLUMN "reproducesVersionId" TEXT;

-- Every metric the spec asks for, per epoch (e.g. {"mae": 0.41, "val_mae": 0.44}).
ALTER TABLE "EpochMetric" ADD COLUMN "metrics" JSONB;

-- Versions: the dataset that trained them (kept when the run goes; a dataset with versions is
-- archived, not deleted: NO ACTION, checked at the end of the statement so deleting a tenant
-- still cascades), their lineage (immutable once written) and their warnings.
ALTER TABLE "ModelVersion" ADD COLUMN "datasetId" TEXT;
ALTER TABLE "ModelVersion" ADD COLUMN "lineage" JSONB;
ALTER TABLE "ModelVersion" ADD COLUMN "warnings" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
UPDATE "ModelVersion" v SET "datasetId" = r."datasetId" FROM "TrainingRun" r WHERE v."trainingRunId" = r.id;
CREATE INDEX "ModelVersion_datasetId_idx" ON "ModelVersion"("datasetId");
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

CREATE FUNCTION maas_lineage_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."lineage" IS NOT NULL AND NEW."lineage" IS DISTINCT FROM OLD."lineage" THEN
    RAISE EXCEPTION 'ModelVersion.lineage is immutable once written';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "ModelVersion_lineage_immutable" BEFORE UPDATE ON "ModelVersion"
  FOR EACH ROW EXECUTE FUNCTION maas_lineage_immutable();
