/** Scoring with a TF.js network: one batch, outputs rescaled to the target's units. */
import type { FittedPipeline } from '../../preprocess/types';
import { inputNames } from '../../preprocess/types';
import { tf } from '../../tf';
import type { InlineScorer, Scorer, StoredArtifact } from '../model-family';
import { outputUnits, shapedScorer } from '../scorer';
import { buildJsNetwork } from './js-scorer';

/**
 * Runs the network on already-transformed features, as one batch: Keras' default batch of 32 makes
 * TF.js slice the input per batch, and on the WASM backend each slice reads the whole input back,
 * so the cost grew with the square of the rows (3,200 rows of 400 inputs: 1.7 s instead of 34 ms).
 * Callers bound `rows` (the micro-batcher, predict's row limit, explain's chunks).
 * @param x row-major [rows, features].
 * @returns row-major [rows, outputs] (sigmoid/softmax probabilities or regression values).
 */
export function runNetwork(model: tf.LayersModel, x: Float32Array, rows: number, features: number): Float32Array {
  if (rows === 0) return new Float32Array(0);
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(x, [rows, features]), { batchSize: rows }) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

/**
 * @param pipeline the version's pipeline: its input count, and the target scale to undo.
 * @param owned whether dispose() disposes the model (and its optimizer).
 */
export function networkScorer(model: tf.LayersModel, pipeline: FittedPipeline, owned: boolean): Scorer {
  const inputs = inputNames(pipeline).length;
  return shapedScorer(
    [inputs],
    [outputUnits(pipeline.target)],
    (x, rows) => unscale(runNetwork(model, x, rows, inputs), pipeline),
    () => {
      if (!owned) return;
      // LayersModel.dispose() leaves the optimizer's slots (e.g. Adam's moments) alive.
      model.optimizer?.dispose();
      model.dispose();
    },
  );
}

/** The network's outputs in the target's units: a regression target scaled for training is scaled back. */
function unscale(out: Float32Array, pipeline: FittedPipeline): Float32Array {
  const scale = pipeline.target.scale;
  return scale ? out.map((v) => v * scale.std + scale.mean) : out;
}

/**
 * The stored network as a plain-JavaScript scorer (./js-scorer.ts), scoring as {@link networkScorer}
 * does within float32 rounding.
 * @returns undefined when the artifact holds a layer, activation or weight format the JS pass does
 *   not compute, or its outputs do not match the pipeline's target.
 */
export function networkInlineScorer(stored: StoredArtifact, pipeline: FittedPipeline): InlineScorer | undefined {
  const inputs = inputNames(pipeline).length;
  const outputs = outputUnits(pipeline.target);
  const network = buildJsNetwork(stored, inputs);
  if (!network || network.outputs !== outputs) return undefined;
  const scorer = shapedScorer([inputs], [outputs], (x, rows) => unscale(network.run(x, rows), pipeline));
  return { ...scorer, macsPerRow: network.macsPerRow };
}
