/**
 * Versions stored before the histogram learner (src/ml/trees/hist): their trees, and scoring with
 * them, so those versions keep loading and predicting. They were trained by mljs (ml-cart: CART with
 * Gini gain for classification, squared error for regression; ml-random-forest: bagging over rows
 * plus a per-tree random subset of the inputs). The version keeps each tree as ml-cart's own JSON
 * (`splitColumn`, `splitValue`, `left`, `right`, leaf `distribution`), without the options ml-cart
 * repeats in every node, in the `topology` column; `weights` stays empty.
 *
 * Scoring follows ml-cart's rule (`x[splitColumn] < splitValue` goes left). A classifier's
 * probabilities are the leaf's class frequencies, averaged over the trees of a forest (as
 * scikit-learn's predict_proba); a regressor predicts the leaf mean, averaged over the trees.
 */
import type { Task } from '../spec-types';

/** The frameworks these versions were stored under. */
export const LEGACY_TREE_FRAMEWORKS = ['decision-tree', 'random-forest'] as const;

export interface TreeNode {
  splitColumn?: number;
  splitValue?: number;
  left?: TreeNode;
  right?: TreeNode;
  /** Leaf: class frequencies [[p0, p1, …]] (classification) or the mean value (regression). */
  distribution?: number[][] | number;
}

export interface LegacyTreeArtifact {
  kind: 'decision_tree' | 'random_forest';
  task: Task;
  /** Classification: number of classes (a leaf's distribution may list fewer). */
  classCount?: number;
  /** Number of model inputs the trees take. */
  inputs: number;
  trees: {
    root: TreeNode;
    /** Model-input index of each column the tree was trained on (all inputs for a single tree). */
    columns: number[];
  }[];
  /** Library options used, for the record. */
  options: Record<string, unknown>;
}

function leaf(root: TreeNode, x: Float32Array, offset: number, columns: number[]): TreeNode {
  let node = root;
  while (node.left && node.right) node = x[offset + columns[node.splitColumn!]] < node.splitValue! ? node.left : node.right;
  return node;
}

/** Whether a stored topology is one of these (the new format carries `format`). */
export function isLegacyTrees(topology: unknown): topology is LegacyTreeArtifact {
  const t = topology as Partial<LegacyTreeArtifact> | null;
  return !!t && typeof t === 'object' && !('format' in t) && Array.isArray(t.trees) && typeof t.inputs === 'number' && typeof t.task === 'string';
}

/**
 * Scores model inputs with stored trees.
 * @param x row-major [rows, inputs].
 * @returns row-major [rows, outputs]: P(classes[1]) for binary (1 output), class probabilities for
 *   multiclass (classCount outputs), the value for regression (1 output) — the same layout as a network.
 */
export function scoreLegacyTrees(a: LegacyTreeArtifact, x: Float32Array, rows: number): Float32Array {
  const k = a.task === 'regression' ? 0 : a.classCount!;
  const units = a.task === 'multiclass' ? k : 1;
  const out = new Float32Array(rows * units);
  const probs = new Float64Array(Math.max(k, 1));
  for (let i = 0; i < rows; i++) {
    probs.fill(0);
    let value = 0;
    for (const tree of a.trees) {
      const d = leaf(tree.root, x, i * a.inputs, tree.columns).distribution!;
      if (typeof d === 'number') value += d;
      else d[0].forEach((p, c) => (probs[c] += p));
    }
    const n = a.trees.length;
    if (a.task === 'regression') out[i] = value / n;
    else if (a.task === 'binary') out[i] = probs[1] / n;
    else for (let c = 0; c < k; c++) out[i * k + c] = probs[c] / n;
  }
  return out;
}
