/**
 * Best split of one input from its node histogram. Candidates are "bins <= b go left"; when the
 * node has missing values both directions of the missing bin are tried (learned default
 * direction, Chen & Guestrin 2016 XGBoost §3.4; scikit-learn HistGradientBoosting), and "all
 * present values left, missing right" is a candidate too. When the node has none, missing values
 * follow the side with more rows.
 *
 * Gains:
 * - gradient: G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (Chen & Guestrin 2016, eq. 7, without the ½
 *   and γ; scikit-learn's `_split_gain`); with g = −y, h = 1, λ = 0 it is the decrease of the
 *   sum of squared errors, CART's regression criterion.
 * - class: Σ_k L_k²/n_L + Σ_k R_k²/n_R − Σ_k C_k²/n, which equals n·Gini − n_L·Gini_L − n_R·Gini_R
 *   (the weighted impurity decrease of scikit-learn's DecisionTreeClassifier).
 */
import type { BinnedData } from './bin';
import { GRAD_STRIDE } from './histogram';

/** Smallest gain that counts: guards against splits that only move rounding noise. */
export const MIN_GAIN = 1e-12;

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Present values in bins <= bin go left. */
  bin: number;
  missingLeft: boolean;
  /** Totals of each side, in the histogram's layout (3 values, or K class counts). */
  left: Float64Array;
  right: Float64Array;
}

export const emptyCandidate = (stride: number): SplitCandidate => ({
  gain: MIN_GAIN,
  feature: -1,
  bin: 0,
  missingLeft: false,
  left: new Float64Array(stride),
  right: new Float64Array(stride),
});

export interface GradRule {
  minLeaf: number;
  minHessian: number;
  lambda: number;
}

/**
 * The bins that hold rows of the node, in a histogram: `occ` gets the non-missing ones, ascending.
 * @param countAt offset of the row count within a slot (gradient: 2), or -1 to sum `stride` class counts.
 * @returns how many were written.
 */
export function occupiedBins(d: BinnedData, f: number, hist: Float64Array, stride: number, countAt: number, occ: Int32Array): number {
  const nb = d.nonMissing[f];
  const base = d.offsets[f] * stride;
  let n = 0;
  for (let b = 0; b < nb; b++) {
    const k = base + b * stride;
    let c = 0;
    if (countAt >= 0) c = hist[k + countAt];
    else for (let j = 0; j < stride; j++) c += hist[k + j];
    if (c > 0) occ[n++] = b;
  }
  return n;
}

/**
 * Scans input f of a gradient histogram over its occupied bins; updates `best` when a better
 * split is found.
 * @param occ the non-missing bins holding rows of the node, ascending (nOcc of them).
 * @param total node totals [G, H, rows].
 */
export function scanGrad(d: BinnedData, f: number, hist: Float64Array, occ: Int32Array, nOcc: number, total: Float64Array, rule: GradRule, best: SplitCandidate): void {
  const base = d.offsets[f] * GRAD_STRIDE;
  const G = total[0];
  const H = total[1];
  const C = total[2];
  const m = base + d.nonMissing[f] * GRAD_STRIDE;
  const gm = hist[m];
  const hm = hist[m + 1];
  const cm = hist[m + 2];
  const { minLeaf, minHessian, lambda } = rule;
  const parent = (G * G) / (H + lambda);
  let gl = 0;
  let hl = 0;
  let cl = 0;
  // The last occupied bin only splits off the missing rows (all present values left).
  const last = cm > 0 ? nOcc : nOcc - 1;
  for (let o = 0; o < last; o++) {
    const b = occ[o];
    const k = base + b * GRAD_STRIDE;
    gl += hist[k];
    hl += hist[k + 1];
    cl += hist[k + 2];
    for (let side = 0; side < 2; side++) {
      // side 0: missing right; side 1: missing left (only when the node has missing rows).
      if (side === 1 && cm === 0) break;
      const gL = side ? gl + gm : gl;
      const hL = side ? hl + hm : hl;
      const cL = side ? cl + cm : cl;
      const cR = C - cL;
      if (cL < minLeaf || cR < minLeaf) continue;
      const hR = H - hL;
      if (hL < minHessian || hR < minHessian) continue;
      const gR = G - gL;
      const gain = (gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - parent;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.missingLeft = cm > 0 ? side === 1 : cL >= cR;
        best.left[0] = gL;
        best.left[1] = hL;
        best.left[2] = cL;
        best.right[0] = gR;
        best.right[1] = hR;
        best.right[2] = cR;
      }
    }
  }
}

/**
 * Scans input f of a class-count histogram (K classes) over its occupied bins; updates `best`
 * when a better split is found.
 * @param total the node's class counts [K].
 * @param scratch K values, overwritten.
 */
export function scanClass(
  d: BinnedData,
  f: number,
  hist: Float64Array,
  occ: Int32Array,
  nOcc: number,
  total: Float64Array,
  k: number,
  minLeaf: number,
  best: SplitCandidate,
  scratch: Float64Array,
): void {
  const base = d.offsets[f] * k;
  const m = base + d.nonMissing[f] * k;
  let n = 0;
  let sq = 0;
  let cm = 0;
  for (let c = 0; c < k; c++) {
    n += total[c];
    sq += total[c] * total[c];
    cm += hist[m + c];
  }
  const parent = sq / n;
  const left = scratch;
  left.fill(0);
  let cl = 0;
  const last = cm > 0 ? nOcc : nOcc - 1;
  for (let o = 0; o < last; o++) {
    const b = occ[o];
    const s = base + b * k;
    for (let j = 0; j < k; j++) {
      left[j] += hist[s + j];
      cl += hist[s + j];
    }
    for (let side = 0; side < 2; side++) {
      if (side === 1 && cm === 0) break;
      const nL = side ? cl + cm : cl;
      const nR = n - nL;
      if (nL < minLeaf || nR < minLeaf) continue;
      let sqL = 0;
      let sqR = 0;
      for (let j = 0; j < k; j++) {
        const l = side ? left[j] + hist[m + j] : left[j];
        const r = total[j] - l;
        sqL += l * l;
        sqR += r * r;
      }
      const gain = sqL / nL + sqR / nR - parent;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.missingLeft = cm > 0 ? side === 1 : nL >= nR;
        for (let j = 0; j < k; j++) {
          const l = side ? left[j] + hist[m + j] : left[j];
          best.left[j] = l;
          best.right[j] = total[j] - l;
        }
      }
    }
  }
}
