/**
 * Feature importances of trees: mean decrease in impurity (scikit-learn's `feature_importances_`),
 * Gini impurity for classification and variance for regression, weighted by the rows reaching each
 * node. Rows are the training split passed down each tree (scikit-learn uses each tree's bootstrap
 * sample instead). Per-tree importances are normalised to sum to 1, then averaged over the forest.
 */
import type { TreeArtifact, TreeNode } from './artifact';

function impurity(rows: number[], y: Float32Array, classCount: number): number {
  const n = rows.length;
  if (n === 0) return 0;
  if (classCount === 0) {
    let mean = 0;
    for (const i of rows) mean += y[i] / n;
    let ss = 0;
    for (const i of rows) ss += (y[i] - mean) ** 2;
    return ss / n;
  }
  const counts = new Float64Array(classCount);
  for (const i of rows) counts[y[i]]++;
  let sum = 0;
  for (const c of counts) sum += (c / n) ** 2;
  return 1 - sum;
}

/**
 * @param x training inputs, row-major [rows, inputs]; y their labels (class index or value).
 * @returns one importance per model input, summing to 1 (all zero when no tree splits).
 */
export function treeImportances(a: TreeArtifact, x: Float32Array, y: Float32Array, rows: number): number[] {
  const k = a.task === 'regression' ? 0 : a.classCount!;
  const total = new Float64Array(a.inputs);
  const all = Array.from({ length: rows }, (_, i) => i);
  for (const tree of a.trees) {
    const imp = new Float64Array(a.inputs);
    const visit = (node: TreeNode, idx: number[]) => {
      if (!node.left || !node.right || idx.length === 0) return;
      const col = tree.columns[node.splitColumn!];
      const left: number[] = [];
      const right: number[] = [];
      for (const i of idx) (x[i * a.inputs + col] < node.splitValue! ? left : right).push(i);
      imp[col] += idx.length * impurity(idx, y, k) - left.length * impurity(left, y, k) - right.length * impurity(right, y, k);
      visit(node.left, left);
      visit(node.right, right);
    };
    visit(tree.root, all);
    const sum = imp.reduce((s, v) => s + v, 0);
    if (sum > 0) imp.forEach((v, j) => (total[j] += v / sum));
  }
  const sum = total.reduce((s, v) => s + v, 0);
  return Array.from(total, (v) => (sum > 0 ? v / sum : 0));
}
