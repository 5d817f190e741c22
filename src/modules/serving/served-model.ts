/**
 * A model version ready to serve in this process: its fitted pipeline, its scorer (loaded by the
 * family that wrote it, src/ml/families/registry.ts) — on a scoring thread
 * (src/ml/serving/scoring-threads.ts) or on this thread — and the micro-batcher in front of it,
 * which stays on this thread and sends each micro-batch to the scorer as one call. Held by the ModelCache.
 */
import { familyForFramework, requireSupport } from '../../ml/families/registry';
import type { Recommender } from '../../ml/families/recommender';
import { storedBytes, type StoredModel } from '../../ml/predictor';
import { evaluationsPerRow, type ExplainOptions, type Explanations } from '../../ml/explain';
import { tokenEvaluationsPerRow } from '../../ml/explain-tokens';
import { decodeOutputs, requireFiniteOutputs, type Prediction, type ScoredRows } from '../../ml/predict';
import { baselineValues } from '../../ml/preprocess/baseline';
import { transformValues } from '../../ml/preprocess/fit';
import { readMatrix, readRows, rowReader, type ValueMatrix } from '../../ml/preprocess/read-rows';
import { readPipeline } from '../../ml/preprocess/stored';
import { inputNames, type FittedPipeline } from '../../ml/preprocess/types';
import { MicroBatcher, type BatcherOptions, type InlineScoring } from './batcher';
import { AppError, badInput } from '../../lib/errors';
import { mainTurns, SLICE_ROWS } from '../../lib/fair-turns';
import { toModelInputs, type ImageInput } from '../../ml/images/normalize';
import type { OcclusionMap } from '../../ml/images/occlusion';
import type { Values } from '../../ml/preprocess/steps';
import { ONNX_FRAMEWORK } from '../../ml/families/onnx';
import { inlineScoring, sliceRows, threadScoring, type Scoring, type ServeOptions } from './served-scoring';
import { CALIBRATION_ROWS, RowCostEstimate } from '../../ml/serving/row-cost';

export type { ServeOptions } from './served-scoring';

/** Every number in an explanation must be finite (contributions of a model near overflow may not be). */
function requireFiniteExplanation(result: unknown): void {
  const stack = [result];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new AppError('NON_FINITE_OUTPUT', `The explanation holds ${v}, not a finite number; the model's outputs overflow for these rows`);
    if (v && typeof v === 'object') for (const child of Object.values(v as object)) stack.push(child);
  }
}

