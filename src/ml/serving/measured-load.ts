/**
 * Loading a model version with what it really holds measured, for the model cache's budget
 * (src/modules/serving/model-cache.ts): the family's own figure when it measures one (an uploaded
 * ONNX model: its host's RSS growth, onnx/host/protocol.ts `LoadedInHost`), else the growth of
 * TF.js' tensor memory (`tf.memory().numBytes`) while the model loaded: a TF.js network's or CNN's
 * weights as tensors, exact to the byte for what lives in tensors (not the layers' JS objects); a
 * load on the same thread overlapping it would be counted too (loads of one version share one
 * load; two different versions loading at once on one scoring thread is the rare case). Tree
 * models hold no tensors and are not measured.
 */
import type { Scorer } from '../families/model-family';
import { familyForFramework } from '../families/registry';
import type { StoredModel } from '../predictor';
import type { FittedPipeline } from '../preprocess/types';
import { tf } from '../tf';

/** A loaded scorer and what loading it measured (undefined: not measured). */
export interface MeasuredScorer {
  scorer: Scorer;
  measuredBytes: number | undefined;
}

/**
 * Loads `stored` through its family, measuring what it holds.
 * @throws as the family's `load` throws.
 */
export async function loadMeasured(stored: StoredModel, pipeline: FittedPipeline): Promise<MeasuredScorer> {
  const before = tf.memory().numBytes;
  const scorer = await familyForFramework(stored.framework).load(stored, pipeline);
  if (scorer.measuredBytes !== undefined) return { scorer, measuredBytes: scorer.measuredBytes };
  const grown = tf.memory().numBytes - before;
  return { scorer, measuredBytes: grown > 0 ? grown : undefined };
}
