/**
 * Histogram-learner trees (../trees/hist) as one `ai.onnx.ml` TreeEnsembleRegressor (opset 3):
 * BRANCH_LEQ nodes (`x <= threshold` goes to the true = left child), missing values following
 * each node's learned direction (`nodes_missing_value_tracks_true`), thresholds, leaf values and
 * base values as float64 tensors so onnxruntime compares and sums in double, as `scoreHist` does.
 * - decision tree / random forest: targets = the leaf width (class frequencies or the mean),
 *   aggregated by AVERAGE: class probabilities or the regression value directly;
 * - gradient boosting: SUM of the raw scores plus the base score, one target per boosted output
 *   (tree t serves output t % K); the link (sigmoid, softmax) follows as ONNX ops.
 * A regressor rather than TreeEnsembleClassifier: its outputs are plain tensors in our scorer's
 * layout (a classifier's binary case and ZipMap outputs differ between runtimes).
 */
import type { HistModel } from '../trees/hist';
import { leafWidth, outputsOf } from '../trees/hist/model';
import type { OnnxGraph } from './onnx-graph';

/**
 * Adds the ensemble and its link to `g`.
 * @param input model inputs, float32 `[batch, inputs]`.
 * @returns the scorer's outputs' name, float32 `[batch, units]`: P(class 1) `[batch, 1]` for
 *   binary, class probabilities `[batch, K]`, or the regression value `[batch, 1]`.
 */
export function treesInGraph(g: OnnxGraph, m: HistModel, input: string): string {
  const boosting = m.kind === 'gradient_boosting';
  const width = boosting ? outputsOf(m) : leafWidth(m);
  const outputs = outputsOf(m);
  const n = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    features: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    missingTrue: [] as number[],
  };
  const t = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] };
  m.trees.forEach((tree, ti) => {
    for (let j = 0; j < tree.feature.length; j++) {
      const leaf = tree.feature[j] < 0;
      n.treeIds.push(ti);
      n.nodeIds.push(j);
      n.features.push(leaf ? 0 : tree.feature[j]);
      n.modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      n.values.push(leaf ? 0 : tree.threshold[j]);
      n.trueIds.push(leaf ? 0 : tree.left[j]);
      n.falseIds.push(leaf ? 0 : tree.right[j]);
      n.missingTrue.push(leaf ? 0 : tree.missingLeft[j]);
      if (!leaf) continue;
      const w = leafWidth(m);
      for (let c = 0; c < w; c++) {
        t.treeIds.push(ti);
        t.nodeIds.push(j);
        t.ids.push(boosting ? ti % outputs : c);
        t.weights.push(tree.value[j * w + c]);
      }
    }
  });
  // onnxruntime reads float64 tensor attributes only for a float64 input (then it compares and sums in double).
  const x64 = g.node('Cast', [input], { to: { i: 11 } });
  let v = g.node(
    'TreeEnsembleRegressor',
    [x64],
    {
      n_targets: { i: width },
      aggregate_function: { s: boosting ? 'SUM' : 'AVERAGE' },
      post_transform: { s: 'NONE' },
      nodes_treeids: { ints: n.treeIds },
      nodes_nodeids: { ints: n.nodeIds },
      nodes_featureids: { ints: n.features },
      nodes_modes: { strings: n.modes },
      nodes_values_as_tensor: { doubles: n.values },
      nodes_truenodeids: { ints: n.trueIds },
      nodes_falsenodeids: { ints: n.falseIds },
      nodes_missing_value_tracks_true: { ints: n.missingTrue },
      target_treeids: { ints: t.treeIds },
      target_nodeids: { ints: t.nodeIds },
      target_ids: { ints: t.ids },
      target_weights_as_tensor: { doubles: t.weights },
      ...(boosting ? { base_values_as_tensor: { doubles: m.baseScore } } : {}),
    },
    1,
    'ai.onnx.ml',
  );
  if (boosting && m.task === 'binary') v = g.node('Sigmoid', [v]);
  if (boosting && m.task === 'multiclass') v = g.node('Softmax', [v], { axis: { i: -1 } });
  // Forests: P(class 1) is the second of the two class frequencies.
  if (!boosting && m.task === 'binary') v = g.node('Gather', [v, g.ints([1], [1])], { axis: { i: 1 } });
  return v;
}