export interface ServedModel {
  pipeline: FittedPipeline;
  /**
   * What the model cache weighs it by, bytes: the stored artifact (weights + topology + pipeline,
   * kept on this side to load the version again into a fresh scoring thread or host) plus
   * {@link measuredBytes}.
   */
  bytes: number;
  /**
   * What loading it measured where it runs, bytes (src/ml/serving/measured-load.ts): an uploaded ONNX
   * model's ONNX host RSS growth, a TF.js model's tensor bytes; null when not measured (trees).
   */
  measuredBytes: number | null;
  /**
   * Raw rows (keyed like the training CSV) -> predictions; rows are validated before they join a
   * batch. @throws AppError BAD_USER_INPUT naming the bad row and column.
   */
  predict(rows: unknown[]): Promise<Prediction[]>;
  /** The same for bulk rows given as columns + value lists, read without building row objects. */
  predictMatrix(matrix: ValueMatrix): Promise<Prediction[]>;
  /**
   * Like {@link predict} and {@link predictMatrix}, but the checked outputs, undecoded (decode them
   * as rows or as columns, src/ml/predict.ts). @throws as predict, and NON_FINITE_OUTPUT.
   */
  scoreRows(rows: unknown[]): Promise<ScoredRows>;
  scoreMatrix(matrix: ValueMatrix): Promise<ScoredRows>;
  /**
   * Multiply-adds scoring one row costs, when the family can tell from the artifact (dense networks;
   * `ModelFamily.costPerRow`); explanations are bounded by it (explain.service.ts).
   */
  costPerRow: number | undefined;
  /**
   * {@link costPerRow}, or, for a family that cannot tell (text and convolutional networks), the
   * lowest time per row of its scoring calls so far, at one multiply-add a nanosecond (row-cost.ts;
   * before any call, one call of CALIBRATION_ROWS all-zero rows measures it; review 2, N5: a text
   * model's explanation went unbounded). Explanations are bounded and sliced by it, and on a scoring
   * thread large predicts are sliced by it too. undefined for an image or uploaded ONNX version (not
   * explained here).
   */
  rowCost(): Promise<number | undefined>;
  /**
   * Reads rows and a baseline for an explanation (see src/ml/explain.ts), and returns the function
   * that explains them, scoring outside the micro-batcher (an explanation is a large batch itself).
   * @param baseline the caller's baseline values (others: each feature's typical training value).
   * @throws AppError BAD_USER_INPUT naming the bad row, baseline value or column (before any work);
   *   NOT_SUPPORTED when the version's family cannot be explained. The function returned throws
   *   INVALID_STATE (reason CLIENT_GONE) when its `signal` aborts: no slice starts after that.
   */
  prepareExplanation(
    rows: unknown[],
    baseline: Record<string, unknown> | null,
  ): (options: ExplainOptions, signal?: AbortSignal) => Promise<Explanations & { baseline: Record<string, number | string | null> }>;
  /**
   * The version's recommender, answered where the version scores (a scoring thread or inline;
   * plain data in and out: src/ml/families/recommender.ts).
   * @throws AppError NOT_SUPPORTED when the version's family is no recommender.
   */
  recommender(): ServedRecommender;
  /** Image models: the input shape and normalisation (absent for tabular models). */
  image?: ImageInput;
  /**
   * Image models: decoded pixels → class probabilities, through the micro-batcher.
   * @param pixels `[count, h, w, c]` uint8 (or 0-255 numbers), already checked against `image`.
   * @returns `[count, classes]` probabilities. @throws AppError BAD_USER_INPUT for a tabular model.
   */
  scoreImages(pixels: Uint8Array | Float32Array, count: number): Promise<Float32Array>;
  /**
   * Image models: an occlusion saliency map of one image (src/ml/images/occlusion.ts), computed
   * where the version scores (the family's `explainImage` method).
   * @param pixels `[h, w, c]`. @param grid cells per side. @param classIndex (Default: the predicted class)
   * @throws AppError BAD_USER_INPUT for a tabular model; NOT_SUPPORTED when the family cannot be explained.
   */
  explainImage(pixels: Uint8Array | Float32Array, grid: number, classIndex?: number): Promise<OcclusionMap>;
  /**
   * Calls one of the family's own queries (`Scorer.methods`, e.g. a recommender's
   * `recommendations`) by name, where the version scores (a scoring thread or inline).
   * @param args structured-cloneable arguments. @returns the method's structured-cloneable result.
   * @throws AppError NOT_SUPPORTED for a method the version does not have; as scoring does.
   */
  query(method: string, args: unknown[]): Promise<unknown>;
  dispose(): void;
}

/** A served version's recommender: the Recommender's queries, answered where the version scores (`Scorer.methods`). */
export type ServedRecommender = {
  [K in 'recommend' | 'similarItems' | 'explainRecommendation']: (...args: Parameters<Recommender[K]>) => Promise<ReturnType<Recommender[K]>>;
};

/**
 * {@link readRows} of a long list a slice at a time, waiting for the tenant's turn of the event
 * loop between slices (src/lib/fair-turns.ts), so reading 10,000 row objects never holds other
 * tenants' requests for long (issue 10). The same values as readRows, the same refusals.
 */
async function readInTurns(rows: unknown[], pipeline: FittedPipeline, tenantId: string): Promise<Values[]> {
  const reader = rowReader(rows, pipeline);
  for (let from = 0; from < rows.length; from += SLICE_ROWS) {
    if (from > 0) await mainTurns.turn(tenantId);
    reader.read(from, Math.min(rows.length, from + SLICE_ROWS));
  }
  return reader.values;
}

