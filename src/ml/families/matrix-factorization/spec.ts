/**
 * MATRIX_FACTORIZATION's part of the training spec: `spec.matrixFactorization` (columns and SGD
 * settings), `spec.epochs`, and early stopping on the validation split. Defaults: K 50, γ 0.01
 * (Surprise's `SVD` defaults, lr_all 0.005 doubled for fewer epochs), λ 0.08 (Surprise's 0.02
 * overfits MovieLens 100k after its best epoch: validation RMSE 0.947 → 1.03, notes/tfjs.md; 0.08
 * gave test RMSE ≈ 0.915 on a random 80/20 split), 30 epochs.
 */
import { badInput } from '../../../lib/errors';
import { normalizeEarlyStopping, plain, range } from '../../spec-checks';
import { LIMITS, type MatrixFactorizationSpec, type SpecInput, type TrainingSpec } from '../../spec-types';

export const MF_DEFAULTS = { factors: 50, learningRate: 0.01, regularization: 0.08, epochs: 30 } as const;

/** Most factors per user and item. */
export const MAX_FACTORS = 512;

/** Fields of other families MATRIX_FACTORIZATION refuses rather than ignores, with why. */
const FOREIGN = {
  loss: 'the loss is the squared error of the ratings',
  optimizer: 'it is fit by SGD: set spec.matrixFactorization.learningRate',
  tree: 'tree options are for DECISION_TREE, RANDOM_FOREST and GRADIENT_BOOSTING',
  classWeights: 'ratings are values, not classes',
  balanceClasses: 'ratings are values, not classes',
  batchSize: 'SGD updates after every rating',
} as const;

/**
 * @throws AppError BAD_USER_INPUT naming the field: layers, preprocessing steps, a task other
 *   than REGRESSION, stratification, a field of another family, a missing user or item column, a
 *   value out of range, or early stopping that does not watch VAL_LOSS.
 */
export function normalizeMfSpec(input: SpecInput, spec: TrainingSpec): void {
  if (spec.layers.length > 0) throw badInput('spec.layers must be empty for MATRIX_FACTORIZATION; its options go in spec.matrixFactorization');
  for (const [field, why] of Object.entries(FOREIGN)) {
    const v = input[field as keyof typeof FOREIGN];
    if (v != null && v !== false && !(Array.isArray(v) && v.length === 0)) throw badInput(`spec.${field} is not for MATRIX_FACTORIZATION (${why})`);
  }
  if (spec.preprocessing.steps?.length) throw badInput('spec.preprocessing.steps is not for MATRIX_FACTORIZATION: user and item ids are indexed as they are');
  if (input.task != null && input.task !== 'regression')
    throw badInput(`spec.task for MATRIX_FACTORIZATION must be REGRESSION (explicit ratings), got ${input.task.toUpperCase()}`);
  if (spec.stratify) throw badInput('spec.stratify is for classification; MATRIX_FACTORIZATION predicts ratings');
  const given = Object.fromEntries(Object.entries(input.matrixFactorization ?? {}).filter(([, v]) => v != null)) as Partial<MatrixFactorizationSpec>;
  if (!given.userColumn) throw badInput('spec.matrixFactorization.userColumn is required: the column holding user ids');
  if (!given.itemColumn) throw badInput('spec.matrixFactorization.itemColumn is required: the column holding item ids');
  if (given.userColumn === given.itemColumn) throw badInput(`spec.matrixFactorization.userColumn and itemColumn are both '${given.userColumn}'`);
  const mf: MatrixFactorizationSpec = {
    userColumn: given.userColumn,
    itemColumn: given.itemColumn,
    factors: given.factors ?? MF_DEFAULTS.factors,
    learningRate: given.learningRate ?? MF_DEFAULTS.learningRate,
    regularization: given.regularization ?? MF_DEFAULTS.regularization,
    ...(given.popularityWeight != null ? { popularityWeight: given.popularityWeight } : {}),
    ...(given.itemMetadata ? { itemMetadata: plain(given.itemMetadata) } : {}),
    ...(given.userMetadata ? { userMetadata: plain(given.userMetadata) } : {}),
  };
  range('matrixFactorization.factors', mf.factors, 1, MAX_FACTORS);
  range('matrixFactorization.learningRate', mf.learningRate, 1e-6, 1, false);
  range('matrixFactorization.regularization', mf.regularization, 0, 100, false);
  if (mf.popularityWeight !== undefined) range('matrixFactorization.popularityWeight', mf.popularityWeight, 0, 100, false);
  if (mf.itemMetadata && (!mf.itemMetadata.datasetId || !mf.itemMetadata.idColumn))
    throw badInput('spec.matrixFactorization.itemMetadata needs datasetId and idColumn (the column holding item ids)');
  if (mf.userMetadata && (!mf.userMetadata.datasetId || !mf.userMetadata.idColumn))
    throw badInput('spec.matrixFactorization.userMetadata needs datasetId and idColumn (the column holding user ids)');
  spec.task = 'regression';
  if (input.metrics == null) spec.metrics = ['mse'];
  spec.epochs = input.epochs ?? MF_DEFAULTS.epochs;
  range('epochs', spec.epochs, 1, LIMITS.maxEpochs);
  spec.matrixFactorization = mf;
  if (input.earlyStopping) {
    const es = normalizeEarlyStopping(input.earlyStopping, spec);
    if (es.monitor !== 'val_loss') throw badInput(`spec.earlyStopping.monitor for MATRIX_FACTORIZATION must be VAL_LOSS (the validation MSE), got ${es.monitor.toUpperCase()}`);
    spec.earlyStopping = es;
  }
}
