/**
 * One training job, from an uploaded table to everything a model version stores.
 * Pure of the database and the API: the job handler (src/jobs/training-run.job.ts) supplies the
 * table and persists and publishes what this returns.
 */
import { AppError, badInput } from '../lib/errors';
import type { CostLimits } from './cost-limits';
import type { CsvOptions, Table } from './data/csv';
import { mergeMissing, resolveMissing } from './data/missing';
import { storedCsvOptions, type StoredCsvFormat } from './data/stored-format';
import { evaluate, type EvaluationMetrics } from './evaluate';
import type { EpochCallback, EpochResult, FitResult, ModelArtifact, Scorer, StepCallback, StopSignal } from './families/model-family';
import { familyOf } from './families/registry';
import { prepareData, type ColumnChoice, type PreparedData } from './prepare';
import { prepareInteractions } from './prepare-interactions';
import { permutationImportance, type PermutationImportance } from './permutation-importance';
import { evaluateRanking } from './ranking-evaluation';
import { testCurves } from './test-curves';
import { summarizeOutputs, type OutputSummary } from './version-warnings';
import type { FittedPipeline } from './preprocess/types';
import type { TrainingSpec } from './spec-types';

export interface FeatureImportance {
  /** Model input name (`Glucose`, `workclass=Private`, …). */
  input: string;
  /** The feature column it comes from. */
  column: string;
  /**
   * 'impurity' (trees): share of the total split gain, in [0, 1], all inputs summing to 1.
   * 'permutation' (networks): mean drop of the test metric when the input is shuffled (can be ≤ 0).
   */
  importance: number;
  /** 'permutation': standard deviation of the drop over the shuffles. */
  std?: number;
}

/** How a version's importances were measured. */
export type FeatureImportanceMethod = 'impurity' | 'permutation';

export interface TrainedModel {
  /** The family's framework ('tfjs-layers', 'decision-tree', 'random-forest', 'gradient-boosting'). */
  framework: string;
  /** What the family stores: networks' TF.js topology + weights, trees' metadata + node arrays. */
  artifact: ModelArtifact;
  pipeline: FittedPipeline;
  /** Metrics on the held-out test split. */
  metrics: EvaluationMetrics;
  epochs: EpochResult[];
  /** Feature columns, in order. */
  featureNames: string[];
  /** Model inputs after preprocessing, in order. */
  inputNames: string[];
  /**
   * Each model input's importance: trees, its share of the split gain (mean decrease in impurity);
   * other tabular models (networks), permutation importance on the test split (./permutation-importance.ts).
   */
  featureImportances?: FeatureImportance[];
  featureImportanceMethod?: FeatureImportanceMethod;
  /** 'permutation': the metric whose drop is measured, its unshuffled value, and the rows and shuffles used. */
  permutation?: Omit<PermutationImportance, 'mean' | 'std'>;
  /** Early stopping, when configured: the epoch whose weights were kept, and whether it stopped early. */
  bestEpoch?: number;
  stoppedEarly?: boolean;
  /** Row counts of the splits. */
  rows: { train: number; validation: number; test: number };
  /** The test split's rows, 0-based data rows of the dataset, ascending; absent when the preparation does not say. */
  testRowIndexes?: number[];
  /** Test-split facts the version's warnings need (src/ml/version-warnings.ts). */
  testOutputs?: OutputSummary;
  /** When each phase ran, [start, end] in ms since the epoch (Date.now(), the same clock on every thread): for the run's trace. */
  phases?: TrainPhases;
}

/** The phases of trainFromTable, each [start, end] in ms since the epoch. */
export interface TrainPhases {
  /** Splitting, preprocessing and the family's data checks. */
  prepare: [number, number];
  /** The family's fit (every epoch). */
  fit: [number, number];
  /** Scoring the test split and computing its metrics and curves (and permutation importance). */
  evaluate: [number, number];
}

/**
 * The inputs' importances: the family's own (trees: impurity), else permutation importance on the
 * test split for tabular models (networks); none for other data (images, tokens, interactions).
 */
function importancesOf(fitted: FitResult, data: PreparedData, spec: TrainingSpec): Pick<TrainedModel, 'featureImportances' | 'featureImportanceMethod' | 'permutation'> {
  const columnOf = data.pipeline.columns.flatMap((c) => c.outputs.map(() => c.name));
  if (fitted.importances) {
    const featureImportances = data.inputNames.map((input, j) => ({ input, column: columnOf[j], importance: fitted.importances![j] }));
    return { featureImportances, featureImportanceMethod: 'impurity' };
  }
  if (data.format !== 'tabular') return {};
  const { task, classes } = data.pipeline.target;
  // A network's forward pass is about one multiply-add per weight and row (float32 weights).
  const result = permutationImportance(fitted.scorer, data.test, data.inputNames.length, task, classes, { seed: spec.seed, weights: fitted.artifact.weights.length / 4 });
  if (!result) return {};
  const { mean, std, ...permutation } = result;
  const featureImportances = data.inputNames.map((input, j) => ({ input, column: columnOf[j], importance: mean[j], std: std[j] }));
  return { featureImportances, featureImportanceMethod: 'permutation', permutation };
}

