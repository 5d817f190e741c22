/**
 * Occlusion saliency (Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks",
 * ECCV 2014): cover one cell of a grid over the image with a neutral value and record how much the
 * class's probability drops. A cell whose covering lowers the probability most mattered most.
 * Returns numbers only, so a client can draw the map itself.
 */
import type { Scorer } from '../families/model-family';

/** One image's occlusion map. */
export interface OcclusionMap {
  /** Class index the attributions are for. */
  classIndex: number;
  /** P(class) of the unoccluded image. */
  probability: number;
  /** `[rows][cols]`: P(class | image) − P(class | image with the cell covered); positive = evidence for the class. */
  attributions: number[][];
  /** Cell size, pixels (the last row and column of cells may be smaller). */
  cellHeight: number;
  cellWidth: number;
}

/**
 * @param x one image's model inputs, `[h, w, c]` row-major.
 * @param shape `[h, w, c]`.
 * @param grid cells per side (e.g. 7 → 7 × 7 cells; at most h and w).
 * @param fill the model-input value a covered pixel gets, per channel (e.g. the normalised 0 pixel).
 * @param classIndex the class to explain. (Default: the predicted class)
 */
export function occlusionMap(scorer: Scorer, x: Float32Array, shape: readonly number[], grid: number, fill: readonly number[], classIndex?: number): OcclusionMap {
  const [h, w, c] = shape as [number, number, number];
  const rows = Math.min(grid, h);
  const cols = Math.min(grid, w);
  const cellHeight = Math.ceil(h / rows);
  const cellWidth = Math.ceil(w / cols);
  const size = h * w * c;
  const cells = rows * cols;
  // The unoccluded image first, then one copy per cell, scored in one batch.
  const batch = new Float32Array((cells + 1) * size);
  for (let k = 0; k <= cells; k++) batch.set(x, k * size);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const base = (1 + r * cols + q) * size;
      for (let y = r * cellHeight; y < Math.min(h, (r + 1) * cellHeight); y++) {
        for (let xx = q * cellWidth; xx < Math.min(w, (q + 1) * cellWidth); xx++) {
          for (let ch = 0; ch < c; ch++) batch[base + (y * w + xx) * c + ch] = fill[ch]!;
        }
      }
    }
  }
  const out = scorer.score(batch, cells + 1);
  const classes = out.length / (cells + 1);
  let target = classIndex ?? 0;
  if (classIndex === undefined) for (let k = 1; k < classes; k++) if (out[k]! > out[target]!) target = k;
  const probability = out[target]!;
  const attributions = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, q) => probability - out[(1 + r * cols + q) * classes + target]!));
  return { classIndex: target, probability, attributions, cellHeight, cellWidth };
}
