/**
 * Choosing the ranking's popularity weight α on the validation split (never the test split).
 * Ranking by predicted rating alone puts rarely rated items first (their biases and factors rest
 * on a handful of ratings) and loses to plain popularity on MovieLens 100k (precision@10 0.07 vs
 * 0.13); score = r̂(u, i) + α · ln(1 + n_i) trades the two. α is the grid value with the best
 * validation NDCG@10 (relevant = validation ratings ≥ 4, see src/ml/ranking.ts), ranking every item
 * the user did not rate in the fitting part.
 */
import { MAX_RANKING_USERS, topK, userRankingScore } from '../../ranking';
import type { MfModel } from './model';
import { itemScores, ratedBy } from './scores';
import type { Ratings } from './sgd';

/** The values tried. 0 = by predicted rating only; large values approach the popularity ranking. */
export const POPULARITY_WEIGHT_GRID = [0, 0.25, 0.5, 1, 1.5, 2, 3, 5] as const;

/** Used when there is no validation split to choose on: MovieLens 100k's validation chose 1.5. */
export const DEFAULT_POPULARITY_WEIGHT = 1;

/** Relevance per user (ratings ≥ `threshold`), for the ranking metrics. */
export function relevantItems(ratings: Ratings, threshold: number): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (let n = 0; n < ratings.count; n++) {
    if (ratings.values[n] < threshold) continue;
    let set = out.get(ratings.users[n]);
    if (!set) out.set(ratings.users[n], (set = new Set()));
    set.add(ratings.items[n]);
  }
  return out;
}

/**
 * @param m a model whose stored ratings (ratedOffsets…) are the fitting part only.
 * @returns the grid value with the best validation NDCG@10 (ties: the smaller), or the default when
 *   no validation user has a relevant item. At most MAX_RANKING_USERS users are counted.
 */
export function choosePopularityWeight(m: MfModel, validation: Ratings, threshold = 4, k = 10): number {
  const relevant = [...relevantItems(validation, threshold)].slice(0, MAX_RANKING_USERS);
  if (relevant.length === 0) return DEFAULT_POPULARITY_WEIGHT;
  const base = new Float64Array(m.items);
  const scores = new Float64Array(m.items);
  const popularity = Float64Array.from(m.itemCounts, (n) => Math.log1p(n));
  const ndcg = new Float64Array(POPULARITY_WEIGHT_GRID.length);
  for (const [u, items] of relevant) {
    itemScores(m, u, 0, base); // once per user; each weight only adds its popularity term
    const skip = ratedBy(m, u);
    POPULARITY_WEIGHT_GRID.forEach((weight, w) => {
      for (let i = 0; i < m.items; i++) scores[i] = base[i] + weight * popularity[i];
      ndcg[w] += userRankingScore(topK(scores, k, skip), items, k).ndcg;
    });
  }
  let best = 0;
  for (let w = 1; w < ndcg.length; w++) if (ndcg[w] > ndcg[best] + 1e-9) best = w;
  return POPULARITY_WEIGHT_GRID[best];
}
