/**
 * The preprocessing pipeline: declared in the training spec as a list of steps, fitted on the
 * training split only, stored as JSON with the model version, and applied by the same code to the
 * training matrices and to prediction rows.
 *
 * Glossary: a *feature column* is a column of the uploaded CSV the model takes (predict rows are
 * keyed by these names); a *model input* is one number the model sees. A numeric column gives one
 * input; an encoded column (one-hot, buckets, token counts, TF-IDF, a token sequence) gives several.
 */
import type { ColumnType } from '../data/infer-type';
import type { MissingValuesSpec } from '../data/missing';
import type { OnnxServing } from '../families/onnx/serving-info';
import type { ImageInput } from '../images/normalize';
import type { Task } from '../task';

export type StepOp = 'impute' | 'clip' | 'standardize' | 'min_max_scale' | 'one_hot' | 'bucketize' | 'token_counts' | 'tf_idf' | 'token_sequence';
export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';
export type ClipMethod = 'quantile' | 'z_score';

/** One declared step. Fields other than `op` and `columns` apply to some ops only. */
export interface StepSpec {
  op: StepOp;
  /** Feature columns the step applies to. (Default: every feature column the op accepts, see plan.ts) */
  columns?: string[] | null;
  /** impute. (Default: mean) */
  strategy?: ImputeStrategy | null;
  /** impute with strategy constant: the value (a number for numeric columns). (Default: 0 or 'missing') */
  fillValue?: string | null;
  /** clip. (Default: quantile) */
  method?: ClipMethod | null;
  /** clip by quantile: the lower and upper quantiles. (Default: 0.01, 0.99) */
  lower?: number | null;
  upper?: number | null;
  /** clip by z-score: bounds at mean ± threshold · std. (Default: 3) */
  threshold?: number | null;
  /** bucketize: number of quantile buckets, when `boundaries` is not given. (Default: 5) */
  bins?: number | null;
  /** bucketize: explicit ascending boundaries; bucket k holds boundaries[k-1] <= x < boundaries[k]. */
  boundaries?: number[] | null;
  /** one_hot: keep the most frequent categories only; others encode as all zeros. (Default: 50) */
  maxCategories?: number | null;
  /** token_counts, tf_idf: vocabulary cap, the most frequent tokens. (Default: 100; token_sequence: 5000) */
  maxTokens?: number | null;
  /** token_sequence: tokens per text after padding or truncation (see token-sequence.ts). (Default: 64) */
  sequenceLength?: number | null;
}

export interface PreprocessingSpec {
  /** Steps in order; absent = the default pipeline (see plan.ts). */
  steps?: StepSpec[] | null;
  /** Missing-value codes added to those declared at upload. */
  missingValues?: MissingValuesSpec[] | null;
  /** Drop training rows whose target is missing; otherwise such rows are an error. (Default: true) */
  dropMissingTarget?: boolean;
  /** Removed from the end of every target label, e.g. '.' for UCI Adult's test file (`>50K.`). */
  labelSuffix?: string | null;
  /**
   * Regression networks: train on (y - mean) / std of the training split and map outputs back, so
   * targets in the hundreds of thousands train with default learning rates. Epoch losses are then
   * in standardised units; test metrics and predictions are in the target's own. (Default: false)
   */
  standardizeTarget?: boolean | null;
}

/** A fitted step: everything applying it needs, learned from the training split. */
export type FittedStep =
  | { op: 'impute'; value: number | string }
  | { op: 'clip'; lower: number; upper: number }
  | { op: 'standardize'; mean: number; std: number }
  | { op: 'min_max_scale'; min: number; max: number }
  | { op: 'one_hot'; categories: string[] }
  | { op: 'bucketize'; boundaries: number[] }
  | { op: 'token_counts'; vocabulary: string[] }
  | { op: 'tf_idf'; vocabulary: string[]; idf: number[] }
  /** Token ids: 0 padding, 1 out of vocabulary, 2 + k vocabulary[k] (see token-sequence.ts). */
  | { op: 'token_sequence'; vocabulary: string[]; sequenceLength: number }
  /** Interactions (src/ml/prepare-interactions.ts): an id's index in `ids` (the training ids), -1 when unknown or missing. Not declarable in a spec. */
  | { op: 'id_index'; ids: string[] };

export interface FittedColumn {
  name: string;
  type: ColumnType;
  /** Cells equal to one of these (or empty / null) are missing. */
  missingCodes: string[];
  steps: FittedStep[];
  /** The model inputs this column yields, in order (`name`, `name=value`, `name:token`, …). */
  outputs: string[];
  /**
   * A typical raw value on the training split, in read form (numbers for numeric and datetime
   * columns): the median of the numbers, the most frequent string, '' for text. The default
   * baseline of explanations. (Absent in versions trained before explanations existed.)
   */
  reference?: number | string | null;
}

export interface TargetInfo {
  name: string;
  task: Task;
  /** Classification: class labels in output order (index i = output unit i, or P(class 1) for binary). */
  classes?: string[];
  /** Stripped from labels before they were read (see PreprocessingSpec.labelSuffix). */
  labelSuffix?: string;
  /** Regression with standardizeTarget: the model predicts (y - mean) / std. */
  scale?: { mean: number; std: number };
}

/** What a model version stores in its `preprocessing` column. */
export interface FittedPipeline {
  format: 'maas-pipeline/1';
  /** Feature columns in order, each with its fitted steps. */
  columns: FittedColumn[];
  target: TargetInfo;
  /** Every column of the training CSV: predict accepts (and ignores) the ones that are not features. */
  datasetColumns: string[];
  /** Image models: the input shape and normalisation (src/ml/images/normalize.ts); `columns` is then empty. */
  image?: ImageInput;
  /** Uploaded ONNX models: checksum, declared tensors and the uploader's metadata; `columns` is then empty. */
  onnx?: OnnxServing;
  /** Interactions data (recommenders): which columns hold the user, the item and the rating, and where item metadata lives. */
  interactions?: InteractionColumns;
}

/** The columns of interactions data, as a recommender's pipeline stores them. */
export interface InteractionColumns {
  userColumn: string;
  itemColumn: string;
  ratingColumn: string;
  /** A second dataset of the tenant with one row per item, joined by id at serving time (titles). */
  itemMetadata?: MetadataRef;
  /** A dataset of the tenant with one row per user, joined by id at serving time. */
  userMetadata?: MetadataRef;
}

/** A dataset of per-id metadata (items or users) joined by id when serving. */
export interface MetadataRef {
  datasetId: string;
  /** The column holding the ids, as in the interactions dataset. */
  idColumn: string;
  /** The column shown as a title (items). */
  titleColumn?: string;
}

/** Model input names of a pipeline, in order. */
export const inputNames = (p: FittedPipeline): string[] => p.columns.flatMap((c) => c.outputs);
