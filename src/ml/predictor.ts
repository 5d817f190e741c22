/**
 * Serving any stored model version: the version's pipeline turns raw rows into model inputs, its
 * model (a TF.js network or stored trees) scores them, and the outputs are decoded into labels,
 * probabilities or values. Training evaluates through the same scorers.
 */
import { badInput } from '../lib/errors';
import { loadArtifact } from './artifact';
import { decodeOutputs, runNetwork, type Prediction } from './predict';
import { transformValues } from './preprocess/fit';
import { readRows } from './preprocess/read-rows';
import { readPipeline } from './preprocess/stored';
import { inputNames, type FittedPipeline } from './preprocess/types';
import type { ModelKind } from './spec';
import type { tf } from './tf';
import { scoreTrees, type TreeArtifact } from './trees/artifact';

/** The version's `framework` for each model kind. */
export const FRAMEWORK: Record<ModelKind, string> = {
  neural_network: 'tfjs-layers',
  decision_tree: 'decision-tree',
  random_forest: 'random-forest',
};

/** A model that maps model inputs to outputs (see scoreTrees for the output layout). */
export interface Scorer {
  /** @param x row-major [rows, inputs]. @returns row-major [rows, outputs]. */
  score(x: Float32Array, rows: number): Float32Array;
  /** Frees the model when the scorer owns it. */
  dispose(): void;
}

/**
 * @param pipeline the version's pipeline: its input count, and the target scale to undo.
 * @param owned whether dispose() disposes the model (false for a cached model).
 */
export function networkScorer(model: tf.LayersModel, pipeline: FittedPipeline, owned = false): Scorer {
  const inputs = inputNames(pipeline).length;
  const scale = pipeline.target.scale;
  return {
    score: (x, rows) => {
      const out = runNetwork(model, x, rows, inputs);
      return scale ? out.map((v) => v * scale.std + scale.mean) : out;
    },
    dispose: () => owned && model.dispose(),
  };
}

export function treeScorer(topology: unknown): Scorer {
  const artifact = topology as TreeArtifact;
  return { score: (x, rows) => scoreTrees(artifact, x, rows), dispose: () => undefined };
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

/** A stored model version's columns, as the registry keeps them. */
export interface StoredModel {
  framework: string;
  topology: unknown;
  weights: Uint8Array;
  preprocessing: unknown;
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

/** Builds the scorer of a stored version; the caller disposes it. */
export async function loadScorer(stored: StoredModel): Promise<Scorer> {
  if (stored.framework === FRAMEWORK.neural_network) {
    const weights = Buffer.from(stored.weights);
    const model = await loadArtifact({ topology: stored.topology as Record<string, unknown>, weights });
    return networkScorer(model, readPipeline(stored.preprocessing), true);
  }
  if (stored.framework === FRAMEWORK.decision_tree || stored.framework === FRAMEWORK.random_forest) return treeScorer(stored.topology);
  throw badInput(`Model framework '${stored.framework}' cannot be served`);
}

/**
 * Loads a stored version for predictions, whatever its framework. The caller disposes it (or a
 * cache does: it has the `bytes` and `dispose()` the serving ModelCache expects).
 * @throws AppError BAD_USER_INPUT for a framework this service cannot serve.
 */
export async function loadPredictor(stored: StoredModel): Promise<Predictor> {
  const pipeline = readPipeline(stored.preprocessing);
  const scorer = await loadScorer(stored);
  const bytes = stored.weights.byteLength + JSON.stringify(stored.topology).length + JSON.stringify(pipeline).length;
  return { framework: stored.framework, pipeline, bytes, predict: (rows) => predictRows(scorer, pipeline, rows), dispose: () => scorer.dispose() };
}
