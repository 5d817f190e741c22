/**
 * Gradient boosting of histogram trees (Friedman 2001, "Greedy function approximation"; Ke et al.
 * 2017, LightGBM; scikit-learn HistGradientBoosting). Each round fits one tree per output to the
 * loss's gradients and hessians with Newton leaf values −G/(H+λ) · learningRate.
 *
 * Early stopping (when validation data is given): the round with the lowest validation loss is
 * remembered; training stops once `nIterNoChange` rounds have passed without lowering it by more
 * than `tol`, and the model keeps the rounds up to that best one (`bestRound`).
 */
import { permutation, rng } from '../../random';
import type { BinnedData } from './bin';
import { Grower } from './grow';
import { featuresPerSplit, leafOfBinned } from './grow-types';
import { baseline, lossAndGradients, type LossStats } from './loss';
import { normalizeImportances, outputsOf, type HistModel } from './model';
import { MIN_HESSIAN, type FitOptions, type HistParams } from './params';
import { leafOf, type HistTree } from './tree';

/** Raw scores of validation rows, class-major [outputs, rows], grown tree by tree. */
function addTree(t: HistTree, x: Float32Array, rows: number, inputs: number, raw: Float64Array, offset: number): void {
  for (let i = 0; i < rows; i++) raw[offset + i] += t.value[leafOf(t, x, i * inputs)];
}

/** Fits a boosted model on binned training rows (see fitHist for the contract). */
export function fitBoosting(d: BinnedData, x: Float32Array, y: Float32Array, p: HistParams, opts: FitOptions = {}): HistModel {
  const started = performance.now();
  const { rows, inputs } = d;
  const classes = p.classCount ?? 2;
  const outputs = outputsOf(p);
  const random = rng(p.seed);
  const grower = new Grower(
    d,
    {
      mode: 'grad',
      classes,
      maxDepth: p.maxDepth ?? Infinity,
      maxLeafNodes: p.maxLeafNodes ?? Infinity,
      minSamplesLeaf: p.minSamplesLeaf,
      minSamplesSplit: p.minSamplesSplit,
      minHessian: MIN_HESSIAN,
      lambda: p.l2Regularization,
      leafScale: p.learningRate,
      featuresPerSplit: featuresPerSplit(p.maxFeatures, inputs),
    },
    random,
    rows,
  );
  const base = baseline(p.task, y, rows, classes);
  const raw = new Float64Array(outputs * rows);
  for (let k = 0; k < outputs; k++) raw.fill(base[k], k * rows, (k + 1) * rows);
  const g = new Float64Array(outputs * rows);
  const h = new Float64Array(outputs * rows);
  lossAndGradients(p.task, raw, y, rows, outputs, g, h);

  const es = p.earlyStopping;
  const val = es?.validation;
  const valRaw = new Float64Array(val ? outputs * val.rows : 0);
  for (let k = 0; k < outputs && val; k++) valRaw.fill(base[k], k * val.rows, (k + 1) * val.rows);
  let bestLoss = val ? lossAndGradients(p.task, valRaw, val.y, val.rows, outputs).loss : Infinity;
  let bestRound = 0;
  // Importances as of the best round, so truncated rounds do not count.
  let bestGains = new Float64Array(inputs);

  const sampled = Math.max(1, Math.floor(p.subsample * rows));
  const order = p.subsample < 1 ? permutation(rows, random) : undefined;
  const inSample = new Uint8Array(rows);
  const idx = new Int32Array(rows);
  const trees: HistTree[] = [];
  let rounds = 0;
  for (let round = 1; round <= p.nEstimators; round++) {
    const chosen = drawRows(order, rows, sampled, random, inSample);
    for (let k = 0; k < outputs; k++) {
      idx.set(chosen);
      const grown = grower.grow({ idx, g: g.subarray(k * rows, (k + 1) * rows), h: h.subarray(k * rows, (k + 1) * rows), unique: true }, chosen.length);
      const t = grown.tree;
      trees.push(t);
      const off = k * rows;
      const { leaves } = grown;
      for (let l = 0; l < leaves.length; l += 3) {
        const v = t.value[leaves[l]];
        for (let i = leaves[l + 1]; i < leaves[l + 2]; i++) raw[off + idx[i]] += v;
      }
      if (order) for (let r = 0; r < rows; r++) if (!inSample[r]) raw[off + r] += t.value[leafOfBinned(t, grown.nodeBin, d, r)];
      if (val) addTree(t, val.x, val.rows, inputs, valRaw, k * val.rows);
    }
    rounds = round;
    const train = lossAndGradients(p.task, raw, y, rows, outputs, g, h);
    let valStats: LossStats | undefined;
    let stop = false;
    if (val) {
      valStats = lossAndGradients(p.task, valRaw, val.y, val.rows, outputs);
      if (valStats.loss < bestLoss - es!.tol) {
        [bestLoss, bestRound] = [valStats.loss, round];
        bestGains = grower.importances.slice();
      } else if (round - bestRound >= es!.nIterNoChange) stop = true;
    }
    const answer = opts.onRound?.({
      round,
      rounds: p.nEstimators,
      loss: train.loss,
      ...(train.accuracy !== undefined ? { accuracy: train.accuracy } : {}),
      ...(valStats ? { valLoss: valStats.loss, ...(valStats.accuracy !== undefined ? { valAccuracy: valStats.accuracy } : {}) } : {}),
      elapsedMs: performance.now() - started,
    });
    if (stop || answer === 'stop' || opts.signal?.aborted) break;
  }
  const kept = val ? bestRound : rounds;
  return {
    kind: 'gradient_boosting',
    task: p.task,
    ...(p.task !== 'regression' ? { classCount: classes } : {}),
    inputs,
    baseScore: base,
    learningRate: p.learningRate,
    trees: trees.slice(0, kept * outputs),
    ...(val ? { bestRound } : {}),
    rounds: kept,
    gainImportances: normalizeImportances(val ? bestGains : grower.importances),
  };
}

/**
 * Rows of this round, ascending: all of them, or `sampled` drawn without replacement (partial
 * Fisher-Yates over `order`), marked in `inSample`.
 */
function drawRows(order: Int32Array | undefined, rows: number, sampled: number, random: () => number, inSample: Uint8Array): Int32Array {
  if (!order) {
    inSample.fill(1);
    const all = new Int32Array(rows);
    for (let i = 0; i < rows; i++) all[i] = i;
    return all;
  }
  for (let t = 0; t < sampled; t++) {
    const j = t + Math.floor(random() * (rows - t));
    const v = order[j];
    order[j] = order[t];
    order[t] = v;
  }
  const chosen = order.slice(0, sampled).sort();
  inSample.fill(0);
  for (let i = 0; i < sampled; i++) inSample[chosen[i]] = 1;
  return chosen;
}
