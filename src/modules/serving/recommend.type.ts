/** GraphQL types of the recommender queries: recommendations, similarItems, explainRecommendation. */
import { BoundedJSONObject as GraphQLJSONObject } from '../common/json.scalar';
import { Field, Float, ObjectType } from 'type-graphql';
import { Nullable } from '../common/fields';
import { ServedVersion } from './served-version.type';

/** An item as shown with its metadata. */
@ObjectType()
abstract class ShownItem {
  @Field({ description: 'The item id, as uploaded.' })
  itemId!: string;

  @Nullable(String, "The item's title, from the version's item metadata dataset (null when it has none or the item is not in it).")
  title!: string | null;

  @Nullable(GraphQLJSONObject, "The item's row in the item metadata dataset, keyed by column; null unless the caller's key has datasets:read.")
  metadata!: Record<string, unknown> | null;
}

/** One recommended item. */
@ObjectType({ description: 'A recommended item.' })
export class RecommendedItem extends ShownItem {
  @Field(() => Float, {
    description: "Ranking score: the predicted rating plus the version's popularity term (strategy MODEL), or the item's training ratings (strategy POPULARITY).",
  })
  score!: number;

  @Nullable(Float, 'The predicted rating, clipped to the training range (strategy MODEL only).')
  predictedRating!: number | null;
}

/** A user's top-k items. */
@ObjectType({ description: "A user's recommendations from a model version." })
export class RecommendationResult extends ServedVersion {
  @Field()
  userId!: string;

  @Nullable(
    GraphQLJSONObject,
    "The user's row in the version's user metadata dataset, keyed by column (null when it has none, the user is not in it, or the caller's key lacks datasets:read).",
  )
  userMetadata!: Record<string, unknown> | null;

  @Field({
    description: 'MODEL for a user the version was trained with; POPULARITY (the most-rated items) for a user it does not know: the fallback, said so here.',
  })
  strategy!: string;

  @Field(() => [RecommendedItem], { description: 'Best first.' })
  items!: RecommendedItem[];
}

/** An item close to another. */
@ObjectType({ description: 'An item close to the given one in the embedding space.' })
export class SimilarItem extends ShownItem {
  @Field(() => Float, {
    description: "Cosine similarity of the two items' factor vectors, shrunk by this item's support: × n / (n + 25), n its training ratings (Koren 2008), in [-1, 1].",
  })
  similarity!: number;
}

/** The items most similar to one item. */
@ObjectType({ description: 'Items most similar to an item, by the cosine similarity of their embeddings (shrunk for rarely rated items).' })
export class SimilarItemsResult extends ServedVersion {
  @Field()
  itemId!: string;

  @Nullable(String, "The item's title.")
  title!: string | null;

  @Field(() => [SimilarItem], { description: 'Most similar first; the item itself is left out.' })
  items!: SimilarItem[];
}

/** One of the user's rated items and its share in a recommendation. */
@ObjectType({
  description: "One of the user's rated items and how much it speaks for the recommended item: with datasets:read one they liked (rated above their mean), else any they rated.",
})
export class RatedItemContribution extends ShownItem {
  @Nullable(Float, "The user's training rating of it; null unless the caller's key has datasets:read (it is a stored row).")
  rating!: number | null;

  @Field(() => Float, { description: "Cosine similarity of its embedding to the recommended item's." })
  similarity!: number;

  @Nullable(Float, "similarity × (rating − the user's mean rating); null unless the caller's key has datasets:read (it reveals the rating).")
  contribution!: number | null;
}

/** Why an item is recommended to a user. */
@ObjectType({ description: "Why an item is recommended to a user: the user's rated items that speak most for it in the embedding space." })
export class RecommendationExplanation extends ServedVersion {
  @Field()
  userId!: string;

  @Field()
  itemId!: string;

  @Nullable(String, "The item's title.")
  title!: string | null;

  @Field(() => Float, { description: 'The predicted rating, clipped to the training range.' })
  predictedRating!: number;

  @Field(() => [RatedItemContribution], {
    description:
      "With datasets:read, the user's liked items (rated above their mean), largest contribution first. Without it, the user's rated items most similar to this one first (ties by item id): their ratings are stored rows, so they neither choose, order nor show them.",
  })
  contributions!: RatedItemContribution[];
}
