/**
 * Feature binning: every input's values are mapped once to at most `maxBins` ordered buckets, so
 * split finding scans bucket histograms instead of sorted values (Ke et al. 2017, LightGBM §2;
 * scikit-learn HistGradientBoosting's `_BinMapper`).
 *
 * Bin b of input j holds values v with `upper[b-1] < v <= upper[b]`; the last non-missing bin has
 * no upper edge. NaN goes to the dedicated missing bin, numbered `nonMissing[j]`. A split "bin <= b
 * goes left" is therefore the raw rule `v <= upper[b]`, which is what a stored tree keeps.
 */
import { permutation, rng } from '../../random';
import { BIN_SUBSAMPLE } from './params';

export interface BinnedData {
  rows: number;
  inputs: number;
  /** Bin codes, column-major [inputs, rows]: input j's codes are `codes[j*rows .. (j+1)*rows)`. */
  codes: Uint8Array;
  /** Per input: number of non-missing bins (>= 1); the missing bin has this index. */
  nonMissing: Int32Array;
  /** Per input: upper edges of the non-missing bins except the last (length nonMissing[j] - 1). */
  upper: Float64Array[];
  /** Per input: 1 when the training rows have a missing (NaN) value. */
  hasMissing: Uint8Array;
  /** Per input: first slot of its bins in a histogram; input j has nonMissing[j] + 1 slots. */
  offsets: Int32Array;
  /** Slots of a whole histogram (sum of nonMissing + 1). */
  totalBins: number;
  /** Per input: its most frequent bin (one-hot columns: mostly the 0 bin). */
  defaultBin: Uint8Array;
  /**
   * Rows whose bin is not the default one, ascending, for inputs where they are at most half
   * the rows (others: start = end): input j's are `sparseRows[sparseStart[j] .. sparseStart[j+1])`.
   * Histograms of large nodes read only these and get the default bin by subtraction from the
   * node's totals (LightGBM's sparse features, Ke et al. 2017 §4).
   */
  sparseStart: Int32Array;
  sparseRows: Int32Array;
}

/**
 * Bin edges of one input from its sorted, non-missing values: midpoints between distinct values
 * when there are at most maxBins of them, else quantiles (deduplicated), as scikit-learn does.
 */
export function binEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const distinct: number[] = [];
  for (let i = 0; i < n && distinct.length <= maxBins; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length <= maxBins) {
    const out = new Float64Array(Math.max(0, distinct.length - 1));
    for (let b = 0; b + 1 < distinct.length; b++) out[b] = (distinct[b] + distinct[b + 1]) / 2;
    return out;
  }
  const edges: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    // Quantile b/maxBins by linear interpolation (numpy's default).
    const pos = (b / maxBins) * (n - 1);
    const lo = Math.floor(pos);
    const v = sorted[lo] + (pos - lo) * ((sorted[Math.min(lo + 1, n - 1)] ?? sorted[lo]) - sorted[lo]);
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  // The top edge must leave values above it, else the last bin would be empty.
  while (edges.length > 0 && edges[edges.length - 1] >= sorted[n - 1]) edges.pop();
  return Float64Array.from(edges);
}

/**
 * The distinct values, sorted, when there are at most maxBins of them (one-hot and small integer
 * inputs: no need to sort every row); else undefined.
 */
function fewDistinct(values: Float64Array, maxBins: number): Float64Array | undefined {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    seen.add(values[i]);
    if (seen.size > maxBins) return undefined;
  }
  return Float64Array.from(seen).sort();
}

/** Index of the bin of `v` (not NaN): the first b with v <= upper[b], else upper.length. */
export function binOf(upper: Float64Array, v: number): number {
  let lo = 0;
  let hi = upper.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= upper[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Fits bin edges on the training rows and bins them.
 * @param x row-major [rows, inputs]; NaN = missing.
 * @param maxBins non-missing bins per input, in [2, 255].
 * @param seed picks the rows the quantiles come from when there are more than 200,000.
 */
export function binData(x: Float32Array, rows: number, inputs: number, maxBins: number, seed: number): BinnedData {
  let sample: Int32Array | undefined;
  if (rows > BIN_SUBSAMPLE)
    sample = permutation(rows, rng(seed ^ 0x5bd1e995))
      .subarray(0, BIN_SUBSAMPLE)
      .sort();
  const n = sample ? sample.length : rows;
  const values = new Float64Array(n);
  const codes = new Uint8Array(inputs * rows);
  const nonMissing = new Int32Array(inputs);
  const hasMissing = new Uint8Array(inputs);
  const offsets = new Int32Array(inputs);
  const upper: Float64Array[] = [];
  let total = 0;
  for (let j = 0; j < inputs; j++) {
    let m = 0;
    for (let s = 0; s < n; s++) {
      const v = x[(sample ? sample[s] : s) * inputs + j];
      if (v === v) values[m++] = v;
    }
    const edges = binEdges(fewDistinct(values.subarray(0, m), maxBins) ?? values.subarray(0, m).sort(), maxBins);
    upper.push(edges);
    const missingBin = edges.length + 1;
    nonMissing[j] = missingBin;
    offsets[j] = total;
    total += missingBin + 1;
    const col = j * rows;
    for (let i = 0; i < rows; i++) {
      const v = x[i * inputs + j];
      if (v !== v) {
        codes[col + i] = missingBin;
        hasMissing[j] = 1;
      } else codes[col + i] = binOf(edges, v);
    }
  }
  const { defaultBin, sparseStart, sparseRows } = sparseLists(codes, rows, inputs);
  return { rows, inputs, codes, nonMissing, upper, hasMissing, offsets, totalBins: total, defaultBin, sparseStart, sparseRows };
}

/** Most frequent bin per input and the rows outside it, where they are at most half the rows. */
function sparseLists(codes: Uint8Array, rows: number, inputs: number) {
  const defaultBin = new Uint8Array(inputs);
  const sparseStart = new Int32Array(inputs + 1);
  const counts = new Int32Array(256);
  const lists: Int32Array[] = [];
  let total = 0;
  for (let j = 0; j < inputs; j++) {
    counts.fill(0);
    const col = j * rows;
    for (let i = 0; i < rows; i++) counts[codes[col + i]]++;
    let best = 0;
    for (let b = 1; b < 256; b++) if (counts[b] > counts[best]) best = b;
    defaultBin[j] = best;
    const nnz = rows - counts[best];
    const list = new Int32Array(nnz * 2 <= rows ? nnz : 0);
    if (list.length > 0) for (let i = 0, n = 0; i < rows; i++) if (codes[col + i] !== best) list[n++] = i;
    lists.push(list);
    sparseStart[j] = total;
    total += list.length;
  }
  sparseStart[inputs] = total;
  const sparseRows = new Int32Array(total);
  lists.forEach((l, j) => sparseRows.set(l, sparseStart[j]));
  return { defaultBin, sparseStart, sparseRows };
}
