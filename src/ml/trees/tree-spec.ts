/**
 * The tree families' part of the training spec: `spec.tree`, with scikit-learn's names and each
 * kind's defaults (DecisionTreeClassifier / RandomForestClassifier / HistGradientBoostingClassifier,
 * except where noted in {@link TREE_DEFAULTS}).
 */
import { badInput } from '../../lib/errors';
import { normalizeEarlyStopping, range } from '../spec-checks';
import { LIMITS, type SpecInput, type TrainingSpec, type TreeSpec } from '../spec-types';

/** The model kinds the histogram tree learner serves (src/ml/trees/hist). */
export type TreeKind = 'decision_tree' | 'random_forest' | 'gradient_boosting';

/**
 * Defaults per kind. Trees and forests keep the service's earlier defaults (depth 10, at least 5
 * rows to split, 50 trees seeing 70 % of the inputs); boosting follows scikit-learn's
 * HistGradientBoosting (31 leaves, no depth limit, 20 rows a leaf, learning rate 0.1, 100 rounds).
 */
export const TREE_DEFAULTS: Record<TreeKind, TreeSpec> = {
  decision_tree: { maxDepth: 10, minSamplesSplit: 5, minSamplesLeaf: 1, nEstimators: 1, maxFeatures: 1, maxBins: 255 },
  random_forest: { maxDepth: 10, minSamplesSplit: 5, minSamplesLeaf: 1, nEstimators: 50, maxFeatures: 0.7, maxBins: 255 },
  gradient_boosting: {
    minSamplesSplit: 2,
    minSamplesLeaf: 20,
    nEstimators: 100,
    maxFeatures: 1,
    maxLeafNodes: 31,
    learningRate: 0.1,
    l2Regularization: 0,
    subsample: 1,
    maxBins: 255,
  },
};

/** Options only gradient boosting takes. */
const BOOSTING_ONLY = ['learningRate', 'l2Regularization', 'subsample'] as const;

/** Network fit options a tree model refuses rather than ignores, with where the tree equivalent lives. */
const NETWORK_ONLY = {
  loss: 'the loss follows the task',
  optimizer: 'trees are not fit by an optimiser; GRADIENT_BOOSTING takes spec.tree.learningRate',
  epochs: 'GRADIENT_BOOSTING rounds are spec.tree.nEstimators',
  batchSize: 'trees see every training row at once',
} as const;

/** Most boosting rounds in one run (trees per class per round). */
export const MAX_ROUNDS = LIMITS.maxEpochs;

/**
 * @throws AppError BAD_USER_INPUT naming the field: class weights, layers or a network fit option
 *   (loss, optimizer, epochs, batchSize) on a tree model, early stopping on a tree or forest, a boosting-only option on another kind, or a value
 *   out of range.
 */
export function normalizeTreeSpec(kind: TreeKind, input: SpecInput, spec: TrainingSpec): void {
  const name = kind.toUpperCase();
  if (input.classWeights?.length || input.balanceClasses) throw badInput(`spec.classWeights and spec.balanceClasses are for neural networks; ${name} does not take them`);
  if (spec.layers.length > 0) throw badInput(`spec.layers must be empty for ${name}; tree options go in spec.tree`);
  if (input.text) throw badInput(`spec.text is for TEXT_CLASSIFIER models, not ${name}`);
  for (const [field, instead] of Object.entries(NETWORK_ONLY))
    if (input[field as keyof typeof NETWORK_ONLY] != null) throw badInput(`spec.${field} is for NEURAL_NETWORK; ${name} does not take it (${instead})`);
  const given = Object.fromEntries(Object.entries(input.tree ?? {}).filter(([, v]) => v != null)) as Partial<TreeSpec>;
  if (kind !== 'gradient_boosting') {
    if (input.earlyStopping) throw badInput(`spec.earlyStopping is for neural networks and GRADIENT_BOOSTING; ${name} trains in one pass`);
    // Nothing watches a validation split here: its rows would only be taken from training.
    if (spec.validationSplit > 0)
      throw badInput(
        `spec.validationSplit is for neural networks and GRADIENT_BOOSTING (early stopping); ${name} would only lose those training rows, got ${spec.validationSplit}`,
      );
    for (const f of BOOSTING_ONLY) if (given[f] != null) throw badInput(`spec.tree.${f} is for GRADIENT_BOOSTING; ${name} does not take it`);
  }
  const tree: TreeSpec = { ...TREE_DEFAULTS[kind], ...given };
  if (tree.maxDepth != null) range('tree.maxDepth', tree.maxDepth, 1, LIMITS.maxDepth);
  range('tree.minSamplesSplit', tree.minSamplesSplit, 2, 100_000);
  range('tree.minSamplesLeaf', tree.minSamplesLeaf, 1, 100_000);
  range('tree.nEstimators', tree.nEstimators, 1, kind === 'gradient_boosting' ? MAX_ROUNDS : LIMITS.maxTrees);
  range('tree.maxFeatures', tree.maxFeatures, 0.01, 1, false);
  range('tree.maxBins', tree.maxBins, 2, 255);
  if (tree.maxLeafNodes != null) range('tree.maxLeafNodes', tree.maxLeafNodes, 2, 65_536);
  if (tree.learningRate != null) range('tree.learningRate', tree.learningRate, 1e-6, 1, false);
  if (tree.l2Regularization != null) range('tree.l2Regularization', tree.l2Regularization, 0, 1e6, false);
  if (tree.subsample != null) range('tree.subsample', tree.subsample, 0.01, 1, false);
  spec.tree = tree;
  if (kind === 'decision_tree' && tree.nEstimators !== 1)
    throw badInput(`spec.tree.nEstimators is for RANDOM_FOREST and GRADIENT_BOOSTING; a DECISION_TREE is one tree, got ${tree.nEstimators}`);
  // Trees and forests report one epoch; boosting one per round.
  spec.epochs = kind === 'gradient_boosting' ? tree.nEstimators : 1;
  if (kind === 'gradient_boosting' && input.earlyStopping) {
    const es = normalizeEarlyStopping(input.earlyStopping, spec);
    if (es.monitor !== 'val_loss')
      throw badInput(`spec.earlyStopping.monitor for GRADIENT_BOOSTING must be VAL_LOSS (the validation loss after each round), got ${es.monitor.toUpperCase()}`);
    if (!es.restoreBestWeights) throw badInput('spec.earlyStopping.restoreBestWeights must be true for GRADIENT_BOOSTING: the model keeps the rounds up to the best one');
    spec.earlyStopping = es;
  }
}
