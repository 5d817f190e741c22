/**
 * One training job, from an uploaded table to everything a model version stores.
 * Pure of the database and the API: the job handler (src/jobs/training-run.job.ts) supplies the
 * table and persists and publishes what this returns.
 */
import type { CsvOptions, Table } from './data/csv';
import { mergeMissing, resolveMissing } from './data/missing';
import { declaredMissing, type ColumnProfile } from './data/profile';
import { saveArtifact, type ModelArtifact } from './artifact';
import { evaluate, type EvaluationMetrics } from './evaluate';
import { buildNetwork } from './network';
import { FRAMEWORK, networkScorer, treeScorer, type Scorer } from './predictor';
import { prepareData, type ColumnChoice, type PreparedData } from './prepare';
import type { FittedPipeline } from './preprocess/types';
import type { TrainingSpec } from './spec';
import { trainNetwork, type EpochCallback, type EpochResult } from './train';
import { treeImportances } from './trees/importance';
import { trainTrees } from './trees/train-trees';

export interface FeatureImportance {
  /** Model input name (`Glucose`, `workclass=Private`, …). */
  input: string;
  /** The feature column it comes from. */
  column: string;
  /** Share of the total, in [0, 1]; all inputs sum to 1. */
  importance: number;
}

export interface TrainedModel {
  /** 'tfjs-layers', 'decision-tree' or 'random-forest'. */
  framework: string;
  /** Networks: TF.js topology + weights. Trees: topology = the trees (trees/artifact.ts), weights empty. */
  artifact: ModelArtifact;
  pipeline: FittedPipeline;
  /** Metrics on the held-out test split. */
  metrics: EvaluationMetrics;
  epochs: EpochResult[];
  /** Feature columns, in order. */
  featureNames: string[];
  /** Model inputs after preprocessing, in order. */
  inputNames: string[];
  /** Trees only: mean decrease in impurity per model input. */
  featureImportances?: FeatureImportance[];
  /** Early stopping, when configured: the epoch whose weights were kept, and whether it stopped early. */
  bestEpoch?: number;
  stoppedEarly?: boolean;
  /** Row counts of the splits. */
  rows: { train: number; validation: number; test: number };
}

function testMetrics(scorer: Scorer, data: PreparedData): EvaluationMetrics {
  const { task, classes } = data.pipeline.target;
  return evaluate(task, scorer.score(data.test.x, data.test.rows), data.test.y, data.test.rows, classes);
}

/**
 * Prepares the data, trains the model the spec names, evaluates it on the test split and
 * serialises it.
 * @throws AppError BAD_USER_INPUT for data or spec problems found on the way (see prepareData,
 *   buildNetwork, trainNetwork, trainTrees).
 */
export async function trainFromTable(table: Table, choice: ColumnChoice, spec: TrainingSpec, onEpoch: EpochCallback): Promise<TrainedModel> {
  const data = prepareData(table, choice, spec);
  const common = {
    framework: FRAMEWORK[spec.model],
    pipeline: data.pipeline,
    featureNames: data.pipeline.columns.map((c) => c.name),
    inputNames: data.inputNames,
    rows: { train: data.train.rows, validation: data.validation.rows, test: data.test.rows },
  };
  if (spec.model !== 'neural_network') return { ...common, ...(await fitTrees(data, spec, onEpoch)) };

  const model = buildNetwork(spec, data.inputNames.length, data.outputUnits, data.pipeline.columns.length);
  try {
    const outcome = await trainNetwork(model, data, spec, onEpoch);
    return {
      ...common,
      artifact: await saveArtifact(model),
      metrics: testMetrics(networkScorer(model, data.pipeline), data),
      epochs: outcome.epochs,
      ...(outcome.bestEpoch !== undefined ? { bestEpoch: outcome.bestEpoch, stoppedEarly: outcome.stoppedEarly } : {}),
    };
  } finally {
    // LayersModel.dispose() leaves the optimizer's slots (e.g. Adam's moments) alive.
    model.optimizer?.dispose();
    model.dispose();
  }
}

/** Trees train in one pass, reported as a single epoch with the training-split loss and accuracy. */
async function fitTrees(data: PreparedData, spec: TrainingSpec, onEpoch: EpochCallback) {
  const started = performance.now();
  const trees = trainTrees(data, spec);
  const scorer = treeScorer(trees);
  const { task, classes } = data.pipeline.target;
  const fit = evaluate(task, scorer.score(data.train.x, data.train.rows), data.train.y, data.train.rows, classes);
  const epoch: EpochResult = { epoch: 1, loss: fit.logLoss ?? fit.mse ?? 0, accuracy: fit.accuracy, elapsedMs: performance.now() - started };
  await onEpoch(epoch);
  const importances = treeImportances(trees, data.train.x, data.train.y, data.train.rows);
  const columnOf = data.pipeline.columns.flatMap((c) => c.outputs.map(() => c.name));
  return {
    artifact: { topology: trees as unknown as Record<string, unknown>, weights: Buffer.alloc(0) },
    metrics: testMetrics(scorer, data),
    epochs: [epoch],
    featureImportances: data.inputNames.map((input, j) => ({ input, column: columnOf[j], importance: importances[j] })),
  };
}

/**
 * How to parse a dataset's CSV for training: as uploaded, with the missing codes declared at
 * upload (kept in its profile) and those the spec adds.
 * @throws AppError BAD_USER_INPUT for a spec missing-value declaration naming an unknown column.
 */
export function trainingCsvOptions(dataset: { hasHeader: boolean; delimiter: string; columns: ColumnProfile[] }, spec: TrainingSpec): CsvOptions {
  const names = dataset.columns.map((c) => c.name);
  const declared = declaredMissing(dataset.columns);
  const added = resolveMissing(spec.preprocessing.missingValues, names, 'spec.preprocessing.missingValues');
  return { hasHeader: dataset.hasHeader, delimiter: dataset.delimiter, missing: mergeMissing(declared, added) };
}
