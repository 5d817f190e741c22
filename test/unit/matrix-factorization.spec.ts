/**
 * MATRIX_FACTORIZATION on small synthetic ratings (two taste groups): it learns them, stores and
 * loads from any Uint8Array, recommends with exclusions and a popularity fallback, finds similar
 * items in the same group, explains; its spec and the ranking metrics' definitions.
 */
import { AppError } from '../../src/lib/errors';
import { parseCsv } from '../../src/ml/data/csv';
import { matrixFactorizationFamily as family } from '../../src/ml/families/matrix-factorization';
import type { MfModel } from '../../src/ml/families/matrix-factorization/model';
import { mfRecommender } from '../../src/ml/families/matrix-factorization/recommend';
import { prepareInteractions } from '../../src/ml/prepare-interactions';
import { rankingScore, topK } from '../../src/ml/ranking';
import { rng } from '../../src/ml/random';
import { normalizeSpec, type SpecInput } from '../../src/ml/spec';

/** 40 users × 30 items, each user rating 60 % of the items: same parity 5, other parity 1 (±0.5 noise rounded). */
function ratings() {
  const r = rng(5);
  const lines = ['user,item,rating,ts'];
  for (let u = 0; u < 40; u++)
    for (let i = 0; i < 30; i++) if (r() < 0.6) lines.push(`u${u},m${i},${u % 2 === i % 2 ? 5 - Math.round(r() * 0.6) : 1 + Math.round(r() * 0.6)},${u * 100 + i}`);
  return parseCsv(lines.join('\n'));
}

const SPEC: SpecInput = {
  model: 'matrix_factorization',
  epochs: 40,
  validationSplit: 0.1,
  earlyStopping: { patience: 5 },
  matrixFactorization: { userColumn: 'user', itemColumn: 'item', factors: 8, learningRate: 0.02, regularization: 0.02 },
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
  return 'no error';
};

async function trained() {
  const spec = normalizeSpec(SPEC);
  const data = prepareInteractions(ratings(), { target: 'rating' }, spec);
  const epochs: number[] = [];
  const fitted = await family.fit(data, spec, { onEpoch: async (e) => void epochs.push(e.epoch) });
  return { spec, data, fitted, epochs };
}

