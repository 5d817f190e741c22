/**
 * Spec inputs of the tree kinds — DECISION_TREE, RANDOM_FOREST and GRADIENT_BOOSTING — with
 * scikit-learn's names in camelCase (`min_samples_leaf` → `minSamplesLeaf`). Each description
 * says which kinds read the field and its default for each.
 */
import { Float, InputType, Int } from 'type-graphql';
import { Nullable } from '../common/fields';

/** Tree options; fields a kind does not use are for the other kinds. */
@InputType({ description: 'Tree options (scikit-learn names) for DECISION_TREE, RANDOM_FOREST and GRADIENT_BOOSTING; each field says which kinds use it.' })
export class TreeInput {
  @Nullable(Int, 'Maximum depth. DECISION_TREE, RANDOM_FOREST: (Default: 10). GRADIENT_BOOSTING: no limit unless set.')
  maxDepth?: number;

  @Nullable(Int, 'A node with fewer rows is not split. (Default: 5 for DECISION_TREE and RANDOM_FOREST, 2 for GRADIENT_BOOSTING)')
  minSamplesSplit?: number;

  @Nullable(Int, 'Fewest training rows in a leaf. (Default: 1 for DECISION_TREE and RANDOM_FOREST, 20 for GRADIENT_BOOSTING)')
  minSamplesLeaf?: number;

  @Nullable(Int, 'Most leaves per tree. (Default: 31 for GRADIENT_BOOSTING; unlimited for DECISION_TREE and RANDOM_FOREST)')
  maxLeafNodes?: number;

  @Nullable(Int, 'RANDOM_FOREST: number of trees. (Default: 50) GRADIENT_BOOSTING: number of boosting rounds. (Default: 100)')
  nEstimators?: number;

  @Nullable(Float, 'Fraction of the model inputs considered at each split, drawn per split. (Default: 0.7 for RANDOM_FOREST, 1 otherwise)')
  maxFeatures?: number;

  @Nullable(Float, "GRADIENT_BOOSTING only: shrinkage of each round's tree, in (0, 1]. (Default: 0.1)")
  learningRate?: number;

  @Nullable(Float, 'GRADIENT_BOOSTING only: L2 regularisation of leaf values. (Default: 0)')
  l2Regularization?: number;

  @Nullable(Float, 'GRADIENT_BOOSTING only: fraction of the training rows each boosting round fits on. (Default: 1)')
  subsample?: number;

  @Nullable(Int, 'All tree kinds: histogram buckets per input, in [2, 255]. (Default: 255)')
  maxBins?: number;
}
