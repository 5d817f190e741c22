/**
 * Recommender queries: recommendations, similarItems and explainRecommendation, with a version
 * chosen as for predict (`version`, `alias` or the latest). Scope: `predict`; each call counts as one
 * prediction against the tenant's rate limit.
 */
import { Arg, Args, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import type { RecommendService } from './recommend.service';
import { RecommendationExplanation, RecommendationResult, SimilarItemsResult } from './recommend.type';
import { VersionArgs, versionSelector } from './version.args';

/** What these resolvers read of the GraphQL context (src/graphql/context.ts), named here so the module does not import the GraphQL layer. */
interface Context {
  actor?: Actor | null;
  services: { recommend: RecommendService };
}

/** The recommender queries. */
@Resolver()
export class RecommendResolver {
  /**
   * A user's top-k items. Scope: `predict`.
   * @throws BAD_USER_INPUT (k outside [1, 100], an empty id), NOT_FOUND, NOT_SUPPORTED (not a recommender), MODEL_NOT_READY, QUOTA_EXCEEDED.
   */
  @Authorized('predict')
  @Query(() => RecommendationResult, {
    description:
      "A user's top-k items from a recommender version (MATRIX_FACTORIZATION), with titles from its item metadata. A user the version was not trained with gets the most-rated items (strategy POPULARITY).",
  })
  recommendations(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('userId', { description: 'The user id, as uploaded.' }) userId: string,
    @Arg('k', () => Int, { defaultValue: 10, description: 'Items wanted, 1-100.' }) k: number,
    @Arg('excludeRated', { defaultValue: true, description: 'Leave out the items the user rated in training.' }) excludeRated: boolean,
    @Ctx() ctx: Context,
  ): Promise<RecommendationResult> {
    return ctx.services.recommend.recommendations(ctx.actor!, which.model, versionSelector(which), userId, k, excludeRated);
  }

  /** Items closest to an item in the embedding space. Scope: `predict`. @throws as recommendations, and NOT_FOUND for an unknown item. */
  @Authorized('predict')
  @Query(() => SimilarItemsResult, { description: "The k items whose embeddings are closest to the item's (cosine similarity), from a recommender version." })
  similarItems(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('itemId', { description: 'The item id, as uploaded.' }) itemId: string,
    @Arg('k', () => Int, { defaultValue: 10, description: 'Items wanted, 1-100.' }) k: number,
    @Ctx() ctx: Context,
  ): Promise<SimilarItemsResult> {
    return ctx.services.recommend.similarItems(ctx.actor!, which.model, versionSelector(which), itemId, k);
  }

  /** Why an item is recommended to a user. Scope: `predict`. @throws as recommendations, and NOT_FOUND for an unknown user or item. */
  @Authorized('predict')
  @Query(() => RecommendationExplanation, {
    description:
      "Why a recommender version recommends an item to a user: the user's rated items that speak most for it in the embedding space. With datasets:read, the items they liked (rated above their mean), by similarity × (rating − mean); without it, any item they rated, by similarity alone.",
  })
  explainRecommendation(
    @Args(() => VersionArgs) which: VersionArgs,
    @Arg('userId') userId: string,
    @Arg('itemId') itemId: string,
    @Arg('k', () => Int, { defaultValue: 5, description: 'Rated items wanted, 1-100.' }) k: number,
    @Ctx() ctx: Context,
  ): Promise<RecommendationExplanation> {
    return ctx.services.recommend.explainRecommendation(ctx.actor!, which.model, versionSelector(which), userId, itemId, k);
  }
}