/**
 * @param options when given, scoring is guarded (scoring-guard.ts): a fault fails only its call, with
 *   MODEL_NOT_READY, and `options.onFault` is told (the caller unloads the version); with
 *   `options.threads` it scores on a scoring thread (loaded there before this resolves).
 * @throws AppError BAD_USER_INPUT for a framework no family reads, or an unreadable artifact;
 *   MODEL_NOT_READY (RUNTIME_FAULT) when the version is quarantined or crashes its thread as it loads.
 */
export async function loadServedModel(stored: StoredModel & { id?: string }, batching: BatcherOptions, options?: ServeOptions): Promise<ServedModel> {
  /** Names the version in a NON_FINITE_OUTPUT message, so the log line identifies the model. */
  const withVersion = <T>(work: () => T): T => {
    try {
      return work();
    } catch (err) {
      if (err instanceof AppError && err.code === 'NON_FINITE_OUTPUT') throw new AppError(err.code, `${err.message} (model version ${stored.id ?? 'unknown'})`, err.details);
      throw err;
    }
  };
  const pipeline = readPipeline(stored.preprocessing);
  const family = familyForFramework(stored.framework);
  const costPerRow = family.costPerRow?.(stored);
  // A family that cannot tell its cost learns it from its calls (row-cost.ts); uploaded ONNX models score on their host lane, unsliced.
  const measured = costPerRow === undefined && !pipeline.onnx ? new RowCostEstimate() : undefined;
  let calibrating: Promise<unknown> | undefined;
  let scoring: Scoring;
  let measuredBytes: number | undefined;
  let inline: InlineScoring | undefined;
  if (options?.threads) {
    const onThread = threadScoring(stored, pipeline, { ...options, threads: options.threads }, measured);
    inline = onThread.inline;
    try {
      ({ measuredBytes } = await onThread.ready());
    } catch (err) {
      onThread.dispose();
      throw err;
    }
    scoring = onThread;
  } else {
    // A quarantined version is refused before it is loaded again, as on the scoring threads.
    if (options) options.quarantine?.refuse(options.versionId);
    if (options && stored.framework === ONNX_FRAMEWORK) options.backoff?.refuse(options.tenantId);
    const here = await inlineScoring(stored, pipeline, options);
    measuredBytes = here.measuredBytes;
    scoring = here;
  }
  const image = pipeline.image;
  const width = image ? image.height * image.width * image.channels : inputNames(pipeline).length;
  const batcher = new MicroBatcher((x, rows) => scoring.score(x, rows), width, batching, inline);
  const notImage = () => badInput('This model version is not an image model: use predict with rows');
  const onnxRows = () =>
    new AppError(
      'NOT_SUPPORTED',
      'This model version is an uploaded ONNX model: it takes named tensors (the infer query or the V2 REST routes) or images (predictImage), not rows',
    );
  const isImage = () => badInput('This model version is an image model: use predictImage (or explainImage) with images');
  const score = async (values: ReturnType<typeof readRows>, count: number): Promise<ScoredRows> => {
    const out = await batcher.submit(transformValues(pipeline.columns, values, count), count);
    return withVersion(() => (requireFiniteOutputs(out, count), { outputs: out, rows: count, target: pipeline.target }));
  };
  const tabular = () => {
    if (pipeline.onnx) throw onnxRows();
    if (image) throw isImage();
  };
  const scoreRows = async (rows: unknown[]) => (
    tabular(),
    score(rows.length <= SLICE_ROWS ? readRows(rows, pipeline) : await readInTurns(rows, pipeline, options?.tenantId ?? ''), rows.length)
  );
  const scoreMatrix = async (matrix: ValueMatrix) => (tabular(), score(readMatrix(matrix, pipeline), matrix.rows.length));
  const decode = (s: ScoredRows) => decodeOutputs(s.outputs, s.rows, s.target);
  const rowCost = async (): Promise<number | undefined> => {
    if (costPerRow !== undefined || image || !measured) return costPerRow;
    if (measured.perRow === undefined) {
      calibrating ??= measured.time(CALIBRATION_ROWS, async () => scoring.score(new Float32Array(width * CALIBRATION_ROWS), CALIBRATION_ROWS));
      await calibrating;
    }
    return measured.perRow;
  };
  return {
    pipeline,
    bytes: storedBytes(stored, pipeline) + (measuredBytes ?? 0),
    measuredBytes: measuredBytes ?? null,
    costPerRow,
    rowCost,
    predict: async (rows) => decode(await scoreRows(rows)),
    predictMatrix: async (matrix) => decode(await scoreMatrix(matrix)),
    scoreRows,
    scoreMatrix,
    image,
    async scoreImages(pixels, count) {
      if (!image) throw notImage();
      const out = await batcher.submit(toModelInputs(pixels, image), count);
      return withVersion(() => (requireFiniteOutputs(out, count), out));
    },
    async explainImage(pixels, grid, classIndex) {
      if (!image) throw notImage();
      requireSupport(family, 'explain');
      const fill = Array.from(toModelInputs(new Uint8Array(image.channels), image));
      const x = toModelInputs(pixels, image); // a fresh array: its buffer moves to the scoring thread
      let map: OcclusionMap;
      try {
        map = (await scoring.query('explainImage', [x, grid, fill, classIndex])) as OcclusionMap;
      } catch (err) {
        return withVersion(() => {
          throw err;
        });
      }
      return withVersion(() => (requireFiniteExplanation(map), map));
    },
    prepareExplanation(rows, baseline) {
      if (image) throw isImage();
      requireSupport(family, 'explain');
      const values = readRows(rows, pipeline);
      const base = baselineValues(pipeline, baseline);
      return async (opts, signal) => {
        let result: Explanations;
        try {
          // Rows per scoring call: slices of about SCORING_SLICE_WORK on a scoring thread, so other tenants' calls run between them.
          const evaluations = evaluationsPerRow(pipeline.columns.length, opts) + tokenEvaluationsPerRow(pipeline);
          const cost = await rowCost();
          const perCall = options?.threads ? sliceRows(cost && cost * evaluations, options.sliceWork) : Infinity;
          result = await explainInSlices(values, rows.length, perCall, (part, n) => scoring.explain(part, n, base.values, opts), signal);
        } catch (err) {
          return withVersion(() => {
            throw err;
          });
        }
        return withVersion(() => {
          requireFiniteExplanation(result);
          return { ...result, baseline: base.row };
        });
      };
    },
    recommender() {
      requireSupport(family, 'recommend');
      const call = <T>(method: string, args: unknown[]) => scoring.query(method, args) as Promise<T>;
      return {
        recommend: (userId, k, excludeRated, strategy) => call('recommendations', [userId, k, excludeRated, strategy]),
        similarItems: (itemId, k) => call('similarItems', [itemId, k]),
        explainRecommendation: (userId, itemId, k, byRatings) => call('explainRecommendation', [userId, itemId, k, byRatings]),
      };
    },
    query: (method, args) => scoring.query(method, args),
    dispose: () => scoring.dispose(),
  };
}

