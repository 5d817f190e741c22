/**
 * Ranking metrics of a recommender on the test split (definitions in ./ranking.ts): precision@10
 * and NDCG@10 of the model's recommendations and of the popularity baseline, both excluding the
 * items each user rated in training. Users not seen in training are not counted (the model has
 * nothing of theirs to rank by); a relevant test item the model does not know still counts as
 * relevant (it can never be recommended). At most MAX_RANKING_USERS users are counted (the first
 * met in the test split).
 */
import type { Recommender } from './families/recommender';
import type { PreparedData } from './prepare';
import type { RankingMetrics } from './ranking';
import { MAX_RANKING_USERS, rankingScore } from './ranking';

/** The ranking metrics' cut-off. */
export const RANKING_K = 10;
/** Held-out ratings at or above this are relevant (MovieLens' 4 and 5 stars). */
export const RELEVANT_RATING = 4;

/**
 * @param data interactions data: each split's x is `[rows, 2]` (user index, item index; -1 unknown),
 *   y the ratings; the pipeline's columns 0 and 1 hold the user and item `id_index` steps.
 */
export function evaluateRanking(recommender: Recommender, data: PreparedData): RankingMetrics {
  const ids = data.pipeline.columns.map((c) => c.steps.find((s) => s.op === 'id_index') as { ids: string[] } | undefined);
  const [userIds, itemIds] = [ids[0]?.ids ?? [], ids[1]?.ids ?? []];
  const relevant = new Map<string, Set<string>>();
  const { x, y, rows } = data.test;
  for (let r = 0; r < rows; r++) {
    const u = x[2 * r];
    if (u < 0 || y[r] < RELEVANT_RATING) continue;
    const i = x[2 * r + 1];
    const user = userIds[u];
    let set = relevant.get(user);
    if (!set) {
      if (relevant.size >= MAX_RANKING_USERS) continue;
      relevant.set(user, (set = new Set()));
    }
    set.add(i >= 0 ? itemIds[i] : `\u0000unknown item ${r}`);
  }
  const top = (strategy: 'model' | 'popularity') => (user: string) => recommender.recommend(user, RANKING_K, true, strategy).items.map((it) => it.itemId);
  const model = rankingScore(relevant, top('model'), RANKING_K);
  const baseline = rankingScore(relevant, top('popularity'), RANKING_K);
  return { k: RANKING_K, relevantThreshold: RELEVANT_RATING, users: relevant.size, ...model, baseline: { name: 'popularity', ...baseline } };
}
