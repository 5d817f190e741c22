/**
 * MATRIX_FACTORIZATION: biased matrix factorisation of explicit ratings (Koren et al. 2009), trained
 * by seeded SGD in plain TypeScript (./sgd.ts), one progress event per epoch, early stopping on the
 * validation MSE. Takes `interactions` data (src/ml/prepare-interactions.ts): each example is
 * `[user index, item index]`, the output the predicted rating. A loaded model is also a
 * {@link Recommender}: top-k items (popularity for unknown users), similar items, explanations.
 */
import { AppError, badInput } from '../../../lib/errors';
import type { FittedPipeline } from '../../preprocess/types';
import type { TrainingSpec } from '../../spec-types';
import { rng } from '../../random';
import { mfRunTime } from '../../run-time';
import type { DataShape, EpochResult, FitContext, FitResult, ModelFamily, Scorer } from '../model-family';
import type { PreparedData, SplitData } from '../../prepare';
import { shapedScorer } from '../scorer';
import { decodeMf, encodeMf } from './artifact';
import { scorePairs, type MfModel } from './model';
import { choosePopularityWeight, DEFAULT_POPULARITY_WEIGHT } from './ranking-weight';
import { mfRecommender } from './recommend';
import { attachRatings, initialModel, meanSquaredError, parametersFinite, sgdEpoch, snapshot, type Ratings } from './sgd';
import { normalizeMfSpec } from './spec';

/**
 * Bound on training ratings × factors × epochs per run: an SGD step costs about 4K multiply-adds,
 * and MovieLens 100k (72k ratings × 50 × 30 = 1.1e8) takes about 1 s here, so 2e10 is a few minutes.
 */
export const MAX_MF_WORK = 2e10;

const idsOf = (pipeline: FittedPipeline, column: string | undefined, at: number): string[] => {
  const col = (column && pipeline.columns.find((c) => c.name === column)) || pipeline.columns[at];
  const step = col?.steps.find((s) => s.op === 'id_index');
  if (!step || step.op !== 'id_index') throw badInput(`The pipeline has no id index for the ${at === 0 ? 'user' : 'item'} column: it is not interactions data`);
  return step.ids;
};

/** A split's known (user, item, rating) triples as parallel arrays; rows with an unknown id are left out. */
function ratingsOf(split: SplitData): Ratings {
  const keep: number[] = [];
  for (let r = 0; r < split.rows; r++) if (split.x[2 * r] >= 0 && split.x[2 * r + 1] >= 0) keep.push(r);
  return {
    users: Int32Array.from(keep, (r) => split.x[2 * r]),
    items: Int32Array.from(keep, (r) => split.x[2 * r + 1]),
    values: Float32Array.from(keep, (r) => split.y[r]),
    count: keep.length,
  };
}

const concat = (a: Ratings, b: Ratings): Ratings => ({
  users: Int32Array.from([...a.users, ...b.users]),
  items: Int32Array.from([...a.items, ...b.items]),
  values: Float32Array.from([...a.values, ...b.values]),
  count: a.count + b.count,
});

function mfScorer(m: MfModel, pipeline: FittedPipeline): Scorer {
  const scorer = shapedScorer([2], [1], (x, rows) => scorePairs(m, x, rows));
  const recommender = mfRecommender(m, idsOf(pipeline, pipeline.interactions?.userColumn, 0), idsOf(pipeline, pipeline.interactions?.itemColumn, 1));
  const methods = {
    recommendations: recommender.recommend,
    similarItems: recommender.similarItems,
    explainRecommendation: recommender.explainRecommendation,
  };
  return { ...scorer, score: scorer.score, dispose: scorer.dispose, recommender, methods };
}

/**
 * @throws AppError BAD_USER_INPUT when ratings × factors × epochs passes {@link MAX_MF_WORK}.
 */
function checkMfCost(spec: TrainingSpec, shape: DataShape): void {
  const work = shape.rows * spec.matrixFactorization!.factors * spec.epochs;
  if (work > MAX_MF_WORK) {
    throw badInput(
      `MATRIX_FACTORIZATION on ${shape.rows} ratings × ${spec.matrixFactorization!.factors} factors × ${spec.epochs} epochs is too large: the product must stay under ${MAX_MF_WORK.toExponential(0)}, got ${work.toExponential(1)}; use fewer factors or epochs, or fewer rows`,
      { limit: MAX_MF_WORK, work },
    );
  }
}

