/**
 * Scoring raw inputs with a trained model. NaN follows each node's learned default direction.
 * Trees are walked one at a time over all rows (a tree's arrays stay in cache).
 */
import { link } from './loss';
import { leafWidth, outputsOf, type HistModel } from './model';
import { leafOf } from './tree';

/**
 * Boosting: raw scores before the link, class-major [outputs, rows] (output k of row i at
 * k·rows + i). Only for gradient boosting.
 */
export function rawScores(m: HistModel, x: Float32Array, rows: number): Float64Array {
  const outputs = outputsOf(m);
  const raw = new Float64Array(outputs * rows);
  for (let k = 0; k < outputs; k++) raw.fill(m.baseScore[k] ?? 0, k * rows, (k + 1) * rows);
  m.trees.forEach((t, i) => {
    const off = (i % outputs) * rows;
    for (let r = 0; r < rows; r++) raw[off + r] += t.value[leafOf(t, x, r * m.inputs)];
  });
  return raw;
}

/**
 * Scores rows of model inputs.
 * @param x row-major [rows, inputs] (NaN = missing).
 * @returns row-major [rows, outputs], the layout of a network's output: binary [rows] P(class 1),
 *   multiclass [rows, K] class probabilities (each row sums to 1), regression [rows] values.
 */
export function scoreHist(m: HistModel, x: Float32Array, rows: number): Float32Array {
  const outputs = outputsOf(m);
  if (m.kind === 'gradient_boosting') return link(m.task, rawScores(m, x, rows), rows, outputs);
  const width = leafWidth(m);
  const sum = new Float64Array(rows * width);
  for (const t of m.trees) {
    for (let r = 0; r < rows; r++) {
      const leaf = leafOf(t, x, r * m.inputs) * width;
      for (let c = 0; c < width; c++) sum[r * width + c] += t.value[leaf + c];
    }
  }
  const n = Math.max(1, m.trees.length);
  const out = new Float32Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    if (m.task === 'binary') out[r] = sum[r * width + 1] / n;
    else for (let c = 0; c < outputs; c++) out[r * outputs + c] = sum[r * width + c] / n;
  }
  return out;
}
