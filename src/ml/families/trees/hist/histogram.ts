/**
 * Per-node histograms over binned inputs (Ke et al. 2017, LightGBM, Algorithm 1).
 *
 * Two layouts, both Float64Array with a slot per bin (see BinnedData.offsets):
 * - gradient: 3 values a slot, [sum gradient, sum hessian, rows]; used by gradient boosting and by
 *   regression trees (gradient = -y, hessian = 1, so -G/H is the leaf mean and G²/H the variance gain);
 * - class: K values a slot, the row count of each class; used by classification trees (Gini).
 *
 * Histogram subtraction: a child's histogram is its parent's minus its sibling's, so only the
 * smaller child is built from rows (LightGBM §4; scikit-learn `compute_histograms_subtraction`).
 * Rows of a node are `idx[start..end)` (ascending within a node, so column reads move forward).
 */
import type { BinnedData } from './bin';

/** Values per slot of a gradient histogram. */
export const GRAD_STRIDE = 3;

/**
 * Adds input f's bins of the node's rows to a gradient histogram (the slots must be zeroed).
 * @param g gradients in node order: g[i - start] belongs to row idx[i] (LightGBM's ordered gradients).
 * @param h hessians, same order as g.
 */
export function addGradFeature(d: BinnedData, f: number, idx: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array, hist: Float64Array): void {
  const codes = d.codes;
  const col = f * d.rows;
  const base = d.offsets[f] * GRAD_STRIDE;
  for (let i = start; i < end; i++) {
    const k = base + codes[col + idx[i]] * GRAD_STRIDE;
    const o = i - start;
    hist[k] += g[o];
    hist[k + 1] += h[o];
    hist[k + 2] += 1;
  }
}

/**
 * Gradient histogram of input f for the rows marked `node` in rowNode, reading only the rows
 * off the input's default bin (see BinnedData.sparseRows); the default bin gets the node's
 * totals minus the other bins. The slots must be zeroed.
 * @param g, h per training row (indexed by row number, not node order).
 * @param total the node's [G, H, rows].
 */
export function addGradFeatureSparse(d: BinnedData, f: number, rowNode: Int32Array, node: number, g: Float64Array, h: Float64Array, total: Float64Array, hist: Float64Array): void {
  const codes = d.codes;
  const col = f * d.rows;
  const base = d.offsets[f] * GRAD_STRIDE;
  const list = d.sparseRows;
  for (let i = d.sparseStart[f], end = d.sparseStart[f + 1]; i < end; i++) {
    const r = list[i];
    if (rowNode[r] !== node) continue;
    const k = base + codes[col + r] * GRAD_STRIDE;
    hist[k] += g[r];
    hist[k + 1] += h[r];
    hist[k + 2] += 1;
  }
  let sg = 0;
  let sh = 0;
  let sc = 0;
  const slots = d.nonMissing[f] + 1;
  for (let b = 0; b < slots; b++) {
    const k = base + b * GRAD_STRIDE;
    sg += hist[k];
    sh += hist[k + 1];
    sc += hist[k + 2];
  }
  const k = base + d.defaultBin[f] * GRAD_STRIDE;
  hist[k] = total[0] - sg;
  hist[k + 1] = total[1] - sh;
  hist[k + 2] = total[2] - sc;
}

/** Adds input f's bins of the node's rows to a class-count histogram with K classes (slots zeroed). */
export function addClassFeature(d: BinnedData, f: number, idx: Int32Array, start: number, end: number, y: Uint16Array, k: number, hist: Float64Array): void {
  const codes = d.codes;
  const col = f * d.rows;
  const base = d.offsets[f] * k;
  for (let i = start; i < end; i++) {
    const r = idx[i];
    hist[base + codes[col + r] * k + y[r]] += 1;
  }
}

/** Zeroes input f's slots. */
export function clearFeature(d: BinnedData, f: number, stride: number, hist: Float64Array): void {
  const from = d.offsets[f] * stride;
  hist.fill(0, from, from + (d.nonMissing[f] + 1) * stride);
}

/**
 * Builds a full gradient histogram (every input) of a node, from rows: per input from the
 * node's rows, or from the input's sparse rows when they are fewer (needs `sparse`).
 * @param g, h ordered gradients (node order, see addGradFeature).
 * @param sparse rowNode / node id / per-row gradients / node totals, when rows are unique.
 */
export function buildGradHistogram(
  d: BinnedData,
  idx: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  hist: Float64Array,
  sparse?: { rowNode: Int32Array; node: number; g: Float64Array; h: Float64Array; total: Float64Array },
): void {
  hist.fill(0);
  const n = end - start;
  for (let f = 0; f < d.inputs; f++) {
    const nnz = d.sparseStart[f + 1] - d.sparseStart[f];
    if (sparse && nnz > 0 && nnz < n) addGradFeatureSparse(d, f, sparse.rowNode, sparse.node, sparse.g, sparse.h, sparse.total, hist);
    else addGradFeature(d, f, idx, start, end, g, h, hist);
  }
}

/** Builds a full class-count histogram (every input) of a node, from rows. */
export function buildClassHistogram(d: BinnedData, idx: Int32Array, start: number, end: number, y: Uint16Array, k: number, hist: Float64Array): void {
  hist.fill(0);
  for (let f = 0; f < d.inputs; f++) addClassFeature(d, f, idx, start, end, y, k, hist);
}

/** out = parent - child, slot by slot (out may be parent). */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = parent[i] - child[i];
}

/** Reuses histogram buffers of one size, so a tree does not allocate one per node. */
export class HistogramPool {
  private free: Float64Array[] = [];
  constructor(readonly size: number) {}
  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.size);
  }
  give(h: Float64Array | undefined): void {
    if (h) this.free.push(h);
  }
}
