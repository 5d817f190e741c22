/** Scores of every item for a user, for ranking: recommendations, evaluation and the ranking-weight search. */
import type { MfModel } from './model';

/**
 * Writes into `out[items]` each item's predicted rating r̂(u, i) (unclipped, so the ranking does not
 * tie at the top of the scale) plus `weight` · ln(1 + n_i), n_i the item's training ratings.
 * @param u a user index (not -1: unknown users get the popularity ranking instead).
 */
export function itemScores(m: MfModel, u: number, weight: number, out: Float64Array): Float64Array {
  const K = m.factors;
  const pu = u * K;
  const base = m.globalMean + m.userBias[u];
  for (let i = 0; i < m.items; i++) {
    const qi = i * K;
    let dot = 0;
    for (let f = 0; f < K; f++) dot += m.userFactors[pu + f] * m.itemFactors[qi + f];
    out[i] = base + m.itemBias[i] + dot + (weight !== 0 ? weight * Math.log1p(m.itemCounts[i]) : 0);
  }
  return out;
}

/** The popularity ranking's scores: each item's training ratings. */
export function popularityScores(m: MfModel): Float64Array {
  return Float64Array.from(m.itemCounts);
}

/** The items user u rated in training, as a membership test. */
export function ratedBy(m: MfModel, u: number): (item: number) => boolean {
  if (u < 0) return () => false;
  const set = new Set<number>();
  for (let at = m.ratedOffsets[u]; at < m.ratedOffsets[u + 1]; at++) set.add(m.ratedItems[at]);
  return (i) => set.has(i);
}
