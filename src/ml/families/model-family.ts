/**
 * The model-family seam: what every kind of model (a dense network, a decision tree, a random
 * forest, gradient-boosted trees; later convolutional networks, text models, recommenders,
 * uploaded ONNX models) provides, so that training, the registry, serving, batch prediction,
 * explanations and benchmarks never switch on the kind themselves. They ask the registry
 * (./registry.ts) for the family and call it.
 *
 * Glossary:
 * - *model input*: one number the model sees (after preprocessing); an example's inputs have the
 *   family's `inputShape` (`[features]` for tables, `[h, w, c]` for images, `[seqLen]` for tokens).
 * - *artifact*: what a model version stores to rebuild the model: `topology` (JSON) and `weights`
 *   (bytes), plus the `framework` string that says which family (and format) wrote them.
 * - *scorer*: a loaded model. Serving, batch prediction, explanations, evaluation and benchmarks
 *   all score through this one type.
 */
import type { CostLimits } from '../cost-limits';
import type { InputFormat, PreparedData } from '../prepare';
import type { FittedPipeline } from '../preprocess/types';
import type { ModelKind, SpecInput, Task, TrainingSpec } from '../spec-types';
import type { Recommender } from './recommender';

export type { InputFormat };

/** Metrics of one finished epoch (a boosting round or a forest's tree counts as one). Losses include regularisation penalties, as in Keras. */
export interface EpochResult {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Wall time of the epoch, milliseconds. */
  elapsedMs: number;
  /**
   * Every other metric the spec asks for, by Keras name, training and validation (e.g.
   * `{ mae: 0.41, val_mae: 0.44, mse: 0.3 }`); absent when there are none.
   */
  metrics?: Record<string, number>;
}

/** Called after every epoch; return 'stop' to end training after it (e.g. the run was cancelled). */
export type EpochCallback = (result: EpochResult) => Promise<void | 'stop'>;

/**
 * Progress inside a fit that has no epochs to report yet: a random forest's trees (its one epoch
 * comes at the end). Not stored; streamed as PROGRESS events with an ETA.
 */
export interface StepProgress {
  /** Steps done, 1-based. */
  step: number;
  /** Steps the fit will take at most. */
  steps: number;
  /** What a step is. */
  unit: 'tree';
}

/** Receives {@link StepProgress}; must not block (the fit may not yield between steps). */
export type StepCallback = (progress: StepProgress) => void;

/**
 * A loaded model: model inputs in, model outputs out, both row-major over a batch.
 * Output layout for every family: binary classification `[batch, 1]` = P(classes[1]); multiclass
 * `[batch, classes]` probabilities; regression `[batch, 1]` in the target's own units.
 */
export interface Scorer {
  /** Shape of one example's inputs, e.g. `[features]`, `[h, w, c]`. */
  readonly inputShape: readonly number[];
  /** Shape of one example's outputs, e.g. `[1]`, `[classes]`. */
  readonly outputShape: readonly number[];
  /**
   * @param x row-major `[rows, ...inputShape]`.
   * @returns row-major `[rows, ...outputShape]`.
   * @throws AppError BAD_USER_INPUT when `x.length` is not `rows · prod(inputShape)`.
   */
  score(x: Float32Array, rows: number): Float32Array;
  /**
   * Recommenders (families taking `interactions`): recommendations, similar items, explanations,
   * for training's ranking metrics. Served, they are the scorer's `methods` `recommendations`,
   * `similarItems` and `explainRecommendation` (same arguments as the Recommender's).
   */
  readonly recommender?: Recommender;
  /**
   * Extra queries a family answers besides `score` (e.g. a recommender's `recommendations`,
   * `similarItems`), called by name: serving dispatches them generically, on a scoring thread or
   * inline (src/ml/serving/). Their arguments and results must survive structured clone (numbers,
   * strings, plain objects and arrays, typed arrays). (Default: none)
   */
  readonly methods?: Readonly<Record<string, (...args: never[]) => unknown>>;
  /**
   * Memory the loaded model holds outside the JS heap of the thread that loaded it, measured when it
   * was loaded, bytes: an uploaded ONNX model's growth of its ONNX host's RSS while the session
   * opened (onnx/host/protocol.ts `LoadedInHost`: how, and its error). Absent: not measured (the
   * model cache then weighs the stored artifact, src/ml/predictor.ts `storedBytes`).
   */
  readonly measuredBytes?: number;
  /** Frees what the scorer owns (tensors, sessions). Scoring afterwards is an error. */
  dispose(): void;
}