describe('MATRIX_FACTORIZATION', () => {
  it('learns the two groups: one progress event per epoch, test RMSE far below the ratings’ spread', async () => {
    const { data, fitted, epochs } = await trained();
    expect(epochs.length).toBeGreaterThan(3);
    expect(fitted.epochs.every((e) => e.valLoss !== undefined)).toBe(true);
    const out = fitted.scorer.score(data.test.x, data.test.rows);
    let se = 0;
    for (let r = 0; r < data.test.rows; r++) se += (out[r] - data.test.y[r]) ** 2;
    expect(Math.sqrt(se / data.test.rows)).toBeLessThan(0.6); // ratings are 1-1.5 vs 4.5-5: a mean predictor is ~2
    expect(Math.min(...out)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...out)).toBeLessThanOrEqual(5);
  });

  it('stops early as Keras does: after `patience` epochs without improvement, keeping the best epoch', async () => {
    const spec = normalizeSpec({
      ...SPEC,
      epochs: 500,
      earlyStopping: { patience: 2 },
      matrixFactorization: { ...SPEC.matrixFactorization, learningRate: 0.05, regularization: 0 },
    });
    const data = prepareInteractions(ratings(), { target: 'rating' }, spec);
    const fitted = await family.fit(data, spec, { onEpoch: async () => undefined });
    expect(fitted.stoppedEarly).toBe(true);
    expect(fitted.epochs).toHaveLength(fitted.bestEpoch! + 2);
    const best = Math.min(...fitted.epochs.map((e) => e.valLoss!));
    expect(fitted.epochs[fitted.bestEpoch! - 1].valLoss).toBe(best);
  });

  it('loads from an unaligned Uint8Array copy and scores the same; refuses a damaged artifact', async () => {
    const { data, fitted } = await trained();
    const bytes = new Uint8Array(fitted.artifact.weights.length + 1);
    bytes.set(fitted.artifact.weights, 1);
    const loaded = await family.load({ framework: family.framework, topology: JSON.parse(JSON.stringify(fitted.artifact.topology)), weights: bytes.subarray(1) }, data.pipeline);
    expect(Array.from(loaded.score(data.test.x, data.test.rows))).toEqual(Array.from(fitted.scorer.score(data.test.x, data.test.rows)));
    await expect(family.load({ framework: family.framework, topology: fitted.artifact.topology, weights: bytes.subarray(2) }, data.pipeline)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(family.load({ framework: family.framework, topology: { format: 'x' }, weights: bytes }, data.pipeline)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('recommends unrated items of the user’s group, falls back to popularity for an unknown user, and explains', async () => {
    const { fitted } = await trained();
    const rec = fitted.scorer.recommender!;
    const { strategy, items } = rec.recommend('u0', 5, true);
    expect(strategy).toBe('model');
    expect(items).toHaveLength(5);
    const table = ratings();
    const rated = new Set<string>();
    const [users, itemsCol] = [table.data[0], table.data[1]] as { codes: Int32Array; dictionary: string[] }[];
    for (let n = 0; n < table.rowCount; n++) if (users.dictionary[users.codes[n]] === 'u0') rated.add(itemsCol.dictionary[itemsCol.codes[n]]);
    // excluded: none of the user's training ratings (a test rating may come back: the model never saw it)
    const all = rec.recommend('u0', 30, false).items.map((i) => i.itemId);
    expect(all).toHaveLength(30);
    const trainingRated = all.filter((id) => !rec.recommend('u0', 30, true).items.some((i) => i.itemId === id));
    expect(trainingRated.every((id) => rated.has(id))).toBe(true);
    expect(items.filter((i) => Number(i.itemId.slice(1)) % 2 === 0).length).toBeGreaterThanOrEqual(4); // u0 likes even items
    const unknown = rec.recommend('nobody', 3, true);
    expect(unknown.strategy).toBe('popularity');
    expect(unknown.items.map((i) => i.score)).toEqual([...unknown.items.map((i) => i.score)].sort((a, b) => b - a));
    const similar = rec.similarItems('m2', 4);
    expect(similar.map((s) => s.itemId)).not.toContain('m2');
    expect(similar.every((s) => Number(s.itemId.slice(1)) % 2 === 0)).toBe(true);
    expect(codeOf(() => rec.similarItems('nope', 3))).toBe('NOT_FOUND');
    const why = rec.explainRecommendation('u0', items[0].itemId, 3, true);
    expect(why.contributions).toHaveLength(3);
    expect(why.contributions[0].rating).toBeGreaterThanOrEqual(4); // liked items of the same group speak for it
    expect(codeOf(() => rec.explainRecommendation('nobody', 'm2', 3, true))).toBe('NOT_FOUND');
    expect(codeOf(() => rec.explainRecommendation('nobody', 'm2', 3, false))).toBe('NOT_FOUND');
    // Plain data both ways, so a model served on a worker thread answers the same (structured clone).
    for (const answer of [rec.recommend('u0', 5, true), unknown, similar, why]) expect(structuredClone(answer)).toEqual(answer);
  });

  // Review F1: ordered by similarity × (rating − mean), a PREDICT key's explanation gave away the
  // order of the ratings it may not read. A hand-made model: item m0 is explained to user u0, who
  // rated m1..m4 (m2 twice); cos(m0, ·) is 1, 1/√2, 0, -1 for m1..m4.
  function handMade(ratings: number[]) {
    const model: MfModel = {
      users: 1,
      items: 5,
      factors: 2,
      globalMean: 3,
      minRating: 1,
      maxRating: 5,
      userBias: new Float32Array(1),
      itemBias: new Float32Array(5),
      userFactors: Float32Array.of(0.5, 0.5),
      itemFactors: Float32Array.of(1, 0, 1, 0, 1, 1, 0, 1, -1, 0),
      itemCounts: Int32Array.of(1, 1, 2, 1, 1),
      ratedOffsets: Int32Array.of(0, 5),
      ratedItems: Int32Array.of(4, 2, 1, 3, 2),
      ratedValues: Float32Array.from(ratings),
      popularityWeight: 0,
    };
    return mfRecommender(model, ['u0'], ['m0', 'm1', 'm2', 'm3', 'm4']);
  }

  it('explains by the ratings (liked items, by contribution) only when asked; otherwise by similarity alone, reading no rating', () => {
    // Ratings of m4, m2, m1, m3, m2: mean 3, so m4 and both of m2 are liked.
    const byRatings = handMade([4, 5, 1, 1, 4]).explainRecommendation('u0', 'm0', 5, true);
    expect(byRatings.contributions.map((c) => [c.itemId, c.rating, c.similarity, c.contribution])).toEqual([
      ['m2', 5, expect.closeTo(1 / Math.SQRT2, 6), expect.closeTo(2 / Math.SQRT2, 6)],
      ['m2', 4, expect.closeTo(1 / Math.SQRT2, 6), expect.closeTo(1 / Math.SQRT2, 6)],
      ['m4', 4, -1, -1],
    ]);
    const expected = {
      predictedRating: 3.5,
      contributions: [
        { itemId: 'm1', similarity: 1 },
        { itemId: 'm2', similarity: expect.closeTo(1 / Math.SQRT2, 6) },
        { itemId: 'm3', similarity: 0 },
        { itemId: 'm4', similarity: -1 },
      ],
    };
    // Every rated item once, most similar first, no rating field: the same for any ratings.
    for (const ratings of [
      [4, 5, 1, 1, 4],
      [1, 1, 5, 5, 1],
      [3, 3, 3, 3, 3],
    ]) {
      const rec = handMade(ratings);
      expect(rec.explainRecommendation('u0', 'm0', 5, false)).toEqual(expected);
      expect(rec.explainRecommendation('u0', 'm0', 2, false)).toEqual({ ...expected, contributions: expected.contributions.slice(0, 2) });
    }
    // The explained item itself is left out, as by the ratings.
    expect(
      handMade([4, 5, 1, 1, 4])
        .explainRecommendation('u0', 'm2', 5, false)
        .contributions.map((c) => c.itemId),
    ).toEqual(['m1', 'm3', 'm4']);
  });

  it('refuses bad specs with BAD_USER_INPUT naming the field', () => {
    const mf = { userColumn: 'user', itemColumn: 'item' };
    expect(codeOf(() => normalizeSpec({ model: 'matrix_factorization', matrixFactorization: mf }))).toBe('no error');
    for (const [bad, field] of [
      [{ matrixFactorization: { itemColumn: 'item' } }, 'userColumn'],
      [{ matrixFactorization: { ...mf, factors: 0 } }, 'factors'],
      [{ matrixFactorization: { ...mf, learningRate: 2 } }, 'learningRate'],
      [{ matrixFactorization: mf, task: 'binary' }, 'task'],
      [{ matrixFactorization: mf, layers: [{ type: 'dense', units: 1 }] }, 'layers'],
      [{ matrixFactorization: mf, earlyStopping: { monitor: 'val_loss' } }, 'validationSplit'],
    ] as const) {
      expect(() => normalizeSpec({ model: 'matrix_factorization', ...(bad as SpecInput) })).toThrow(field);
    }
    expect(codeOf(() => normalizeSpec({ model: 'gradient_boosting', matrixFactorization: mf }))).toBe('BAD_USER_INPUT');
  });
});

describe('ranking metrics', () => {
  it('precision@k and NDCG@k with binary relevance (Järvelin & Kekäläinen 2002)', () => {
    const relevant = new Map([['a', new Set([1, 3])]]);
    const s = rankingScore(relevant, () => [1, 2, 3], 3);
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.ndcg).toBeCloseTo((1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)), 12);
    expect(Array.from(topK([0.1, 0.9, 0.5, 0.9], 3))).toEqual([1, 3, 2]);
    expect(Array.from(topK([0.1, 0.9, 0.5], 2, (i) => i === 1))).toEqual([2, 0]);
  });
});
