/**
 * Trains a decision tree (ml-cart) or a random forest (ml-random-forest) on prepared data.
 * Option mapping from the spec (scikit-learn names): maxDepth -> maxDepth, minSamplesSplit ->
 * minNumSamples = minSamplesSplit - 1 (ml-cart makes a leaf of a node with at most that many
 * rows), nEstimators -> nEstimators, maxFeatures -> maxFeatures (a fraction of the inputs, drawn
 * per tree without replacement), seed -> seed; rows are bootstrapped per tree.
 */
import { DecisionTreeClassifier, DecisionTreeRegression } from 'ml-cart';
import { RandomForestClassifier, RandomForestRegression } from 'ml-random-forest';
import { badInput } from '../../lib/errors';
import type { PreparedData } from '../prepare';
import type { TrainingSpec } from '../spec';
import { compactNode, type TreeArtifact } from './artifact';

/**
 * ml-cart tries every split point of every input at every node: time grows with rows² · inputs.
 * This bound on rows² · inputs · trees keeps a run near a minute on one core (measured here: a
 * 50-tree forest on 614 rows × 8 inputs, 1.5e8, takes ~3 s; 5e9 took 76 s).
 */
export const MAX_TREE_WORK = 5e9;

/** ml-cart's nodes as plain JSON (leaf distributions are ml-matrix objects until serialised). */
const asJson = (node: unknown) => compactNode(JSON.parse(JSON.stringify(node)) as Record<string, unknown>);

function matrix(x: Float32Array, rows: number, inputs: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * inputs, (i + 1) * inputs)));
}

/**
 * @throws AppError BAD_USER_INPUT when the data is too large for the tree library (see MAX_TREE_WORK).
 */
export function trainTrees(data: PreparedData, spec: TrainingSpec): TreeArtifact {
  const tree = spec.tree!;
  const task = data.pipeline.target.task;
  const classifier = task !== 'regression';
  const inputs = data.inputNames.length;
  const rows = data.train.rows;
  const trees = spec.model === 'random_forest' ? tree.nEstimators : 1;
  const work = rows * rows * inputs * trees;
  if (work > MAX_TREE_WORK) {
    throw badInput(`${spec.model.toUpperCase()} on ${rows} training rows × ${inputs} inputs × ${trees} tree(s) is too large for the tree library (rows² · inputs · trees must stay under ${MAX_TREE_WORK.toExponential(0)}); sample fewer rows or use a neural network`);
  }
  const x = matrix(data.train.x, rows, inputs);
  const y = Array.from(data.train.y);
  const treeOptions = { minNumSamples: tree.minSamplesSplit - 1, maxDepth: tree.maxDepth };
  const base = { kind: spec.model as TreeArtifact['kind'], task, inputs, ...(classifier ? { classCount: data.outputUnits > 1 ? data.outputUnits : 2 } : {}) };
  if (spec.model === 'decision_tree') {
    const model = classifier ? new DecisionTreeClassifier(treeOptions) : new DecisionTreeRegression(treeOptions);
    model.train(x, y);
    const json = model.toJSON();
    return { ...base, trees: [{ root: asJson(json.root), columns: x[0].map((_, j) => j) }], options: json.options as Record<string, unknown> };
  }
  // At least one input per tree: ml-random-forest takes floor(inputs · maxFeatures).
  const maxFeatures = Math.min(1, Math.max(tree.maxFeatures, 1.000001 / inputs));
  const options = { nEstimators: trees, maxFeatures, replacement: false, seed: spec.seed, useSampleBagging: true, noOOB: true, treeOptions };
  const forest = classifier ? new RandomForestClassifier(options) : new RandomForestRegression(options);
  forest.train(x, y);
  const json = forest.toJSON() as unknown as { baseModel: { estimators: { root: Record<string, unknown> }[]; indexes: number[][] } };
  return {
    ...base,
    trees: json.baseModel.estimators.map((e, t) => ({ root: asJson(e.root), columns: json.baseModel.indexes[t] })),
    options: { ...options, treeOptions },
  };
}