/** A model version's stored artifact, as the registry keeps it. */
export interface StoredArtifact {
  /** Which family and format wrote it, e.g. 'tfjs-layers', 'gradient-boosting'. */
  framework: string;
  /** JSON part: a network's model.json, trees' metadata. */
  topology: unknown;
  /** Binary part: a network's weights, trees' node arrays (may be empty). */
  weights: Uint8Array;
}

/** The artifact a fit produces, ready to store (see StoredArtifact). */
export interface ModelArtifact {
  topology: Record<string, unknown>;
  weights: Buffer;
}

/**
 * Tells a fit to stop. An `AbortSignal` is one; so is any object whose `aborted` reads a flag
 * another thread sets (src/ml/train-task.ts), which a fit that never yields (trees) still sees.
 */
export interface StopSignal {
  readonly aborted: boolean;
}

/** What `fit` is given besides the data and the spec. */
export interface FitContext {
  /**
   * Receives every epoch (a boosting round) as it ends. Families that yield between epochs
   * (networks) await it and stop when it returns 'stop'; every family also checks `signal`.
   */
  onEpoch: EpochCallback;
  /** Receives steps inside a fit whose epochs come late or once (forest trees); optional. */
  onStep?: StepCallback;
  /** Once aborted, the fit ends at the next epoch (round, tree) boundary; the model so far is returned. */
  signal?: StopSignal;
}

/** A fitted model, in memory and as an artifact. */
export interface FitResult {
  artifact: ModelArtifact;
  /** The in-memory model; the caller disposes it. Scores exactly as `load(artifact)` does. */
  scorer: Scorer;
  epochs: EpochResult[];
  /** Early stopping: the epoch whose model is kept, and whether training ended before spec.epochs. */
  bestEpoch?: number;
  stoppedEarly?: boolean;
  /** Per model input, summing to 1 (trees: mean decrease in impurity or gain). */
  importances?: number[];
}

/** A run's estimated duration (src/ml/run-time.ts), and how it was reached (for messages). */
export interface RunTimeEstimate {
  /** Wall-clock seconds on one training thread, including the fixed cost per run. */
  seconds: number;
  /** The terms, e.g. `2.3e6 multiply-adds at 1e9/s + 200 batches at 1 ms + 0.5 s`. */
  basis: string;
}

/** Sizes known about a run's data: at request time from the dataset profile, at training time exactly. */
export interface DataShape {
  /** Model inputs per example; undefined while an encoder's width is not known yet. */
  inputs?: number;
  /** Output units the target needs (1, or the number of classes); undefined when unknown. */
  outputs?: number;
  /** Feature columns the inputs come from (for messages). */
  featureColumns: number;
  /** One example's shape when it is not flat, e.g. `[h, w, c]` for images. */
  inputShape?: readonly number[];
  /** Training rows (all rows of the dataset at request time). */
  rows: number;
}

/**
 * One kind of model. A new family is a folder under src/ml/families/ exporting one of these, and
 * one line in ./registry.ts; test/unit/model-family-contract.spec.ts then checks it like every other.
 * @typeParam K its kind, as a literal ('neural_network'): the registry's ModelKind union and the
 *   GraphQL ModelKind enum are made from these.
 */