function testMetrics(scorer: Scorer, data: PreparedData): { metrics: EvaluationMetrics; outputs: OutputSummary } {
  const { task, classes } = data.pipeline.target;
  const scores = scorer.score(data.test.x, data.test.rows);
  const outputs = summarizeOutputs(scores, data.outputUnits, data.train.y);
  // The ROC curve (binary), one-vs-rest ROC curves (multiclass) or (actual, predicted) pairs (regression) the console draws.
  const metrics = { ...evaluate(task, scores, data.test.y, data.test.rows, classes), ...testCurves(task, scores, data.test.y, data.test.rows, classes) };
  // Recommenders: precision@10 and NDCG@10 next to the popularity baseline's (src/ml/ranking.ts).
  return { metrics: scorer.recommender && data.test.rows > 0 ? { ...metrics, ranking: evaluateRanking(scorer.recommender, data) } : metrics, outputs };
}

/**
 * Most model inputs the feature columns may encode to (one-hot categories, tokens, bins and numbers
 * each count one). The fitted pipeline, stored with every version and read when the version is
 * first served (on the API's event loop), grows with them: 4,999 text columns one-hot encoded made
 * an 8 MB pipeline whose every first load held the loop ~0.6 s (issue 10, review 2 N4). 50,000 is
 * 10× a numeric dataset's widest (MAX_DATASET_COLUMNS) and 5× one text column's most tokens.
 */
export const MAX_MODEL_INPUTS = 50_000;

/**
 * @throws AppError BAD_USER_INPUT (`field` featureColumns) when `inputs` passes {@link MAX_MODEL_INPUTS}.
 */
export function checkModelInputs(inputs: number, columns: number): void {
  if (inputs <= MAX_MODEL_INPUTS) return;
  throw badInput(
    `The ${columns} feature columns encode to ${inputs} model inputs (one-hot categories, tokens and bins count one each); at most ${MAX_MODEL_INPUTS}: ` +
      'select fewer featureColumns, or lower the preprocessing maxCategories or maxTokens',
    { field: 'featureColumns', inputs, limit: MAX_MODEL_INPUTS },
  );
}

/**
 * Prepares the data, fits the family the spec names, evaluates it on the test split and
 * serialises it. Every tensor the fit creates is disposed before it returns.
 * @param signal once aborted, the fit ends at its next epoch (round, tree) boundary.
 * @param limits the tenant's cost limits, checked against the prepared data. (Default: DEFAULT_COST_LIMITS)
 * @param onStep progress inside the fit (a forest's trees), see StepProgress.
 * @throws AppError BAD_USER_INPUT for data or spec problems found on the way (see prepareData and
 *   the family's checkData and fit); QUOTA_EXCEEDED when the run passes `limits`.
 */
export async function trainFromTable(
  table: Table,
  choice: ColumnChoice,
  spec: TrainingSpec,
  onEpoch: EpochCallback,
  signal?: StopSignal,
  limits?: CostLimits,
  onStep?: StepCallback,
): Promise<TrainedModel> {
  const family = familyOf(spec.model);
  const started = Date.now();
  const data = family.inputFormats.includes('interactions') ? prepareInteractions(table, choice, spec) : prepareData(table, choice, spec, family.scalesTarget);
  if (!family.inputFormats.includes(data.format))
    throw new AppError('NOT_SUPPORTED', `${family.kind.toUpperCase()} models take ${family.inputFormats.join(' or ')} data, not ${data.format}`, {
      family: family.kind,
      format: data.format,
    });
  checkModelInputs(data.inputNames.length, data.pipeline.columns.length);
  family.checkData(spec, { inputs: data.inputNames.length, outputs: data.outputUnits, featureColumns: data.pipeline.columns.length, rows: data.train.rows }, limits);
  const prepared = Date.now();
  const fitted = await family.fit(data, spec, { onEpoch, onStep, signal });
  try {
    const fitEnded = Date.now();
    const tested = testMetrics(fitted.scorer, data);
    const importances = importancesOf(fitted, data, spec);
    const phases: TrainPhases = { prepare: [started, prepared], fit: [prepared, fitEnded], evaluate: [fitEnded, Date.now()] };
    return {
      framework: family.framework,
      artifact: fitted.artifact,
      pipeline: data.pipeline,
      metrics: tested.metrics,
      testOutputs: tested.outputs,
      epochs: fitted.epochs,
      featureNames: data.pipeline.columns.map((c) => c.name),
      inputNames: data.inputNames,
      ...importances,
      ...(fitted.bestEpoch !== undefined ? { bestEpoch: fitted.bestEpoch, stoppedEarly: fitted.stoppedEarly } : {}),
      rows: { train: data.train.rows, validation: data.validation.rows, test: data.test.rows },
      ...(data.testRowIndexes ? { testRowIndexes: Array.from(data.testRowIndexes).sort((a, b) => a - b) } : {}),
      phases,
    };
  } finally {
    fitted.scorer.dispose();
  }
}

/**
 * How to parse a dataset's CSV for training: as uploaded (see storedCsvOptions), with the missing
 * codes declared at upload (kept in its profile) and those the spec adds.
 * @throws AppError BAD_USER_INPUT for a spec missing-value declaration naming an unknown column.
 */
export function trainingCsvOptions(dataset: StoredCsvFormat, spec: TrainingSpec): CsvOptions {
  const names = dataset.columns.map((c) => c.name);
  const stored = storedCsvOptions(dataset);
  const added = resolveMissing(spec.preprocessing.missingValues, names, 'spec.preprocessing.missingValues');
  return { ...stored, missing: mergeMissing(stored.missing ?? {}, added) };
}
