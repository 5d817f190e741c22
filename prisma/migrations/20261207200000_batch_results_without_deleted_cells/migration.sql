-- Review F12: a batch-prediction result keeps no copy of the cells of a dataset that was deleted
-- (its "datasetId" was set null) or archived (deleteDataset with force) before this change; from
-- now on deleteDataset removes them in its transaction (src/modules/datasets/delete-dataset.ts).
-- Such a result keeps its row numbers and predictions ("predictionsOnly"); one finished before
-- those were stored has nothing without the cells and is deleted.
DELETE FROM "BatchPrediction" b
 WHERE b."result" IS NOT NULL AND b."predictionsOnly" IS NULL
   AND (b."datasetId" IS NULL OR EXISTS (SELECT 1 FROM "Dataset" d WHERE d.id = b."datasetId" AND d."archivedAt" IS NOT NULL));
UPDATE "BatchPrediction" b SET "result" = NULL
 WHERE b."result" IS NOT NULL
   AND (b."datasetId" IS NULL OR EXISTS (SELECT 1 FROM "Dataset" d WHERE d.id = b."datasetId" AND d."archivedAt" IS NOT NULL));
-- The same for evaluations on such a dataset: a regression sample keeps its predictions, its
-- "actual" values (target cells) set to null.
UPDATE "ModelEvaluation" m SET metrics = jsonb_set(m.metrics, '{testPredictions}', (
  SELECT coalesce(jsonb_agg(jsonb_build_object('actual', NULL, 'predicted', e.p -> 'predicted') ORDER BY e.n), '[]'::jsonb)
    FROM jsonb_array_elements(m.metrics -> 'testPredictions') WITH ORDINALITY AS e(p, n)))
 WHERE jsonb_typeof(m.metrics -> 'testPredictions') = 'array'
   AND (m."datasetId" IS NULL OR EXISTS (SELECT 1 FROM "Dataset" d WHERE d.id = m."datasetId" AND d."archivedAt" IS NOT NULL));
