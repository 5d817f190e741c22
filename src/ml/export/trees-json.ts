/**
 * The documented JSON of a tree version (`maas-trees/1`, described in docs/export.md): every tree
 * as node arrays, and how to combine them into the scorer's outputs.
 */
import { AppError } from '../../lib/errors';
import type { StoredArtifact } from '../families/model-family';
import { inputNames, type FittedPipeline } from '../preprocess/types';
import { decodeHistModel } from '../trees/hist';
import { leafWidth } from '../trees/hist/model';
import { isLegacyTrees } from '../trees/legacy';

/** Format name and version written in the document's `format`. */
export const TREES_JSON_FORMAT = 'maas-trees/1';

/**
 * @returns the JSON document (see docs/export.md for every field).
 * @throws AppError NOT_SUPPORTED for a tree version stored by the earlier learner; BAD_USER_INPUT
 *   for an unreadable artifact.
 */
export function treesJson(stored: StoredArtifact, pipeline: FittedPipeline): Record<string, unknown> {
  if (isLegacyTrees(stored.topology)) throw new AppError('NOT_SUPPORTED', 'Export is not available for tree versions stored by the earlier learner (retrain the model)');
  const m = decodeHistModel(stored.topology, stored.weights);
  const boosting = m.kind === 'gradient_boosting';
  return {
    format: TREES_JSON_FORMAT,
    kind: m.kind,
    task: m.task,
    ...(m.classCount !== undefined ? { classCount: m.classCount, classes: pipeline.target.classes } : {}),
    inputs: inputNames(pipeline),
    combine: boosting ? 'sum' : 'average',
    link: !boosting || m.task === 'regression' ? 'identity' : m.task === 'binary' ? 'sigmoid' : 'softmax',
    baseScore: m.baseScore,
    leafWidth: leafWidth(m),
    ...(m.learningRate !== undefined ? { learningRate: m.learningRate } : {}),
    trees: m.trees.map((t) => ({
      feature: Array.from(t.feature),
      // JSON has no Infinity: a threshold every present value passes is written as null.
      threshold: Array.from(t.threshold, (v) => (Number.isFinite(v) ? v : null)),
      missingLeft: Array.from(t.missingLeft, (v) => v === 1),
      left: Array.from(t.left),
      right: Array.from(t.right),
      value: Array.from(t.value),
    })),
  };
}