/**
 * Explains `count` rows (column-major `values`) in calls of at most `perCall` rows, one after
 * another; each row's explanation depends on that row alone (a fixed seed per row), so the answer
 * is the one a single call gives.
 * @param signal aborted when the client is gone: no further slice is sent.
 * @throws AppError INVALID_STATE (reason CLIENT_GONE) when `signal` aborted before a slice.
 */
async function explainInSlices(
  values: Values[],
  count: number,
  perCall: number,
  explain: (part: Values[], n: number) => Explanations | Promise<Explanations>,
  signal?: AbortSignal,
): Promise<Explanations> {
  const stopIfGone = (done: number) => {
    if (signal?.aborted) throw new AppError('INVALID_STATE', `The client closed the request: the explanation stopped after ${done} of ${count} rows`, { reason: 'CLIENT_GONE' });
  };
  stopIfGone(0);
  if (count <= perCall) return explain(values, count);
  let merged: Explanations | undefined;
  for (let start = 0; start < count; start += perCall) {
    stopIfGone(start);
    const n = Math.min(perCall, count - start);
    const part = await explain(
      values.map((column) => column.slice(start, start + n) as Values),
      n,
    );
    merged = merged ? { ...merged, explanations: [...merged.explanations, ...part.explanations] } : part;
  }
  return merged!;
}
