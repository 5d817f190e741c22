/**
 * Explanations: how much each feature column moved one prediction away from a baseline row.
 *
 * Method: Baseline Shapley (BShap; Sundararajan & Najmi, "The many Shapley values for model
 * explanation", ICML 2020). The value of a coalition S of feature columns is the model's output on
 * the row with the columns in S taken from the explained row and the others from the baseline.
 * The attributions then add up exactly to output(row) − output(baseline) (efficiency), a column the
 * model ignores gets 0 (dummy), and the method is the same for networks and trees.
 *
 * Exact over all 2^n coalitions for n ≤ `exactUpTo` feature columns (one batched scoring of 2^n
 * rows). Above that, averaged over random feature orders (permutation sampling, Štrumbelj &
 * Kononenko, "Explaining prediction models and individual predictions with feature
 * contributions", Knowledge and Information Systems 41, 2014), each order with its reverse
 * (antithetic pairs); every order adds up to the same difference, so efficiency stays exact.
 */
import { badInput } from '../lib/errors';
import { decodeOutputs, type Prediction } from './predict';
import { explainTokens, tokenEvaluationsPerRow, type TokenExplanation } from './explain-tokens';
import type { Scorer } from './predictor';
import { transformValues } from './preprocess/fit';
import type { Values } from './preprocess/steps';
import type { FittedPipeline } from './preprocess/types';
import { permutation, rng } from './random';

export interface FeatureAttribution {
  /** Feature column name. */
  feature: string;
  /** The column's value in the explained row, in read form (dates as days since 1970; null = missing). */
  featureValue: number | string | null;
  /** Its share of value − baseValue, in the explained output's units. */
  attribution: number;
}

export interface RowExplanation {
  prediction: Prediction;
  /** Classification: the class whose probability is explained (binary: the positive class). */
  explainedClass?: string;
  /** The explained output for the row: that class' probability, or the regression value. */
  value: number;
  /** The same output for the baseline row. */
  baseValue: number;
  /** One per feature column, in pipeline order; they sum to value − baseValue. */
  attributions: FeatureAttribution[];
  /** Text models: each token's leave-one-out attribution (see explain-tokens.ts). */
  tokens?: TokenExplanation;
}

export interface ExplainOptions {
  /** Exact Shapley values up to this many feature columns. (Default: 10, i.e. 1,024 evaluations a row) */
  exactUpTo?: number;
  /** Sampling: antithetic pairs of feature orders. (Default: 32, i.e. 64 · (n + 1) evaluations a row) */
  pairs?: number;
  /** Sampling: seed of the feature orders, so an explanation is reproducible. (Default: 42) */
  seed?: number;
}

export interface Explanations {
  method: 'exact' | 'sampled';
  /** Model evaluations per explained row. */
  evaluations: number;
  explanations: RowExplanation[];
}

/** Shapley weight of a coalition of size s among n players: s! (n − s − 1)! / n!. */
function shapleyWeights(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let v = 1 / n; // s! (n-s-1)! / n! = 1 / (n · C(n-1, s))
    for (let k = 1; k <= s; k++) v *= k / (n - k);
    w[s] = v;
  }
  return w;
}

const popcount = (m: number) => {
  let c = 0;
  for (let x = m; x; x &= x - 1) c++;
  return c;
};

/**
 * Explains rows already read by the version's pipeline (see readRows).
 * @param rows one entry per feature column, each `rowCount` long.
 * @param baseline one entry per feature column, each 1 long.
 * @throws AppError BAD_USER_INPUT when the version has no feature column to explain.
 */
export function explainValues(scorer: Scorer, pipeline: FittedPipeline, rows: Values[], rowCount: number, baseline: Values[], options: ExplainOptions = {}): Explanations {
  const n = pipeline.columns.length;
  if (n === 0) throw badInput('The version has no feature columns to explain');
  const exact = n <= (options.exactUpTo ?? 10);
  const pairs = options.pairs ?? 32;
  const evaluations = evaluationsPerRow(n, options);
  const { task, classes } = pipeline.target;
  const predictions = decodeOutputs(scorer.score(transformValues(pipeline.columns, rows, rowCount), rowCount), rowCount, pipeline.target);

  const explanations = predictions.map((prediction, r): RowExplanation => {
    // The explained output: regression value, P(positive class), or P(predicted class).
    const explainedClass = task === 'regression' ? undefined : task === 'binary' ? classes![1] : prediction.label;
    const unit = task === 'multiclass' ? classes!.indexOf(prediction.label!) : 0;
    const score: Score = (takes, k) => evaluate(scorer, pipeline, rows, r, baseline, takes, k, unit);
    const phi = exact ? exactShapley(n, score) : sampledShapley(n, pairs, options.seed ?? 42, score);
    const { value, baseValue } = phi;
    return {
      prediction,
      ...(explainedClass !== undefined ? { explainedClass } : {}),
      value,
      baseValue,
      attributions: pipeline.columns.map((c, j) => ({ feature: c.name, featureValue: readForm(rows[j][r]), attribution: phi.values[j] })),
    };
  });
  const texts = explainTokens(
    scorer,
    pipeline,
    Array.from({ length: rowCount }, (_, r) => rows[0][r] as string | null),
    explanations.map((e) => (task === 'multiclass' ? classes!.indexOf(e.prediction.label!) : 0)),
  );
  if (texts) explanations.forEach((e, r) => (e.tokens = texts[r]));
  return { method: exact ? 'exact' : 'sampled', evaluations: evaluations + (texts ? tokenEvaluationsPerRow(pipeline) : 0), explanations };
}

