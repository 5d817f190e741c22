/**
 * Grows one tree on binned rows. With `maxLeafNodes` the node with the largest gain is split
 * next (leaf-wise / best-first, LightGBM; scikit-learn HistGradientBoosting's TreeGrower);
 * without, every node that can be split is, depth-first (the same tree as depth-wise CART growth).
 *
 * Histograms: with all inputs considered (or most of them) every node keeps a full histogram and
 * children are built by subtraction (the smaller from its rows, the larger = parent − smaller).
 * With few inputs per split (random forests) only the drawn inputs are built, from the node's rows.
 */
import type { BinnedData } from './bin';
import {
  buildClassHistogram,
  buildGradHistogram,
  GRAD_STRIDE,
  HistogramPool,
  isConstantIn,
  sparseClassFeature,
  subtractHistogram,
  touchClassFeature,
  touchGradFeature,
} from './histogram';
import { emptyCandidate, MIN_GAIN, occupiedBins, scanClass, scanGrad, type GradRule, type SplitCandidate } from './split';
import { TreeBuilder } from './tree';
import type { GrownTree, GrowRows, GrowSettings } from './grow-types';

export type { GrownTree, GrowRows, GrowSettings } from './grow-types';

interface Pending {
  id: number;
  depth: number;
  start: number;
  end: number;
  total: Float64Array;
  hist?: Float64Array;
  best: SplitCandidate;
  /** Inputs known to be constant here (found constant in an ancestor), skipped without a look (scikit-learn). */
  constants: Int32Array;
  /** constants plus those found constant in this node, handed to the children. */
  childConstants?: Int32Array;
}

const NONE = new Int32Array(0);

/**
 * Shared scratch for growing many trees on the same binned data (buffers are reused).
 * `importances` accumulates the gain of every split per input.
 */
export class Grower {
  readonly stride: number;
  readonly importances: Float64Array;
  private readonly pool: HistogramPool;
  private readonly scratchHist: Float64Array;
  private readonly gOrd: Float64Array;
  private readonly hOrd: Float64Array;
  private readonly yOrd: Uint16Array;
  private readonly partition: Int32Array;
  private readonly features: Int32Array;
  private readonly classScratch: Float64Array;
  private readonly occ = new Int32Array(256);
  private readonly mark = new Int32Array(256);
  private stamp = 0;
  private readonly isConstant: Uint8Array;
  private readonly subtraction: boolean;
  private readonly rule: GradRule;
  /** Per training row: the node holding it while a tree grows (-1: not in the tree), for sparse histograms. */
  private readonly rowNode: Int32Array;
  private sparse = false;

  constructor(
    readonly d: BinnedData,
    readonly s: GrowSettings,
    readonly random: () => number,
    maxRows: number,
  ) {
    this.stride = s.mode === 'grad' ? GRAD_STRIDE : s.classes;
    this.importances = new Float64Array(d.inputs);
    this.pool = new HistogramPool(d.totalBins * this.stride);
    this.scratchHist = new Float64Array(d.totalBins * this.stride);
    this.gOrd = new Float64Array(maxRows);
    this.hOrd = new Float64Array(maxRows);
    this.yOrd = new Uint16Array(s.mode === 'class' ? maxRows : 0);
    this.partition = new Int32Array(maxRows);
    this.features = new Int32Array(d.inputs);
    this.classScratch = new Float64Array(this.stride);
    this.isConstant = new Uint8Array(d.inputs);
    // Building only the drawn inputs costs rows·m per node; subtraction costs about rows·inputs/2.
    this.subtraction = s.featuresPerSplit * 2 > d.inputs;
    this.rule = { minLeaf: s.minSamplesLeaf, minHessian: s.minHessian, lambda: s.lambda };
    // Sparse reads pay off for full gradient histograms and for class counts of drawn inputs.
    this.rowNode = new Int32Array((s.mode === 'grad') === this.subtraction ? d.rows : 0);
  }

