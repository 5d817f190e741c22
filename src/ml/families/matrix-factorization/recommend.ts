/**
 * The {@link Recommender} of a matrix-factorisation model: model indices mapped to the uploaded ids
 * (the pipeline's `id_index` steps), rankings by ./scores.ts, similarities of item factor vectors.
 */
import { AppError, quote } from '../../../lib/errors';
import { topK } from '../../ranking';
import type { RatedItemContribution, Recommender } from '../recommender';
import { predictRating, type MfModel } from './model';
import { itemScores, popularityScores, ratedBy } from './scores';
import { parametersFinite } from './sgd';

/**
 * Shrinkage of an item similarity by the candidate's support, n / (n + SIMILARITY_SHRINKAGE), n its
 * training ratings: the form of Koren, "Factorization meets the neighborhood", KDD 2008, eq. 2
 * (there λ2 = 100 on co-rating counts). The factors of a rarely rated item are mostly its random
 * start, so their cosine is noise; with 25, an item needs 25 ratings to keep half of it.
 */
export const SIMILARITY_SHRINKAGE = 25;

const notKnown = (kind: 'User' | 'Item', id: string) =>
  new AppError('NOT_FOUND', `${kind} ${quote(id)} is not known to this model version (it has no training ratings)`, { [kind === 'User' ? 'userId' : 'itemId']: id.slice(0, 100) });

/** Cosine similarity of two rows of `[n, K]` factors (0 when either is all zeros). */
function cosine(F: Float32Array, K: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let f = 0; f < K; f++) {
    const x = F[a * K + f];
    const y = F[b * K + f];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * @param userIds the model's user ids in index order (the user column's `id_index` step).
 * @param itemIds the same for items.
 */
export function mfRecommender(m: MfModel, userIds: string[], itemIds: string[]): Recommender {
  // A version stored before training checked its parameters (see parametersFinite) scores NaN for everyone.
  if (!parametersFinite(m)) throw new AppError('NON_FINITE_OUTPUT', "The version's biases or factors are not finite numbers: its scores would be NaN; train it again");
  const userIndex = new Map(userIds.map((id, k) => [id, k]));
  const itemIndex = new Map(itemIds.map((id, k) => [id, k]));
  const popularity = popularityScores(m);
  const K = m.factors;
  return {
    itemCount: m.items,
    recommend(userId, k, excludeRated, strategy = 'model') {
      const u = userIndex.get(userId) ?? -1;
      if (u < 0 || strategy === 'popularity') {
        const top = topK(popularity, k, excludeRated ? ratedBy(m, u) : undefined);
        return { strategy: 'popularity', items: Array.from(top, (i) => ({ itemId: itemIds[i], score: popularity[i] })) };
      }
      const scores = itemScores(m, u, m.popularityWeight, new Float64Array(m.items));
      const top = topK(scores, k, excludeRated ? ratedBy(m, u) : undefined);
      return { strategy: 'model', items: Array.from(top, (i) => ({ itemId: itemIds[i], score: scores[i], predictedRating: predictRating(m, u, i) })) };
    },
    similarItems(itemId, k) {
      const i = itemIndex.get(itemId);
      if (i === undefined) throw notKnown('Item', itemId);
      const sims = new Float64Array(m.items);
      for (let j = 0; j < m.items; j++) sims[j] = (cosine(m.itemFactors, K, i, j) * m.itemCounts[j]) / (m.itemCounts[j] + SIMILARITY_SHRINKAGE);
      return Array.from(
        topK(sims, k, (j) => j === i),
        (j) => ({ itemId: itemIds[j], similarity: sims[j] }),
      );
    },
    explainRecommendation(userId, itemId, k, byRatings) {
      const u = userIndex.get(userId);
      if (u === undefined) throw notKnown('User', userId);
      const i = itemIndex.get(itemId);
      if (i === undefined) throw notKnown('Item', itemId);
      const from = m.ratedOffsets[u];
      const to = m.ratedOffsets[u + 1];
      if (!byRatings) {
        // The ratings (ratedValues) are not read: which items, their order and their fields must not reveal them.
        const seen = new Set<number>([i]);
        const rated: RatedItemContribution[] = [];
        for (let at = from; at < to; at++) {
          const j = m.ratedItems[at];
          if (seen.has(j)) continue;
          seen.add(j);
          rated.push({ itemId: itemIds[j], similarity: cosine(m.itemFactors, K, i, j) });
        }
        rated.sort((a, b) => b.similarity - a.similarity || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
        return { predictedRating: predictRating(m, u, i), contributions: rated.slice(0, k) };
      }
      let mean = 0;
      for (let at = from; at < to; at++) mean += m.ratedValues[at] / (to - from);
      const liked: Required<RatedItemContribution>[] = [];
      for (let at = from; at < to; at++) {
        const j = m.ratedItems[at];
        if (j === i || m.ratedValues[at] <= mean) continue; // the items the user liked (above their own mean) speak for it
        const similarity = cosine(m.itemFactors, K, i, j);
        liked.push({ itemId: itemIds[j], rating: m.ratedValues[at], similarity, contribution: similarity * (m.ratedValues[at] - mean) });
      }
      liked.sort((a, b) => b.contribution - a.contribution);
      return { predictedRating: predictRating(m, u, i), contributions: liked.slice(0, k) };
    },
  };
}
