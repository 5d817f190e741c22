/**
 * Recommender queries: resolve and load the version as predict does (cached), ask its recommender
 * (src/ml/families/recommender.ts: plain data in and out), then join item metadata by id
 * (./item-metadata.ts). Each call counts as one prediction against the tenant's rate limit.
 */
import { badInput } from '../../lib/errors';
import type { Actor } from '../auth/actor';
import { hasScope } from '../auth/actor';
import { requireScope } from '../auth/require-scope';
import type { QuotaService } from '../quotas/quota.service';
import type { ItemLookup, ItemMetadataCatalog } from './item-metadata';
import type { PredictService } from './predict.service';
import type { RecommendationExplanation, RecommendationResult, SimilarItemsResult } from './recommend.type';
import type { VersionSelector } from './version-resolver';

/** Most items one call returns. */
export const MAX_RECOMMENDATIONS = 100;
/** Longest user or item id accepted, characters. */
const MAX_ID_LENGTH = 256;

function checkK(field: string, k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_RECOMMENDATIONS) throw badInput(`${field} must be an integer in [1, ${MAX_RECOMMENDATIONS}], got ${k}`);
}

function checkId(field: string, id: string): void {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) throw badInput(`${field} must be 1 to ${MAX_ID_LENGTH} characters, got ${id.length}`);
}

/**
 * An item as shown: its title always (what a recommendation displays), its whole metadata row only
 * to a reader who may read datasets (`datasets:read`), as for batch outputs.
 */
const shown = (lookup: ItemLookup, itemId: string, readsData = false) => {
  const info = lookup(itemId);
  return { title: info?.title ?? null, metadata: readsData ? (info?.metadata ?? null) : null };
};

export class RecommendService {
  constructor(
    private readonly predict: PredictService,
    private readonly quotas: QuotaService,
    private readonly catalog: ItemMetadataCatalog,
  ) {}

  private async open(actor: Actor, modelName: string, selector: VersionSelector) {
    requireScope(actor, 'predict');
    if (selector.version !== undefined && selector.alias !== undefined) throw badInput('Take `version` or `alias`, not both');
    await this.quotas.consumePredictions(actor.tenantId, 1);
    const { ref, served } = await this.predict.load(actor.tenantId, modelName, selector);
    const recommender = served.recommender(); // NOT_SUPPORTED for a version that is no recommender
    const interactions = served.pipeline.interactions;
    const lookup = await this.catalog.lookup(actor.tenantId, interactions?.itemMetadata);
    const users = () => this.catalog.lookup(actor.tenantId, interactions?.userMetadata);
    return { served: { modelName, version: ref.version, modelVersionId: ref.id }, recommender, lookup, users };
  }

  /**
   * A user's top-k items; an unknown user gets the most-rated items (strategy POPULARITY).
   * @throws AppError FORBIDDEN, BAD_USER_INPUT (k outside [1, 100], an empty or too long id, both
   *   version and alias), NOT_FOUND (model, version, alias), NOT_SUPPORTED (not a recommender),
   *   MODEL_NOT_READY, QUOTA_EXCEEDED.
   */
  async recommendations(actor: Actor, modelName: string, selector: VersionSelector, userId: string, k: number, excludeRated: boolean): Promise<RecommendationResult> {
    checkId('userId', userId);
    checkK('k', k);
    const { served, recommender, lookup, users } = await this.open(actor, modelName, selector);
    const { strategy, items } = await recommender.recommend(userId, k, excludeRated);
    const readsData = hasScope(actor, 'datasets:read');
    return {
      ...served,
      userId,
      userMetadata: readsData ? ((await users())(userId)?.metadata ?? null) : null,
      strategy: strategy.toUpperCase(),
      items: items.map((it) => ({ itemId: it.itemId, score: it.score, predictedRating: it.predictedRating ?? null, ...shown(lookup, it.itemId, readsData) })),
    };
  }

  /**
   * The k items whose embeddings are closest to the item's (cosine similarity).
   * @throws as {@link recommendations}, and NOT_FOUND for an item the version does not know.
   */
  async similarItems(actor: Actor, modelName: string, selector: VersionSelector, itemId: string, k: number): Promise<SimilarItemsResult> {
    checkId('itemId', itemId);
    checkK('k', k);
    const { served, recommender, lookup } = await this.open(actor, modelName, selector);
    const items = await recommender.similarItems(itemId, k);
    return { ...served, itemId, title: shown(lookup, itemId).title, items: items.map((it) => ({ ...it, ...shown(lookup, it.itemId) })) };
  }

  /**
   * The user's rated items that speak most for an item's recommendation. With `datasets:read`, the
   * liked ones (rated above the user's mean) by contribution, with ratings; without it, any rated
   * item by similarity alone: the ratings are stored rows, so they neither choose, order nor show
   * the items (review F1: ordered by contribution, the list gave away the hidden ratings' order).
   * @throws as {@link recommendations}, and NOT_FOUND for a user or an item the version does not know.
   */
  async explainRecommendation(actor: Actor, modelName: string, selector: VersionSelector, userId: string, itemId: string, k: number): Promise<RecommendationExplanation> {
    checkId('userId', userId);
    checkId('itemId', itemId);
    checkK('k', k);
    const { served, recommender, lookup } = await this.open(actor, modelName, selector);
    const readsData = hasScope(actor, 'datasets:read');
    const why = await recommender.explainRecommendation(userId, itemId, k, readsData);
    return {
      ...served,
      userId,
      itemId,
      title: shown(lookup, itemId).title,
      predictedRating: why.predictedRating,
      contributions: why.contributions.map((c) => ({
        itemId: c.itemId,
        similarity: c.similarity,
        rating: readsData ? (c.rating ?? null) : null,
        contribution: readsData ? (c.contribution ?? null) : null,
        ...shown(lookup, c.itemId, readsData),
      })),
    };
  }
}