  /** Grows a tree on `rows.idx[0..n)`. */
  grow(rows: GrowRows, n: number): GrownTree {
    const s = this.s;
    const width = s.mode === 'grad' ? 1 : s.classes;
    const b = new TreeBuilder(width);
    const leaves: number[] = [];
    const total = this.rootTotal(rows, n);
    this.sparse = this.rowNode.length > 0 && rows.unique === true && this.d.sparseRows.length > 0;
    if (this.sparse) {
      this.rowNode.fill(-1);
      for (let i = 0; i < n; i++) this.rowNode[rows.idx[i]] = 0;
    }
    const root: Pending = { id: b.add(this.leafValue(total)), depth: 0, start: 0, end: n, total, best: emptyCandidate(this.stride), constants: NONE };
    if (this.canSplit(root)) {
      if (this.subtraction) {
        root.hist = this.pool.take();
        this.buildFull(rows, root, root.hist);
      }
      this.findBest(root, rows);
    }
    const pending: Pending[] = [root];
    let leafCount = 1;
    while (pending.length > 0) {
      const node = this.pop(pending);
      if (node.best.feature < 0 || leafCount >= s.maxLeafNodes) {
        this.pool.give(node.hist);
        leaves.push(node.id, node.start, node.end);
        continue;
      }
      const { feature, bin, missingLeft } = node.best;
      const mid = this.partitionRows(rows.idx, node.start, node.end, feature, bin, missingLeft);
      const upper = this.d.upper[feature];
      const threshold = bin < upper.length ? upper[bin] : Infinity;
      const left: Pending = {
        id: b.add(this.leafValue(node.best.left)),
        depth: node.depth + 1,
        start: node.start,
        end: mid,
        total: node.best.left,
        best: emptyCandidate(this.stride),
        constants: node.childConstants ?? NONE,
      };
      const right: Pending = {
        id: b.add(this.leafValue(node.best.right)),
        depth: node.depth + 1,
        start: mid,
        end: node.end,
        total: node.best.right,
        best: emptyCandidate(this.stride),
        constants: node.childConstants ?? NONE,
      };
      b.split(node.id, feature, bin, threshold, missingLeft, left.id, right.id);
      if (this.sparse) {
        for (let i = left.start; i < left.end; i++) this.rowNode[rows.idx[i]] = left.id;
        for (let i = right.start; i < right.end; i++) this.rowNode[rows.idx[i]] = right.id;
      }
      this.importances[feature] += node.best.gain;
      leafCount++;
      const splitL = this.canSplit(left);
      const splitR = this.canSplit(right);
      if (this.subtraction && (splitL || splitR)) {
        const [small, large] = mid - node.start <= node.end - mid ? [left, right] : [right, left];
        small.hist = this.pool.take();
        this.buildFull(rows, small, small.hist);
        large.hist = node.hist!;
        subtractHistogram(node.hist!, small.hist, large.hist);
      } else this.pool.give(node.hist);
      for (const [child, ok] of [
        [left, splitL],
        [right, splitR],
      ] as const) {
        if (ok) this.findBest(child, rows);
        if (child.best.feature >= 0) pending.push(child);
        else {
          this.pool.give(child.hist);
          leaves.push(child.id, child.start, child.end);
        }
      }
    }
    return { tree: b.finish(), nodeBin: Int32Array.from(b.bin), leaves };
  }

  private pop(pending: Pending[]): Pending {
    if (!Number.isFinite(this.s.maxLeafNodes)) return pending.pop()!;
    let best = 0;
    for (let i = 1; i < pending.length; i++) if (pending[i].best.gain > pending[best].best.gain) best = i;
    const node = pending[best];
    pending[best] = pending[pending.length - 1];
    pending.pop();
    return node;
  }

  private count(total: Float64Array): number {
    if (this.s.mode === 'grad') return total[2];
    let n = 0;
    for (let c = 0; c < this.stride; c++) n += total[c];
    return n;
  }

  private canSplit(node: Pending): boolean {
    const s = this.s;
    const n = this.count(node.total);
    if (node.depth >= s.maxDepth || n < s.minSamplesSplit || n < 2 * s.minSamplesLeaf) return false;
    if (s.mode === 'grad') return node.total[1] >= 2 * s.minHessian;
    let present = 0;
    for (let c = 0; c < this.stride; c++) if (node.total[c] > 0) present++;
    return present > 1;
  }

  private leafValue(total: Float64Array): Float64Array {
    if (this.s.mode === 'grad') return Float64Array.of((-total[0] / (total[1] + this.s.lambda)) * this.s.leafScale);
    const n = this.count(total);
    return total.map((c) => c / n);
  }

  private rootTotal(rows: GrowRows, n: number): Float64Array {
    const total = new Float64Array(this.stride);
    const idx = rows.idx;
    if (this.s.mode === 'grad') {
      const g = rows.g!;
      const h = rows.h!;
      for (let i = 0; i < n; i++) {
        total[0] += g[idx[i]];
        total[1] += h[idx[i]];
      }
      total[2] = n;
    } else {
      const y = rows.y!;
      const w = rows.w!;
      for (let i = 0; i < n; i++) total[y[idx[i]]] += w[idx[i]];
    }
    return total;
  }

  /** Gathers the node's gradients in row order (LightGBM's ordered gradients). */
  private gather(rows: GrowRows, start: number, end: number): void {
    const { idx } = rows;
    const g = rows.g!;
    const h = rows.h!;
    for (let i = start; i < end; i++) {
      this.gOrd[i - start] = g[idx[i]];
      this.hOrd[i - start] = h[idx[i]];
    }
  }

