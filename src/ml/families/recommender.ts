/**
 * What a loaded recommender offers beyond scoring (user, item) pairs: top-k recommendations,
 * similar items and the explanation of a recommendation. Plain, structured-cloneable data in and
 * out (strings, numbers, plain objects), so a model served on a worker thread answers the same.
 * Ids are strings, as uploaded.
 */

/** One recommended item. */
export interface RecommendedItem {
  itemId: string;
  /** The ranking score (model: predicted rating plus the popularity term; fallback: training ratings of the item). */
  score: number;
  /** The predicted rating, clipped to the training range (absent for the popularity fallback). */
  predictedRating?: number;
}

/** A user's recommendations. */
export interface Recommendations {
  /** 'model' for a user seen in training; 'popularity' (most-rated items) for an unknown user. */
  strategy: 'model' | 'popularity';
  items: RecommendedItem[];
}

/** An item close to another in the embedding space. */
export interface SimilarItem {
  itemId: string;
  /** Cosine similarity of the two items' factor vectors, in [-1, 1], shrunk by the item's support: × n / (n + 25), n its training ratings. */
  similarity: number;
}

/** One of the user's rated items, and how much it speaks for a recommended item. */
export interface RatedItemContribution {
  itemId: string;
  /** Cosine similarity of its factors to the recommended item's. */
  similarity: number;
  /** The user's training rating of it; only in an explanation `byRatings`. */
  rating?: number;
  /** similarity × (rating − the user's mean training rating); only in an explanation `byRatings`. */
  contribution?: number;
}

/** Why an item is recommended to a user. */
export interface RecommendationExplanation {
  predictedRating: number;
  /** The user's rated items that speak for it, as {@link Recommender.explainRecommendation} chooses them. */
  contributions: RatedItemContribution[];
}

/** A loaded recommender (see the module comment). */
export interface Recommender {
  /** Items the model knows. */
  readonly itemCount: number;
  /**
   * @param k items wanted (at most the items the model knows).
   * @param excludeRated leave out the items the user rated in training.
   * @param strategy 'popularity' ranks by training ratings even for a known user (the baseline of
   *   the ranking metrics). (Default: 'model'; an unknown user always gets 'popularity')
   */
  recommend(userId: string, k: number, excludeRated: boolean, strategy?: 'model' | 'popularity'): Recommendations;
  /** @throws AppError NOT_FOUND for an item the model does not know. */
  similarItems(itemId: string, k: number): SimilarItem[];
  /**
   * The user's training items that speak for `itemId` (never the item itself), at most k.
   * @param byRatings true: the items the user liked (rated above their own mean), largest
   *   contribution first, each with its rating and contribution; false: any item the user rated,
   *   most similar first (ties by item id), once each and without rating or contribution — chosen
   *   and ordered by nothing derived from the ratings, for a caller that may not read them.
   * @throws AppError NOT_FOUND for a user or an item the model does not know.
   */
  explainRecommendation(userId: string, itemId: string, k: number, byRatings: boolean): RecommendationExplanation;
}