async function fitMf(data: PreparedData, spec: TrainingSpec, { onEpoch, signal }: FitContext): Promise<FitResult> {
  const mf = spec.matrixFactorization!;
  const users = idsOf(data.pipeline, data.pipeline.interactions?.userColumn, 0).length;
  const items = idsOf(data.pipeline, data.pipeline.interactions?.itemColumn, 1).length;
  const train = ratingsOf(data.train);
  const validation = ratingsOf(data.validation);
  if (train.count === 0) throw badInput('MATRIX_FACTORIZATION has no training ratings left after the test and validation splits');
  const params = { factors: mf.factors, learningRate: mf.learningRate, regularization: mf.regularization, seed: spec.seed };
  const m = initialModel(train, users, items, params);
  const random = rng(spec.seed + 1);
  const es = spec.earlyStopping && validation.count > 0 ? spec.earlyStopping : undefined;
  const epochs: EpochResult[] = [];
  let best = { epoch: 0, valLoss: Infinity, weights: snapshot(m) };
  for (let epoch = 1; epoch <= spec.epochs; epoch++) {
    const started = performance.now();
    const loss = sgdEpoch(m, train, params, random);
    if (!Number.isFinite(loss)) {
      throw badInput(`MATRIX_FACTORIZATION diverged at epoch ${epoch} (training loss ${loss}); lower spec.matrixFactorization.learningRate (${mf.learningRate})`);
    }
    if (!parametersFinite(m)) {
      throw badInput(
        `MATRIX_FACTORIZATION diverged at epoch ${epoch}: its biases or factors became non-finite (NaN or Infinity); lower spec.matrixFactorization.learningRate (${mf.learningRate}) or scale the ratings`,
        { epoch },
      );
    }
    const valLoss = validation.count > 0 ? meanSquaredError(m, validation) : undefined;
    const result: EpochResult = { epoch, loss, ...(valLoss !== undefined ? { valLoss } : {}), elapsedMs: performance.now() - started };
    epochs.push(result);
    if (valLoss !== undefined && valLoss < best.valLoss - (es?.minDelta ?? 0)) best = { epoch, valLoss, weights: es?.restoreBestWeights ? snapshot(m) : best.weights };
    const answer = await onEpoch(result);
    if (answer === 'stop' || signal?.aborted) break;
    // Keras' EarlyStopping: stop once `patience` epochs in a row have not improved on the best.
    if (es && best.epoch !== epoch && epoch - best.epoch >= Math.max(1, es.patience)) break;
  }
  if (es?.restoreBestWeights && best.epoch > 0) Object.assign(m, best.weights);
  // The ranking weight is chosen with only the fitting part excluded, then every training rating is stored.
  attachRatings(m, train);
  m.popularityWeight = mf.popularityWeight ?? (validation.count > 0 ? choosePopularityWeight(m, validation) : DEFAULT_POPULARITY_WEIGHT);
  attachRatings(m, validation.count > 0 ? concat(train, validation) : train);
  const last = epochs[epochs.length - 1]?.epoch ?? 0;
  return {
    artifact: encodeMf(m),
    scorer: mfScorer(m, data.pipeline),
    epochs,
    ...(es ? { bestEpoch: best.epoch || last, stoppedEarly: last < spec.epochs } : {}),
  };
}

export const matrixFactorizationFamily: ModelFamily<'matrix_factorization'> = {
  kind: 'matrix_factorization',
  framework: 'matrix-factorization',
  inputFormats: ['interactions'],
  description: 'Biased matrix factorisation of explicit ratings (SGD, as Funk SVD / Surprise SVD): recommendations, similar items',
  defaults: { standardize: false },
  scalesTarget: false,
  supports: { explain: false, batchPredict: true, importances: false, recommend: true },
  exampleSpec: () => ({
    model: 'matrix_factorization',
    task: 'regression',
    epochs: 5,
    matrixFactorization: { userColumn: 'user', itemColumn: 'item', factors: 8 },
  }),
  normalize: normalizeMfSpec,
  checkData: (spec, shape) => checkMfCost(spec, shape),
  estimateRunTime: mfRunTime,
  fit: fitMf,
  async load(stored, pipeline) {
    try {
      return mfScorer(decodeMf(stored.topology, stored.weights), pipeline);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw badInput(`The stored MATRIX_FACTORIZATION artifact cannot be read: ${(err as Error).message}`);
    }
  },
};
