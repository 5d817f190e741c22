/**
 * Top-k ranking metrics of a recommender on held-out ratings, with binary relevance:
 *
 * - an item is *relevant* to a user when the user rated it at least `threshold` (Default: 4 on a
 *   1–5 scale, the usual cut for MovieLens: Cremonesi, Koren & Turrin, "Performance of recommender
 *   algorithms on top-N recommendation tasks", RecSys 2010, §3) in the held-out split;
 * - only users with at least one relevant held-out item are counted;
 * - precision@k = |top-k ∩ relevant| / k (k, not the list's length: a short list is not rewarded);
 * - NDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{r=1..k} rel_r / log2(r + 1) and IDCG@k the DCG of a
 *   list with all min(k, |relevant|) relevant items first (Järvelin & Kekäläinen, "Cumulated
 *   gain-based evaluation of IR techniques", ACM TOIS 20(4), 2002; binary gains);
 * - both are averaged over the counted users.
 * The candidates are every item the model knows except those the user rated in training; each
 * ranking (model and baseline) is computed the same way.
 */

/** Precision@k and NDCG@k of one ranking, averaged over users. */
export interface RankingScore {
  precision: number;
  ndcg: number;
}

/**
 * Most users a ranking evaluation counts: each costs a score of every item (items × factors), so
 * larger data sets are evaluated on the first users (in the order of their ids' first appearance).
 */
export const MAX_RANKING_USERS = 5000;

/** What a version stores next to its rating metrics. */
export interface RankingMetrics extends RankingScore {
  /** The cut-off (10). */
  k: number;
  /** Held-out ratings at or above this are relevant. */
  relevantThreshold: number;
  /** Users counted (with at least one relevant held-out item). */
  users: number;
  /** The popularity baseline (items ranked by training ratings), computed the same way. */
  baseline: RankingScore & { name: string };
}

/**
 * @param relevant per counted user, the held-out relevant items.
 * @param ranking the user's top-k items, best first (at most k are read).
 */
export function rankingScore<U, I>(relevant: Map<U, Set<I>>, ranking: (user: U) => ArrayLike<I>, k: number): RankingScore {
  let precision = 0;
  let ndcg = 0;
  for (const [user, items] of relevant) {
    const one = userRankingScore(ranking(user), items, k);
    precision += one.precision;
    ndcg += one.ndcg;
  }
  const n = relevant.size;
  return { precision: n ? precision / n : 0, ndcg: n ? ndcg / n : 0 };
}

/** Precision@k and NDCG@k of one user's ranking `top` (best first; at most k are read) against a non-empty `relevant`. */
export function userRankingScore<I>(top: ArrayLike<I>, relevant: Set<I>, k: number): RankingScore {
  let hits = 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, top.length); r++) {
    if (relevant.has(top[r])) {
      hits++;
      dcg += 1 / Math.log2(r + 2);
    }
  }
  let idcg = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) idcg += 1 / Math.log2(r + 2);
  return { precision: hits / k, ndcg: idcg > 0 ? dcg / idcg : 0 };
}

/**
 * The k best of `scores` (descending; ties: the lower index), skipping indices where `skip` is true.
 * O(n · k) worst case, O(n) for the usual k ≪ n.
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: (index: number) => boolean): Int32Array {
  const best: number[] = [];
  if (k <= 0) return new Int32Array(0);
  for (let i = 0; i < scores.length; i++) {
    if (skip?.(i)) continue;
    const s = scores[i];
    if (best.length === k && s <= scores[best[k - 1]]) continue;
    let at = best.length < k ? best.length : k - 1;
    if (best.length < k) best.push(i);
    while (at > 0 && scores[best[at - 1]] < s) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = i;
  }
  return Int32Array.from(best);
}
