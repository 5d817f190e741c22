/**
 * Normalising a training spec: the fields every family shares are checked here, then the family
 * the spec names (src/ml/families/registry.ts) fills and checks its own part. The Keras reference
 * program maps to it one to one:
 *
 *   Dense(10, input_dim=8, activation='relu')  -> { type: 'dense', units: 10, inputDim: 8, activation: 'relu' }
 *   Dense(1, activation='sigmoid')             -> { type: 'dense', units: 1, activation: 'sigmoid' }
 *   compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
 *   fit(epochs=10, batch_size=32)
 */
import { badInput } from '../lib/errors';
import { familyOf } from './families/registry';
import { checkStepFields } from './preprocess/plan';
import { plain, range } from './spec-checks';
import { checkSpecSizes } from './spec-sizes';
import { LIMITS, LOSS_TASK, type SpecInput, type TrainingSpec } from './spec-types';

export type {
  Activation,
  EarlyStoppingSpec,
  LayerSpec,
  Loss,
  MatrixFactorizationSpec,
  MetricName,
  ModelKind,
  Monitor,
  OptimizerName,
  OptimizerSpec,
  SpecInput,
  Task,
  TrainingSpec,
  TreeSpec,
} from './spec-types';
export { DEFAULT_LEARNING_RATE, LIMITS, LOSS_TASK } from './spec-types';

/**
 * Fills defaults and checks everything that does not depend on the data. Returns a plain object
 * (no GraphQL input class instances), safe to store as JSON.
 * @throws AppError BAD_USER_INPUT naming the field (e.g. `spec.layers[1].units`) and its value,
 *   including a model kind no family is registered for, and a list or text longer than its
 *   SIZE_LIMITS cap (src/ml/spec-sizes.ts).
 */
export function normalizeSpec(input: SpecInput): TrainingSpec {
  checkSpecSizes(input);
  const model = input.model ?? 'neural_network';
  const family = familyOf(model);
  const spec: TrainingSpec = {
    model,
    ...(input.task ? { task: input.task } : {}),
    layers: plain(input.layers ?? []),
    optimizer: plain(input.optimizer ?? { name: 'adam' }),
    // Keras has no default metric; accuracy is the one that means something for classification.
    metrics: input.metrics ?? (input.loss && LOSS_TASK[input.loss] === 'regression' ? ['mse'] : ['accuracy']),
    epochs: input.epochs ?? 10, // the family decides: networks check it, trees set their own
    batchSize: input.batchSize ?? 32,
    validationSplit: input.validationSplit ?? 0,
    testFraction: input.testFraction ?? 0.2,
    seed: input.seed ?? 42,
    standardize: input.standardize ?? family.defaults.standardize,
    stratify: input.stratify ?? false,
    preprocessing: plain(input.preprocessing ?? {}),
    ...(input.orderedSplit ? { orderedSplit: true } : {}),
  };
  if (spec.metrics.includes('auc') && input.loss && LOSS_TASK[input.loss] !== 'binary') {
    throw badInput(`spec.metrics AUC is for binary classification (loss BINARY_CROSSENTROPY); loss ${input.loss.toUpperCase()} trains ${LOSS_TASK[input.loss]}`, {
      field: 'spec.metrics',
      value: 'AUC',
    });
  }
  range('batchSize', spec.batchSize, 1, LIMITS.maxBatchSize);
  range('validationSplit', spec.validationSplit, 0, 0.9, false);
  range('testFraction', spec.testFraction, 0, 0.9, false);
  range('seed', spec.seed, 0, 2 ** 31 - 1);
  checkStepFields(spec.preprocessing.steps ?? []);
  if (input.matrixFactorization && !family.inputFormats.includes('interactions'))
    throw badInput(`spec.matrixFactorization is for MATRIX_FACTORIZATION; ${model.toUpperCase()} does not take it`);
  family.normalize(input, spec);
  const sequence = spec.preprocessing.steps?.findIndex((s) => s.op === 'token_sequence') ?? -1;
  if (sequence >= 0 && !family.inputFormats.includes('tokens')) {
    throw badInput(
      `spec.preprocessing.steps[${sequence}] TOKEN_SEQUENCE makes token ids for text models; ${model.toUpperCase()} does not read them (use TF_IDF or TOKEN_COUNTS, or model TEXT_CLASSIFIER)`,
    );
  }
  return spec;
}
