/**
 * Spec input of MATRIX_FACTORIZATION: which columns hold the user and the item (the run's
 * targetColumn holds the rating), Surprise SVD's settings in camelCase, and the item metadata
 * dataset joined by id when serving recommendations.
 */
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { Nullable } from '../common/fields';

/** Item metadata: another dataset of the tenant, one row per item. */
@InputType({ description: 'A dataset with one row per item (e.g. MovieLens u.item), joined by id to recommendations and similar items.' })
export class ItemMetadataInput {
  @Field(() => ID)
  datasetId!: string;

  @Field({ description: 'The column holding item ids (as in the ratings dataset).' })
  idColumn!: string;

  @Nullable(String, "The column shown as the item's title.")
  titleColumn?: string;
}

/** User metadata: another dataset of the tenant, one row per user. */
@InputType({ description: 'A dataset with one row per user (e.g. MovieLens u.user), joined by id to recommendations.' })
export class UserMetadataInput {
  @Field(() => ID)
  datasetId!: string;

  @Field({ description: 'The column holding user ids (as in the ratings dataset).' })
  idColumn!: string;
}

/** MATRIX_FACTORIZATION options. */
@InputType({ description: 'MATRIX_FACTORIZATION options: the user and item columns (targetColumn is the rating) and the SGD settings.' })
export class MatrixFactorizationInput {
  @Field({ description: 'The column holding user ids.' })
  userColumn!: string;

  @Field({ description: 'The column holding item ids.' })
  itemColumn!: string;

  @Nullable(Int, 'Latent factors K per user and item, in [1, 512]. (Default: 50)')
  factors?: number;

  @Nullable(Float, 'SGD step size. (Default: 0.01)')
  learningRate?: number;

  @Nullable(Float, 'L2 penalty on biases and factors. (Default: 0.08)')
  regularization?: number;

  @Nullable(Float, "Ranking score = predicted rating + popularityWeight · ln(1 + the item's training ratings). Default: chosen on the validation split (1 without one).")
  popularityWeight?: number;

  @Nullable(ItemMetadataInput, 'Item metadata joined by id when serving (titles).')
  itemMetadata?: ItemMetadataInput;

  @Nullable(UserMetadataInput, "User metadata joined by id when serving (shown with a user's recommendations).")
  userMetadata?: UserMetadataInput;
}