  private buildFull(rows: GrowRows, node: Pending, hist: Float64Array): void {
    const { start, end } = node;
    if (this.s.mode === 'grad') {
      this.gather(rows, start, end);
      const sparse = this.sparse ? { rowNode: this.rowNode, node: node.id, g: rows.g!, h: rows.h!, total: node.total } : undefined;
      buildGradHistogram(this.d, rows.idx, start, end, this.gOrd, this.hOrd, hist, sparse);
    } else buildClassHistogram(this.d, rows.idx, start, end, rows.y!, rows.w!, this.stride, hist);
  }

  /**
   * Evaluates the node's inputs: all, or featuresPerSplit drawn without replacement among those
   * not known to be constant; an input found constant is not counted (scikit-learn's splitter).
   */
  private findBest(node: Pending, rows: GrowRows): void {
    const { d, s, stride, occ } = this;
    const best = node.best;
    best.gain = MIN_GAIN;
    best.feature = -1;
    const grad = s.mode === 'grad';
    const direct = !node.hist;
    if (direct && grad) this.gather(rows, node.start, node.end);
    if (direct && !grad) {
      const { idx, y, w } = rows;
      for (let i = node.start; i < node.end; i++) {
        this.yOrd[i - node.start] = y![idx[i]];
        this.gOrd[i - node.start] = w![idx[i]];
      }
    }
    const hist = node.hist ?? this.scratchHist;
    const features = this.features;
    for (const c of node.constants) this.isConstant[c] = 1;
    let candidates = 0;
    for (let j = 0; j < d.inputs; j++) if (!this.isConstant[j]) features[candidates++] = j;
    for (const c of node.constants) this.isConstant[c] = 0;
    const all = s.featuresPerSplit >= candidates;
    const found: number[] = [];
    let counted = 0;
    for (let t = 0; t < candidates && counted < s.featuresPerSplit; t++) {
      let f = features[t];
      if (!all) {
        const j = t + Math.floor(this.random() * (candidates - t));
        f = features[j];
        features[j] = features[t];
        features[t] = f;
      }
      let nOcc: number;
      const nnz = d.sparseStart[f + 1] - d.sparseStart[f];
      if (!direct) nOcc = occupiedBins(d, f, hist, stride, grad ? 2 : -1, occ);
      else if (!grad && this.sparse && nnz > 0 && nnz < node.end - node.start) {
        sparseClassFeature(d, f, this.rowNode, node.id, rows.y!, rows.w!, stride, node.total, hist);
        nOcc = occupiedBins(d, f, hist, stride, -1, occ);
      } else if (isConstantIn(d, f, rows.idx, node.start, node.end)) {
        found.push(f);
        continue;
      } else {
        if (++this.stamp > 1 << 30) {
          this.stamp = 1;
          this.mark.fill(0);
        }
        nOcc = grad
          ? touchGradFeature(d, f, rows.idx, node.start, node.end, this.gOrd, this.hOrd, hist, this.mark, this.stamp, occ)
          : touchClassFeature(d, f, rows.idx, node.start, node.end, this.yOrd, this.gOrd, stride, hist, this.mark, this.stamp, occ);
      }
      const m = (d.offsets[f] + d.nonMissing[f]) * stride;
      let missing = 0;
      if (grad) missing = hist[m + 2];
      else for (let c = 0; c < stride; c++) missing += hist[m + c];
      if (nOcc + (missing > 0 ? 1 : 0) <= 1) {
        found.push(f);
        continue;
      }
      counted++;
      if (grad) scanGrad(d, f, hist, occ, nOcc, node.total, this.rule, best);
      else scanClass(d, f, hist, occ, nOcc, node.total, stride, s.minSamplesLeaf, best, this.classScratch);
    }
    if (found.length > 0) {
      const merged = new Int32Array(node.constants.length + found.length);
      merged.set(node.constants);
      merged.set(found, node.constants.length);
      node.childConstants = merged;
    } else node.childConstants = node.constants;
  }

  /** Stable in-place partition of idx[start..end) by the split; returns the first right position. */
  private partitionRows(idx: Int32Array, start: number, end: number, f: number, bin: number, missingLeft: boolean): number {
    const { codes, rows } = this.d;
    const missing = this.d.nonMissing[f];
    const col = f * rows;
    const right = this.partition;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = idx[i];
      const c = codes[col + row];
      if (c === missing ? missingLeft : c <= bin) idx[l++] = row;
      else right[r++] = row;
    }
    idx.set(right.subarray(0, r), l);
    return l;
  }
}
