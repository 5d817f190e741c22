/**
 * A biased matrix-factorisation model (Koren, Bell & Volinsky, "Matrix factorization techniques
 * for recommender systems", IEEE Computer 42(8), 2009, eq. 4):
 *
 *   r̂(u, i) = μ + b_u + b_i + p_u · q_i
 *
 * with μ the global mean rating, b_u / b_i the user / item biases and p_u, q_i their K-dimensional
 * factors. Users and items are indices 0..users-1 / 0..items-1 (the pipeline's `id_index` steps
 * map the uploaded ids to them); an index of -1 (an id not seen in training) contributes no bias
 * and no factors.
 */

/** A fitted model. All arrays are owned by the model. */
export interface MfModel {
  users: number;
  items: number;
  /** K, factors per user and item. */
  factors: number;
  /** μ, the mean training rating. */
  globalMean: number;
  /** Predictions are clipped to the training ratings' range, as Surprise does. */
  minRating: number;
  maxRating: number;
  /** `[users]`. */
  userBias: Float32Array;
  /** `[items]`. */
  itemBias: Float32Array;
  /** `[users, factors]` row-major. */
  userFactors: Float32Array;
  /** `[items, factors]` row-major. */
  itemFactors: Float32Array;
  /** `[items]`: training ratings of each item (the popularity ranking). */
  itemCounts: Int32Array;
  /** The training ratings per user, CSR: user u's items are ratedItems[ratedOffsets[u] .. ratedOffsets[u+1]). */
  ratedOffsets: Int32Array;
  ratedItems: Int32Array;
  ratedValues: Float32Array;
  /**
   * Ranking score = r̂(u, i) + popularityWeight · ln(1 + n_i), n_i the item's training ratings;
   * chosen on the validation split (see ./ranking-weight.ts), 0 without one.
   */
  popularityWeight: number;
}

/** r̂(u, i), unclipped; u or i may be -1 (unknown). */
export function rawPrediction(m: MfModel, u: number, i: number): number {
  let r = m.globalMean;
  if (u >= 0) r += m.userBias[u];
  if (i >= 0) r += m.itemBias[i];
  if (u >= 0 && i >= 0) {
    const K = m.factors;
    const pu = u * K;
    const qi = i * K;
    for (let f = 0; f < K; f++) r += m.userFactors[pu + f] * m.itemFactors[qi + f];
  }
  return r;
}

/** r̂(u, i) clipped to [minRating, maxRating]. */
export function predictRating(m: MfModel, u: number, i: number): number {
  const r = rawPrediction(m, u, i);
  return r < m.minRating ? m.minRating : r > m.maxRating ? m.maxRating : r;
}

/**
 * Scores `[rows, 2]` (user index, item index; -1 or any value that is not a valid index = unknown)
 * to `[rows, 1]` predicted ratings.
 */
export function scorePairs(m: MfModel, x: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(rows);
  const index = (v: number, n: number) => (Number.isInteger(v) && v >= 0 && v < n ? v : -1);
  for (let r = 0; r < rows; r++) out[r] = predictRating(m, index(x[2 * r], m.users), index(x[2 * r + 1], m.items));
  return out;
}
