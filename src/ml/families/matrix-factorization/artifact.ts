/**
 * The stored form of a matrix-factorisation model. `topology` (JSON): the sizes, μ, the rating
 * range and the ranking weight; `weights` (bytes, little-endian, 4-byte values in this order):
 *
 *   userBias f32[users] · itemBias f32[items] · userFactors f32[users·K] · itemFactors f32[items·K]
 *   · itemCounts i32[items] · ratedOffsets i32[users+1] · ratedItems i32[ratings] · ratedValues f32[ratings]
 *
 * The ids themselves are in the pipeline (`id_index` steps), which every load is given.
 */
import { badInput } from '../../../lib/errors';
import type { ModelArtifact } from '../model-family';
import type { MfModel } from './model';

export const MF_FORMAT = 'maas-mf/1';

/** The JSON part. */
export interface MfTopology {
  format: typeof MF_FORMAT;
  users: number;
  items: number;
  factors: number;
  ratings: number;
  globalMean: number;
  minRating: number;
  maxRating: number;
  popularityWeight: number;
}

const arrays = (m: MfModel) => [m.userBias, m.itemBias, m.userFactors, m.itemFactors, m.itemCounts, m.ratedOffsets, m.ratedItems, m.ratedValues];

/** Serialises a model (copies its arrays into one buffer). */
export function encodeMf(m: MfModel): ModelArtifact {
  const parts = arrays(m);
  const bytes = Buffer.alloc(parts.reduce((s, a) => s + a.byteLength, 0));
  let at = 0;
  for (const a of parts) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  const topology: MfTopology = {
    format: MF_FORMAT,
    users: m.users,
    items: m.items,
    factors: m.factors,
    ratings: m.ratedItems.length,
    globalMean: m.globalMean,
    minRating: m.minRating,
    maxRating: m.maxRating,
    popularityWeight: m.popularityWeight,
  };
  return { topology: { ...topology }, weights: bytes };
}

const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Rebuilds a model from its stored parts; `weights` may be any Uint8Array (a Buffer, a copy
 * received by a worker thread), aligned or not.
 * @throws AppError BAD_USER_INPUT when the topology is not this format or the bytes do not match it.
 */
export function decodeMf(topology: unknown, weights: Uint8Array): MfModel {
  const t = topology as Partial<MfTopology> | null;
  if (!t || t.format !== MF_FORMAT || ![t.users, t.items, t.factors, t.ratings].every(count)) {
    throw badInput(`The stored MATRIX_FACTORIZATION artifact is not in format ${MF_FORMAT}`);
  }
  const { users, items, factors: K, ratings } = t as MfTopology;
  const lengths = [users, items, users * K, items * K, items, users + 1, ratings, ratings];
  const expected = 4 * lengths.reduce((s, n) => s + n, 0);
  if (weights.byteLength !== expected) throw badInput(`The stored MATRIX_FACTORIZATION weights hold ${weights.byteLength} bytes; its topology needs ${expected}`);
  const copy = new Uint8Array(weights); // own, aligned bytes (Buffer.slice would be a view)
  const buffer = copy.buffer;
  let at = copy.byteOffset;
  const take = <T>(make: new (b: ArrayBuffer, o: number, n: number) => T, n: number): T => {
    const out = new make(buffer, at, n);
    at += 4 * n;
    return out;
  };
  return {
    users,
    items,
    factors: K,
    globalMean: t.globalMean!,
    minRating: t.minRating!,
    maxRating: t.maxRating!,
    popularityWeight: t.popularityWeight ?? 0,
    userBias: take(Float32Array, users),
    itemBias: take(Float32Array, items),
    userFactors: take(Float32Array, users * K),
    itemFactors: take(Float32Array, items * K),
    itemCounts: take(Int32Array, items),
    ratedOffsets: take(Int32Array, users + 1),
    ratedItems: take(Int32Array, ratings),
    ratedValues: take(Float32Array, ratings),
  };
}
