/**
 * Serving any stored model version: the version's pipeline turns raw rows into model inputs, the
 * family that wrote the artifact (src/ml/families/registry.ts) loads its scorer, and the outputs are
 * decoded into labels, probabilities or values. Training evaluates through the same scorers.
 */
import type { Scorer, StoredArtifact } from './families/model-family';
import { familyForFramework, requireSupport } from './families/registry';
import { decodeOutputs, type Prediction } from './predict';
import { transformValues } from './preprocess/fit';
import { readRows } from './preprocess/read-rows';
import { readPipeline } from './preprocess/stored';
import type { FittedPipeline } from './preprocess/types';

export type { Scorer } from './families/model-family';

/** A stored model version's columns, as the registry keeps them. */
export interface StoredModel extends StoredArtifact {
  preprocessing: unknown;
}

/**
 * Raw rows (keyed like the training CSV's columns) -> predictions, through the fitted pipeline.
 * @throws AppError BAD_USER_INPUT for unreadable rows (see readRows).
 */
export function predictRows(scorer: Scorer, pipeline: FittedPipeline, rows: unknown[]): Prediction[] {
  const values = readRows(rows, pipeline);
  const x = transformValues(pipeline.columns, values, rows.length);
  return decodeOutputs(scorer.score(x, rows.length), rows.length, pipeline.target);
}

export interface Predictor {
  framework: string;
  pipeline: FittedPipeline;
  /** Approximate memory held, bytes (weights + topology + pipeline JSON), for a bounded cache. */
  bytes: number;
  /** @throws AppError BAD_USER_INPUT for unreadable rows. */
  predict(rows: unknown[]): Prediction[];
  dispose(): void;
}

/**
 * Builds the scorer of a stored version, through the family that reads its framework; the caller
 * disposes it.
 * @throws AppError BAD_USER_INPUT for a framework no family reads, or an unreadable artifact.
 */
export async function loadScorer(stored: StoredModel): Promise<Scorer> {
  return familyForFramework(stored.framework).load(stored, readPipeline(stored.preprocessing));
}

/** Approximate memory a loaded version holds, bytes (weights + topology + pipeline JSON). */
export function storedBytes(stored: StoredModel, pipeline: FittedPipeline): number {
  return stored.weights.byteLength + JSON.stringify(stored.topology).length + JSON.stringify(pipeline).length;
}

/**
 * Loads a stored version for predictions, whatever its family.
 * @param use a use to check the family supports first (batch prediction jobs pass 'batchPredict'). The caller disposes it (or a
 * cache does: it has the `bytes` and `dispose()` the serving ModelCache expects).
 * @throws AppError BAD_USER_INPUT for a framework this service cannot serve; NOT_SUPPORTED when
 *   the family does not support `use`.
 */
export async function loadPredictor(stored: StoredModel, use?: 'batchPredict'): Promise<Predictor> {
  const pipeline = readPipeline(stored.preprocessing);
  const family = familyForFramework(stored.framework);
  if (use) requireSupport(family, use);
  const scorer = await family.load(stored, pipeline);
  return { framework: stored.framework, pipeline, bytes: storedBytes(stored, pipeline), predict: (rows) => predictRows(scorer, pipeline, rows), dispose: () => scorer.dispose() };
}
