/**
 * One training job, from an uploaded table to everything a model version stores.
 * Pure of the database and the API: the job handler (src/jobs/training-run.job.ts) supplies the
 * table and persists and publishes what this returns.
 */
import type { Table } from './data/csv';
import { saveArtifact, type ModelArtifact } from './artifact';
import { evaluate, type EvaluationMetrics } from './evaluate';
import { buildNetwork } from './network';
import { prepareData, type ColumnChoice } from './prepare';
import type { Preprocessing } from './preprocess';
import { runNetwork } from './predict';
import type { TrainingSpec } from './spec';
import { trainNetwork, type EpochCallback, type EpochResult } from './train';

export interface TrainedModel {
  artifact: ModelArtifact;
  preprocessing: Preprocessing;
  /** Metrics on the held-out test split. */
  metrics: EvaluationMetrics;
  epochs: EpochResult[];
  featureNames: string[];
  /** Row counts of the splits. */
  rows: { train: number; validation: number; test: number };
}

/**
 * Prepares the data, builds the network, trains it, evaluates it on the test split and serialises it.
 * @throws AppError BAD_USER_INPUT for data or spec problems found on the way (see prepareData,
 *   buildNetwork, trainNetwork).
 */
export async function trainFromTable(table: Table, choice: ColumnChoice, spec: TrainingSpec, onEpoch: EpochCallback): Promise<TrainedModel> {
  const data = prepareData(table, choice, spec);
  const model = buildNetwork(spec, data.featureNames.length, data.outputUnits);
  try {
    const epochs = await trainNetwork(model, data, spec, onEpoch);
    const outputs = runNetwork(model, data.test.x, data.test.rows, data.featureNames.length);
    const metrics = evaluate(data.prep.target.task, outputs, data.test.y, data.test.rows, data.prep.target.classes?.length);
    return {
      artifact: await saveArtifact(model),
      preprocessing: data.prep,
      metrics,
      epochs,
      featureNames: data.featureNames,
      rows: { train: data.train.rows, validation: data.validation.rows, test: data.test.rows },
    };
  } finally {
    // LayersModel.dispose() leaves the optimizer's slots (e.g. Adam's moments) alive.
    model.optimizer?.dispose();
    model.dispose();
  }
}