const readForm = (v: number | string | null) => (typeof v === 'number' && Number.isNaN(v) ? null : v);

/** Model evaluations an explanation of one row takes with `n` feature columns. */
export function evaluationsPerRow(n: number, options: ExplainOptions = {}): number {
  return n <= (options.exactUpTo ?? 10) ? 2 ** n : 2 * (options.pairs ?? 32) * (n + 1);
}

/** Whether mixed row m takes column j from the explained row (else from the baseline). */
type Takes = (m: number, j: number) => boolean;
type Score = (takes: Takes, k: number) => Float64Array;

/** All 2^n coalitions; coalition m takes column j from the row when bit j of m is set. */
function exactShapley(n: number, score: Score) {
  const k = 2 ** n;
  const v = score((m, j) => ((m >> j) & 1) === 1, k);
  const w = shapleyWeights(n);
  const values = new Float64Array(n);
  for (let m = 0; m < k; m++) {
    for (let j = 0; j < n; j++) {
      if ((m >> j) & 1) continue;
      values[j] += w[popcount(m)] * (v[m | (1 << j)] - v[m]);
    }
  }
  return { values, value: v[k - 1], baseValue: v[0] };
}

/** `pairs` random orders and their reverses; along an order, each column's marginal contribution. */
function sampledShapley(n: number, pairs: number, seed: number, score: Score) {
  const random = rng(seed);
  const orders: Int32Array[] = [];
  for (let p = 0; p < pairs; p++) {
    const order = permutation(n, random);
    orders.push(order, order.slice().reverse());
  }
  const chain = n + 1; // step t takes the first t columns of the order from the row
  const k = orders.length * chain;
  const rank = new Int32Array(orders.length * n); // rank[o·n + j]: position of column j in order o
  orders.forEach((order, o) => order.forEach((j, position) => (rank[o * n + j] = position)));
  const v = score((m, j) => rank[Math.floor(m / chain) * n + j] < m % chain, k);
  const values = new Float64Array(n);
  orders.forEach((order, o) => {
    for (let t = 1; t <= n; t++) values[order[t - 1]] += v[o * chain + t] - v[o * chain + t - 1];
  });
  for (let j = 0; j < n; j++) values[j] /= orders.length;
  return { values, value: v[chain - 1], baseValue: v[0] };
}

/** Model-input cells scored per call: bounds the memory of one explanation (16 MB of float32). */
const CELLS_PER_CALL = 4 * 1024 * 1024;

/**
 * The explained output on `k` mixed rows (row m takes column j from explained row `r` when
 * `takes(m, j)`, else from the baseline), scored in chunks of at most CELLS_PER_CALL inputs.
 * @returns [k] outputs (unit `unit` of each).
 */
function evaluate(scorer: Scorer, pipeline: FittedPipeline, rows: Values[], r: number, baseline: Values[], takes: Takes, k: number, unit: number): Float64Array {
  const inputs = pipeline.columns.reduce((s, c) => s + c.outputs.length, 0);
  const chunk = Math.max(1, Math.floor(CELLS_PER_CALL / Math.max(1, inputs)));
  const result = new Float64Array(k);
  for (let start = 0; start < k; start += chunk) {
    const size = Math.min(chunk, k - start);
    const mixed = rows.map((column, j): Values => {
      const x = column[r];
      const b = baseline[j][0];
      if (column instanceof Float64Array) {
        const out = new Float64Array(size);
        for (let m = 0; m < size; m++) out[m] = takes(start + m, j) ? (x as number) : (b as number);
        return out;
      }
      return Array.from({ length: size }, (_, m) => (takes(start + m, j) ? (x as string | null) : (b as string | null)));
    });
    const out = scorer.score(transformValues(pipeline.columns, mixed, size), size);
    const units = out.length / size;
    for (let m = 0; m < size; m++) result[start + m] = out[m * units + unit];
  }
  return result;
}