export interface ModelFamily<K extends ModelKind = ModelKind> {
  /** The name specs use (`spec.model`), snake case; the GraphQL enum value is its upper case. */
  readonly kind: K;
  /** Stored as the version's `framework`; `load` accepts it and any of `readsFrameworks`. */
  readonly framework: string;
  /** Older formats this family still loads (e.g. artifacts of a previous library). */
  readonly readsFrameworks?: readonly string[];
  readonly inputFormats: readonly InputFormat[];
  /** One line for people choosing a model. */
  readonly description: string;
  /**
   * Whether training runs can fit it. An upload-only family (uploaded ONNX models) refuses specs in
   * `normalize` (BAD_USER_INPUT) and `fit` (NOT_SUPPORTED); the contract test checks only that. (Default: true)
   */
  readonly trainable?: boolean;
  /** Defaults the family gives the common spec fields. */
  readonly defaults: { standardize: boolean };
  /** Whether regression targets are standardised for training (networks: yes; trees need not). */
  readonly scalesTarget: boolean;
  /** Which uses of a loaded model make sense for this family. */
  readonly supports: { explain: boolean; batchPredict: boolean; importances: boolean; recommend?: boolean };
  /**
   * A small valid spec for `task` that fits a few hundred rows in well under a second: the family
   * contract test trains every family with it; docs and demos can start from it.
   * @param outputs output units the target needs (1, or the number of classes).
   */
  exampleSpec(task: Task, outputs: number): SpecInput;
  /**
   * Fills the family's defaults into `spec` and checks its part of the input (layers, loss,
   * tree options, …), refusing fields that belong to other families.
   * @throws AppError BAD_USER_INPUT naming the field and its value.
   */
  normalize(input: SpecInput, spec: TrainingSpec): void;
  /**
   * Checks the spec against the data's shape and its cost, before anything is built — at request
   * time (so `startTrainingRun` refuses what the run would) and again at training time.
   * @param limits the tenant's cost limits (networks; Default: DEFAULT_COST_LIMITS).
   * @throws AppError BAD_USER_INPUT naming the field, or QUOTA_EXCEEDED stating the limit.
   */
  checkData(spec: TrainingSpec, shape: DataShape, limits?: CostLimits): void;
  /**
   * How long training would take on one training thread (src/ml/run-time.ts), from the same shape
   * as checkData; startTrainingRun refuses runs estimated past twice the tenant's time limit.
   * Call after checkData. (Default: no estimate, never refused for time)
   */
  estimateRunTime?(spec: TrainingSpec, shape: DataShape): RunTimeEstimate;
  /**
   * Trains on prepared data: each split's `x` is `[rows, ...data.inputShape]` (tabular:
   * `[rows, inputs]`), in one of the family's `inputFormats`. Disposes everything it creates
   * except the returned scorer.
   * @throws AppError BAD_USER_INPUT for data/spec problems found while training (e.g. divergence).
   */
  fit(data: PreparedData, spec: TrainingSpec, context: FitContext): Promise<FitResult>;
  /**
   * Rebuilds a stored model. The caller disposes the scorer.
   * Serving calls it on a scoring thread (src/ml/serving/serve-task.ts): it must depend only on
   * `stored` and `pipeline` (no state of the API thread), accept `weights` as a plain Uint8Array
   * (a Buffer does not survive the thread hop), and leave no tensors behind but the scorer's.
   * @throws AppError BAD_USER_INPUT for an artifact this family cannot read.
   */
  load(stored: StoredArtifact, pipeline: FittedPipeline): Promise<Scorer>;
  /**
   * A scorer in plain JavaScript (no TF.js, no WASM) for small calls on the API thread, when the
   * stored model allows one; serving uses it for calls of at most INLINE_SCORING_MAX_MACS
   * multiply-adds (src/modules/serving/served-model.ts) and sends larger ones to the scoring thread.
   * It must score as {@link load}'s scorer does (within float32 rounding), and cost no more than
   * `macsPerRow` multiply-adds a row. The caller disposes it.
   * @returns undefined when this version has none (it then always scores through `load`).
   */
  loadInline?(stored: StoredArtifact, pipeline: FittedPipeline): InlineScorer | undefined;
  /**
   * Multiply-adds scoring one row costs, read from the stored artifact without loading it, when the
   * family can tell (dense networks: one per weight). Serving bounds explanations by it and slices
   * large calls on a scoring thread by it, so one tenant's call never holds the thread for long
   * (src/modules/serving/served-scoring.ts; issue 10). undefined: unknown (cheap per row: trees,
   * factorisations), and then only the row and cell caps apply.
   */
  costPerRow?(stored: StoredArtifact): number | undefined;
}

/** A {@link Scorer} cheap enough to run on the API thread for small calls (see ModelFamily.loadInline). */
export interface InlineScorer extends Scorer {
  /** What one row costs, in multiply-adds. */
  macsPerRow: number;
}
