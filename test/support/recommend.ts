/** Recommender queries and version fields, shared by the recommendation specs and the demo's shape. */

export const RANKING_FIELDS = 'ranking { k relevantThreshold users precision ndcg baseline { name precision ndcg } }';

export const RECOMMENDATIONS = `query($model: String!, $userId: String!, $k: Int, $excludeRated: Boolean, $version: Int) {
  recommendations(model: $model, userId: $userId, k: $k, excludeRated: $excludeRated, version: $version) {
    modelName version modelVersionId userId userMetadata strategy items { itemId title metadata score predictedRating } } }`;

export const SIMILAR_ITEMS = `query($model: String!, $itemId: String!, $k: Int) {
  similarItems(model: $model, itemId: $itemId, k: $k) { itemId title items { itemId title similarity } } }`;

export const EXPLAIN_RECOMMENDATION = `query($model: String!, $userId: String!, $itemId: String!, $k: Int) {
  explainRecommendation(model: $model, userId: $userId, itemId: $itemId, k: $k) {
    userId itemId title predictedRating contributions { itemId title metadata rating similarity contribution } } }`;
