/**
 * A model version ready to serve in this process: its fitted pipeline, its scorer (loaded by the
 * family that wrote it, src/ml/families/registry.ts) and the micro-batcher in front of the scorer.
 * Held by the ModelCache.
 */
import { familyForFramework, requireSupport } from '../../ml/families/registry';
import type { Recommender } from '../../ml/families/recommender';
import { storedBytes, type StoredModel } from '../../ml/predictor';
import { explainValues, type ExplainOptions, type Explanations } from '../../ml/explain';
import { decodeOutputs, requireFiniteOutputs, type Prediction } from '../../ml/predict';
import { baselineValues } from '../../ml/preprocess/baseline';
import { transformValues } from '../../ml/preprocess/fit';
import { readMatrix, readRows, type ValueMatrix } from '../../ml/preprocess/read-rows';
import { readPipeline } from '../../ml/preprocess/stored';
import { inputNames, type FittedPipeline } from '../../ml/preprocess/types';
import { MicroBatcher, type BatcherOptions } from './batcher';
import { AppError, badInput } from '../../lib/errors';
import { toModelInputs, type ImageInput } from '../../ml/images/normalize';
import { occlusionMap, type OcclusionMap } from '../../ml/images/occlusion';
import { guardScorer, type OnScoringFault } from './scoring-guard';

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
  /** Approximate memory held, bytes (weights + topology + pipeline). */
  bytes: number;
  /**
   * Raw rows (keyed like the training CSV) -> predictions; rows are validated before they join a
   * batch. @throws AppError BAD_USER_INPUT naming the bad row and column.
   */
  predict(rows: unknown[]): Promise<Prediction[]>;
  /** The same for bulk rows given as columns + value lists, read without building row objects. */
  predictMatrix(matrix: ValueMatrix): Promise<Prediction[]>;
  /**
   * Reads rows and a baseline for an explanation (see src/ml/explain.ts), and returns the function
   * that explains them, scoring outside the micro-batcher (an explanation is a large batch itself).
   * @param baseline the caller's baseline values (others: each feature's typical training value).
   * @throws AppError BAD_USER_INPUT naming the bad row, baseline value or column (before any work);
   *   NOT_SUPPORTED when the version's family cannot be explained.
   */
  prepareExplanation(rows: unknown[], baseline: Record<string, unknown> | null): (options: ExplainOptions) => Explanations & { baseline: Record<string, number | string | null> };
  /**
   * The version's recommender (plain data in and out: src/ml/families/recommender.ts).
   * @throws AppError NOT_SUPPORTED when the version's family is no recommender.
   */
  recommender(): Recommender;
  /** Image models: the input shape and normalisation (absent for tabular models). */
  image?: ImageInput;
  /**
   * Image models: decoded pixels → class probabilities, through the micro-batcher.
   * @param pixels `[count, h, w, c]` uint8 (or 0-255 numbers), already checked against `image`.
   * @returns `[count, classes]` probabilities. @throws AppError BAD_USER_INPUT for a tabular model.
   */
  scoreImages(pixels: Uint8Array | Float32Array, count: number): Promise<Float32Array>;
  /**
   * Image models: an occlusion saliency map of one image (src/ml/images/occlusion.ts).
   * @param pixels `[h, w, c]`. @param grid cells per side. @param classIndex (Default: the predicted class)
   * @throws AppError BAD_USER_INPUT for a tabular model; NOT_SUPPORTED when the family cannot be explained.
   */
  explainImage(pixels: Uint8Array | Float32Array, grid: number, classIndex?: number): OcclusionMap;
  dispose(): void;
}

/**
 * @param fault when given, scoring is guarded (scoring-guard.ts): a fault fails only its call, with
 *   MODEL_NOT_READY, and `fault.onFault` is told (the caller unloads the version).
 * @throws AppError BAD_USER_INPUT for a framework no family reads, or an unreadable artifact.
 */
export async function loadServedModel(
  stored: StoredModel & { id?: string },
  batching: BatcherOptions,
  fault?: { versionId: string; onFault: OnScoringFault },
): Promise<ServedModel> {
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
  const loaded = await family.load(stored, pipeline);
  const scorer = fault ? guardScorer(loaded, fault.versionId, fault.onFault) : loaded;
  const image = pipeline.image;
  const width = image ? image.height * image.width * image.channels : inputNames(pipeline).length;
  const batcher = new MicroBatcher((x, rows) => scorer.score(x, rows), width, batching);
  const notImage = () => badInput('This model version is not an image model: use predict with rows');
  const isImage = () => badInput('This model version is an image model: use predictImage (or explainImage) with images');
  const score = async (values: ReturnType<typeof readRows>, count: number) => {
    const out = await batcher.submit(transformValues(pipeline.columns, values, count), count);
    return withVersion(() => decodeOutputs(out, count, pipeline.target));
  };
  return {
    pipeline,
    bytes: storedBytes(stored, pipeline),
    predict: async (rows) => {
      if (image) throw isImage();
      return score(readRows(rows, pipeline), rows.length);
    },
    predictMatrix: async (matrix) => {
      if (image) throw isImage();
      return score(readMatrix(matrix, pipeline), matrix.rows.length);
    },
    image,
    async scoreImages(pixels, count) {
      if (!image) throw notImage();
      const out = await batcher.submit(toModelInputs(pixels, image), count);
      return withVersion(() => (requireFiniteOutputs(out, count), out));
    },
    explainImage(pixels, grid, classIndex) {
      if (!image) throw notImage();
      requireSupport(family, 'explain');
      const zero = toModelInputs(new Uint8Array(image.channels), image);
      return withVersion(() => {
        const map = occlusionMap(scorer, toModelInputs(pixels, image), [image.height, image.width, image.channels], grid, Array.from(zero), classIndex);
        requireFiniteExplanation(map);
        return map;
      });
    },
    prepareExplanation(rows, baseline) {
      if (image) throw isImage();
      requireSupport(family, 'explain');
      const values = readRows(rows, pipeline);
      const base = baselineValues(pipeline, baseline);
      return (options) =>
        withVersion(() => {
          const result = explainValues(scorer, pipeline, values, rows.length, base.values, options);
          requireFiniteExplanation(result);
          return { ...result, baseline: base.row };
        });
    },
    recommender() {
      requireSupport(family, 'recommend');
      if (!loaded.recommender) throw new AppError('NOT_SUPPORTED', `This ${family.kind.toUpperCase()} version has no recommender`);
      return loaded.recommender;
    },
    dispose: () => scorer.dispose(),
  };
}
