/**
 * What tree growth takes and gives (settings, the rows of one tree, the grown tree), and walking
 * a training row down a grown tree by its bins. The grower itself is in ./grow.ts.
 */
import type { BinnedData } from './bin';
import type { HistTree } from './tree';

export interface GrowSettings {
  /** 'grad': gradient/hessian statistics; 'class': class counts (Gini). */
  mode: 'grad' | 'class';
  /** Class mode: number of classes. */
  classes: number;
  maxDepth: number;
  maxLeafNodes: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  /** Grad mode: a child needs this much hessian. */
  minHessian: number;
  /** Grad mode: λ; leaf value = −G/(H+λ) · leafScale. */
  lambda: number;
  leafScale: number;
  /** Inputs evaluated per split (inputs constant in the node do not count), >= 1. */
  featuresPerSplit: number;
}

export interface GrowRows {
  /** Rows of this tree, ascending, each once; partitioned in place by node. */
  idx: Int32Array;
  /** Grad mode: per training row (indexed by row number). */
  g?: Float64Array;
  h?: Float64Array;
  /** Class mode: class index per training row. */
  y?: Uint16Array;
  /** Class mode: weight per training row (bootstrap multiplicity; 1 without). Grad mode: fold it into g and h. */
  w?: Float64Array;
  /** Grad mode: no row repeats, so histograms may read inputs' sparse rows (see buildGradHistogram). */
  unique?: boolean;
}

export interface GrownTree {
  tree: HistTree;
  /** Per node: the bin split on (routes binned rows, see leafOfBinned). */
  nodeBin: Int32Array;
  /** Leaves as [node, start, end) triples into the partitioned idx. */
  leaves: number[];
}

/** Leaf reached by training row `row` through its bins (nodeBin from GrownTree). */
export function leafOfBinned(t: HistTree, nodeBin: Int32Array, d: BinnedData, row: number): number {
  const { feature, missingLeft, left, right } = t;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const c = d.codes[f * d.rows + row];
    node = (c === d.nonMissing[f] ? missingLeft[node] === 1 : c <= nodeBin[node]) ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}

/** Inputs drawn per split for a fraction of them: floor(fraction · inputs), at least 1 (tolerates 10/105·105 = 9.999…). */
export const featuresPerSplit = (fraction: number, inputs: number) => Math.max(1, Math.floor(fraction * inputs + 1e-9));
