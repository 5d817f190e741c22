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

/**
 * Adds input f's bins of the node's rows to a class-count histogram with K classes (slots zeroed).
 * @param y, w class and weight (bootstrap multiplicity) per training row.
 */
export function addClassFeature(d: BinnedData, f: number, idx: Int32Array, start: number, end: number, y: Uint16Array, w: Float64Array, k: number, hist: Float64Array): void {
  const codes = d.codes;
  const col = f * d.rows;
  const base = d.offsets[f] * k;
  for (let i = start; i < end; i++) {
    const r = idx[i];
    hist[base + codes[col + r] * k + y[r]] += w[r];
  }
}

/**
 * Class-count histogram of input f for the rows marked `node` in rowNode, reading only the rows
 * off the input's default bin; the default bin gets the node's totals minus the other bins.
 * Zeroes input f's slots first. Use when the input's sparse rows are fewer than the node's.
 * @param y, w class and weight per training row.
 * @param total the node's class totals [K].
 */
export function sparseClassFeature(
  d: BinnedData,
  f: number,
  rowNode: Int32Array,
  node: number,
  y: Uint16Array,
  w: Float64Array,
  k: number,
  total: Float64Array,
  hist: Float64Array,
): void {
  const codes = d.codes;
  const col = f * d.rows;
  const base = d.offsets[f] * k;
  const slots = d.nonMissing[f] + 1;
  for (let j = base, e = base + slots * k; j < e; j++) hist[j] = 0;
  const list = d.sparseRows;
  for (let i = d.sparseStart[f], end = d.sparseStart[f + 1]; i < end; i++) {
    const r = list[i];
    if (rowNode[r] === node) hist[base + codes[col + r] * k + y[r]] += w[r];
  }
  const def = base + d.defaultBin[f] * k;
  for (let c = 0; c < k; c++) {
    let other = 0;
    for (let b = 0; b < slots; b++) other += hist[base + b * k + c];
    hist[def + c] = total[c] - other;
  }
}

/**
 * True when every row of the node has the same bin of input f. A compare-only loop that stops at
 * the first difference: in deep nodes most one-hot inputs are constant, and this is much cheaper
 * than building their histogram.
 */
export function isConstantIn(d: BinnedData, f: number, idx: Int32Array, start: number, end: number): boolean {
  const codes = d.codes;
  const col = f * d.rows;
  const first = codes[col + idx[start]];
  for (let i = start + 1; i < end; i++) if (codes[col + idx[i]] !== first) return false;
  return true;
}

/**
 * Small-node path: builds input f's histogram from the node's rows touching only the bins that
 * occur (zeroed on first touch, found with `mark`/`stamp`), and lists the occupied non-missing
 * bins, ascending, in `occ`. The missing slot is always zeroed first.
 * @param g, h ordered gradients (see addGradFeature).
 * @returns the number of occupied non-missing bins.
 */
export function touchGradFeature(
  d: BinnedData,
  f: number,
  idx: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  hist: Float64Array,
  mark: Int32Array,
  stamp: number,
  occ: Int32Array,
): number {
  const codes = d.codes;
  const col = f * d.rows;
  const base = d.offsets[f] * GRAD_STRIDE;
  const missing = d.nonMissing[f];
  const m = base + missing * GRAD_STRIDE;
  hist[m] = hist[m + 1] = hist[m + 2] = 0;
  mark[missing] = stamp;
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = codes[col + idx[i]];
    const k = base + b * GRAD_STRIDE;
    if (mark[b] !== stamp) {
      mark[b] = stamp;
      occ[n++] = b;
      hist[k] = hist[k + 1] = hist[k + 2] = 0;
    }
    const o = i - start;
    hist[k] += g[o];
    hist[k + 1] += h[o];
    hist[k + 2] += 1;
  }
  sortSmall(occ, n);
  return n;
}

/**
 * Class-count version of touchGradFeature.
 * @param yOrd, wOrd class and weight of each node row in node order: yOrd[i - start] belongs to row idx[i].
 */
export function touchClassFeature(
  d: BinnedData,
  f: number,
  idx: Int32Array,
  start: number,
  end: number,
  yOrd: Uint16Array,
  wOrd: Float64Array,
  k: number,
  hist: Float64Array,
  mark: Int32Array,
  stamp: number,
  occ: Int32Array,
): number {
  const codes = d.codes;
  const col = f * d.rows;
  const base = d.offsets[f] * k;
  const missing = d.nonMissing[f];
  for (let j = base + missing * k, e = j + k; j < e; j++) hist[j] = 0;
  mark[missing] = stamp;
  let n = 0;
  for (let i = start; i < end; i++) {
    const b = codes[col + idx[i]];
    const s = base + b * k;
    if (mark[b] !== stamp) {
      mark[b] = stamp;
      occ[n++] = b;
      for (let j = s; j < s + k; j++) hist[j] = 0;
    }
    const o = i - start;
    hist[s + yOrd[o]] += wOrd[o];
  }
  sortSmall(occ, n);
  return n;
}

/** Sorts a[0..n) ascending: insertion sort for the few bins of small nodes, else the built-in. */
function sortSmall(a: Int32Array, n: number): void {
  if (n > 48) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
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
export function buildClassHistogram(d: BinnedData, idx: Int32Array, start: number, end: number, y: Uint16Array, w: Float64Array, k: number, hist: Float64Array): void {
  hist.fill(0);
  for (let f = 0; f < d.inputs; f++) addClassFeature(d, f, idx, start, end, y, w, k, hist);
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
