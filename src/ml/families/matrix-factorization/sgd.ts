/**
 * Stochastic gradient descent for biased matrix factorisation, as Funk's SVD and Surprise's `SVD`
 * (Hug, "Surprise: a Python library for recommender systems", JOSS 2020; update rules of
 * Koren et al. 2009, eq. 5). For each training rating r_ui, in a seeded random order every epoch,
 * with e = r_ui − r̂(u, i), learning rate γ and L2 penalty λ:
 *
 *   b_u += γ (e − λ b_u)      b_i += γ (e − λ b_i)
 *   p_u += γ (e q_i − λ p_u)  q_i += γ (e p_u − λ q_i)
 *
 * Factors start at N(0, 0.1²) (Surprise's `init_std_dev`), biases at 0.
 */
import { permutation, rng } from '../../random';
import { rawPrediction, type MfModel } from './model';

/** Ratings as parallel arrays: user index, item index, value. */
export interface Ratings {
  users: Int32Array;
  items: Int32Array;
  values: Float32Array;
  count: number;
}

export interface SgdParams {
  factors: number;
  learningRate: number;
  regularization: number;
  seed: number;
}

/** Surprise's `init_std_dev`. */
const INIT_STD = 0.1;

/** A standard normal draw (Box–Muller) from `random`. */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The model before its first epoch: μ from `train`, zero biases, small random factors. */
export function initialModel(train: Ratings, users: number, items: number, params: SgdParams): MfModel {
  const random = rng(params.seed);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let n = 0; n < train.count; n++) {
    const v = train.values[n];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const K = params.factors;
  const userFactors = Float32Array.from({ length: users * K }, () => INIT_STD * gaussian(random));
  const itemFactors = Float32Array.from({ length: items * K }, () => INIT_STD * gaussian(random));
  return {
    users,
    items,
    factors: K,
    globalMean: train.count > 0 ? sum / train.count : 0,
    minRating: Number.isFinite(min) ? min : 0,
    maxRating: Number.isFinite(max) ? max : 0,
    userBias: new Float32Array(users),
    itemBias: new Float32Array(items),
    userFactors,
    itemFactors,
    itemCounts: new Int32Array(items),
    ratedOffsets: new Int32Array(users + 1),
    ratedItems: new Int32Array(0),
    ratedValues: new Float32Array(0),
    popularityWeight: 0,
  };
}

/**
 * One epoch of SGD over `train` in a fresh random order drawn from `random`; updates `m` in place.
 * @returns the mean squared error of the ratings as they were met (before each update), as
 *   Keras reports a running training loss.
 */
export function sgdEpoch(m: MfModel, train: Ratings, params: SgdParams, random: () => number): number {
  const order = permutation(train.count, random);
  const K = m.factors;
  const { learningRate: lr, regularization: reg } = params;
  const { userBias, itemBias, userFactors: P, itemFactors: Q } = m;
  let se = 0;
  for (let t = 0; t < train.count; t++) {
    const n = order[t];
    const u = train.users[n];
    const i = train.items[n];
    const pu = u * K;
    const qi = i * K;
    let dot = 0;
    for (let f = 0; f < K; f++) dot += P[pu + f] * Q[qi + f];
    const e = train.values[n] - (m.globalMean + userBias[u] + itemBias[i] + dot);
    se += e * e;
    userBias[u] += lr * (e - reg * userBias[u]);
    itemBias[i] += lr * (e - reg * itemBias[i]);
    for (let f = 0; f < K; f++) {
      const p = P[pu + f];
      const q = Q[qi + f];
      P[pu + f] = p + lr * (e * q - reg * p);
      Q[qi + f] = q + lr * (e * p - reg * q);
    }
  }
  return train.count > 0 ? se / train.count : 0;
}

/** Mean squared error of `m`'s clipped predictions on `ratings` (NaN when there are none). */
export function meanSquaredError(m: MfModel, ratings: Ratings): number {
  let se = 0;
  for (let n = 0; n < ratings.count; n++) {
    const r = Math.min(m.maxRating, Math.max(m.minRating, rawPrediction(m, ratings.users[n], ratings.items[n])));
    const e = ratings.values[n] - r;
    se += e * e;
  }
  return ratings.count > 0 ? se / ratings.count : NaN;
}

/**
 * Whether every learned parameter (global mean, biases, factors) is finite. The epoch's loss is
 * summed in float64 from errors taken before each update, so float32 parameters can overflow to
 * ±Infinity or NaN in an epoch whose loss stays finite (review 6: ratings of ±3e38 trained to a
 * version whose every score was NaN).
 */
export function parametersFinite(m: Pick<MfModel, 'globalMean' | 'userBias' | 'itemBias' | 'userFactors' | 'itemFactors'>): boolean {
  if (!Number.isFinite(m.globalMean)) return false;
  for (const values of [m.userBias, m.itemBias, m.userFactors, m.itemFactors]) {
    for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) return false;
  }
  return true;
}

/** A copy of the learned parameters (biases and factors), to restore the best epoch. */
export function snapshot(m: MfModel): Pick<MfModel, 'userBias' | 'itemBias' | 'userFactors' | 'itemFactors'> {
  return { userBias: m.userBias.slice(), itemBias: m.itemBias.slice(), userFactors: m.userFactors.slice(), itemFactors: m.itemFactors.slice() };
}

/** Training ratings per user (CSR) and per-item counts, stored with the model for exclusions and popularity. */
export function attachRatings(m: MfModel, all: Ratings): void {
  const offsets = new Int32Array(m.users + 1);
  for (let n = 0; n < all.count; n++) offsets[all.users[n] + 1]++;
  for (let u = 0; u < m.users; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, m.users);
  const items = new Int32Array(all.count);
  const values = new Float32Array(all.count);
  const counts = new Int32Array(m.items);
  for (let n = 0; n < all.count; n++) {
    const at = fill[all.users[n]]++;
    items[at] = all.items[n];
    values[at] = all.values[n];
    counts[all.items[n]]++;
  }
  m.ratedOffsets = offsets;
  m.ratedItems = items;
  m.ratedValues = values;
  m.itemCounts = counts;
}
