/**
 * Recommendations through the API on small synthetic ratings (two taste groups, so what a good
 * model recommends is known): training a MATRIX_FACTORIZATION version with item metadata, its
 * test and ranking metrics, recommendations (exclusions, the popularity fallback, titles), similar
 * items, explanations, plain predict on (user, item) rows, and the coded errors.
 */
import type { App } from '../src/app';
import { codeOf, collect, gql, gqlOk, wsClient } from '../src/client/graphql-client';
import { rng, splitRows } from '../src/ml/random';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { EXPLAIN_RECOMMENDATION, RANKING_FIELDS, RECOMMENDATIONS, SIMILAR_ITEMS } from './support/recommend';
import { startError, trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

let app: App;
let t: TenantBundle;
let ratingsId: string;
let itemsId: string;
let usersId: string;

/** 40 users × 30 items, each pair rated with probability 0.6: same parity 4-5, other parity 1-2. */
const rows: [string, string, number][] = [];
{
  const r = rng(9);
  for (let u = 0; u < 40; u++) for (let i = 0; i < 30; i++) if (r() < 0.6) rows.push([`u${u}`, `m${i}`, u % 2 === i % 2 ? 4 + Math.round(r()) : 1 + Math.round(r())]);
}
const RATINGS_CSV = ['user,item,rating', ...rows.map((x) => x.join(','))].join('\n');
const USERS_CSV = ['person,age', ...Array.from({ length: 40 }, (_, u) => `u${u},${20 + u}`)].join('\n');
const ITEMS_CSV = ['movie,name,genre', ...Array.from({ length: 30 }, (_, i) => `m${i},Film ${i},${i % 2 ? 'odd' : 'even'}`)].join('\n');

const SPEC = { testFraction: 0.2, validationSplit: 0.1, seed: 7, epochs: 60, earlyStopping: { monitor: 'VAL_LOSS', patience: 5 } };
const MF = { userColumn: 'user', itemColumn: 'item', factors: 8, learningRate: 0.02, regularization: 0.02 };

/** The items user u rated in the training split (fitting + validation rows), as the server splits them. */
function trainingRated(user: string): Set<string> {
  const split = splitRows(rows.length, SPEC.testFraction, SPEC.validationSplit, SPEC.seed);
  return new Set([...split.train, ...split.validation].filter((k) => rows[k][0] === user).map((k) => rows[k][1]));
}

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'recommend');
  ratingsId = (await uploadOk(t, 'ratings.csv', RATINGS_CSV)).id;
  itemsId = (await uploadOk(t, 'items.csv', ITEMS_CSV, { hasHeader: true })).id;
  usersId = (await uploadOk(t, 'users.csv', USERS_CSV, { hasHeader: true })).id;
});
afterAll(() => app.stop());

let version: Record<string, any>;

it('trains MATRIX_FACTORIZATION with early stopping; stores RMSE and P@10 / NDCG@10 next to the popularity baseline', async () => {
  version = await trainVersion(t, {
    datasetId: ratingsId,
    targetColumn: 'rating',
    modelName: 'films',
    spec: {
      model: 'MATRIX_FACTORIZATION',
      ...SPEC,
      matrixFactorization: { ...MF, itemMetadata: { datasetId: itemsId, idColumn: 'movie', titleColumn: 'name' }, userMetadata: { datasetId: usersId, idColumn: 'person' } },
    },
  });
  const data = await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { metrics { ${RANKING_FIELDS} } } }`, { id: version.id });
  const m = { ...version.metrics, ...data.modelVersion.metrics };
  expect(version.framework).toBe('matrix-factorization');
  expect(version.task).toBe('regression');
  expect(version.features.map((f: { name: string; steps: string[] }) => [f.name, f.steps])).toEqual([
    ['user', ['id_index']],
    ['item', ['id_index']],
  ]);
  const split = splitRows(rows.length, SPEC.testFraction, SPEC.validationSplit, SPEC.seed);
  expect(m.rows).toEqual({ train: split.train.length, validation: split.validation.length, test: split.test.length });
  expect(m.bestEpoch).toBeGreaterThan(1);
  expect(m.rmse).toBeLessThan(0.75); // the groups' ratings differ by 3; a mean predictor scores ~1.6
  expect(m.ranking).toMatchObject({ k: 10, relevantThreshold: 4, baseline: { name: 'popularity' } });
  expect(m.ranking.users).toBeGreaterThan(30);
  expect(m.ranking.precision).toBeGreaterThan(m.ranking.baseline.precision);
  expect(m.ranking.ndcg).toBeGreaterThan(m.ranking.baseline.ndcg);
});

it('recommends unrated items of the user’s group with titles; excludeRated: false brings rated ones back', async () => {
  const got = (await gqlOk(t, RECOMMENDATIONS, { model: 'films', userId: 'u0', k: 5 })).recommendations;
  expect(got).toMatchObject({ modelName: 'films', version: 1, userId: 'u0', userMetadata: { person: 'u0', age: 20 }, strategy: 'MODEL' });
  expect(got.items).toHaveLength(5);
  const rated = trainingRated('u0');
  for (const item of got.items) {
    expect(rated.has(item.itemId)).toBe(false);
    expect(item.title).toBe(`Film ${item.itemId.slice(1)}`);
    expect(item.metadata).toEqual({ movie: item.itemId, name: item.title, genre: Number(item.itemId.slice(1)) % 2 ? 'odd' : 'even' });
  }
  // u0 likes even items: every recommended unrated one is even (u0 rated 60 % of the 15, so fewer than 5 may be left).
  expect(got.items.filter((i: { itemId: string }) => Number(i.itemId.slice(1)) % 2 === 0).length).toBe(
    Math.min(5, 15 - [...rated].filter((i) => Number(i.slice(1)) % 2 === 0).length),
  );
  const all = (await gqlOk(t, RECOMMENDATIONS, { model: 'films', userId: 'u0', k: 30, excludeRated: false })).recommendations.items;
  expect(all).toHaveLength(30);
  expect(all.some((i: { itemId: string }) => rated.has(i.itemId))).toBe(true);
});

it('answers an unknown user with the most-rated items and says so (strategy POPULARITY)', async () => {
  const got = (await gqlOk(t, RECOMMENDATIONS, { model: 'films', userId: 'newcomer', k: 4 })).recommendations;
  expect(got.strategy).toBe('POPULARITY');
  expect(got.userMetadata).toBeNull();
  expect(got.items).toHaveLength(4);
  const scores = got.items.map((i: { score: number }) => i.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  expect(got.items.every((i: { predictedRating: number | null }) => i.predictedRating === null)).toBe(true);
});

it('finds similar items in the same group and explains a recommendation by the user’s liked items', async () => {
  const similar = (await gqlOk(t, SIMILAR_ITEMS, { model: 'films', itemId: 'm4', k: 5 })).similarItems;
  expect(similar.title).toBe('Film 4');
  expect(similar.items).toHaveLength(5);
  expect(similar.items.every((i: { itemId: string }) => i.itemId !== 'm4' && Number(i.itemId.slice(1)) % 2 === 0)).toBe(true);
  const top = (await gqlOk(t, RECOMMENDATIONS, { model: 'films', userId: 'u1', k: 1 })).recommendations.items[0];
  const why = (await gqlOk(t, EXPLAIN_RECOMMENDATION, { model: 'films', userId: 'u1', itemId: top.itemId, k: 3 })).explainRecommendation;
  expect(why.predictedRating).toBeCloseTo(top.predictedRating, 5);
  expect(why.contributions).toHaveLength(3);
  for (const c of why.contributions) {
    expect(trainingRated('u1').has(c.itemId)).toBe(true);
    expect(c.rating).toBeGreaterThanOrEqual(4);
    expect(c.similarity).toBeGreaterThan(0);
    expect(c.title).toBe(`Film ${c.itemId.slice(1)}`);
  }
  const contributions = why.contributions.map((c: { contribution: number }) => c.contribution);
  expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
});

it('predicts ratings for (user, item) rows, unknown ids included', async () => {
  const out = await gqlOk(t, 'query($rows: [JSONObject!]!) { predict(model: "films", rows: $rows) { predictions { value } } }', {
    rows: [
      { user: 'u0', item: 'm2' },
      { user: 'u0', item: 'm3' },
      { user: 'stranger', item: 'unseen' },
    ],
  });
  const [liked, disliked, unknown] = out.predict.predictions.map((p: { value: number }) => p.value);
  expect(liked).toBeGreaterThan(3.5);
  expect(disliked).toBeLessThan(2.5);
  expect(unknown).toBeGreaterThan(2); // the global mean
  expect(unknown).toBeLessThan(4);
});

it('batch-predicts every rating of a dataset, as predict does', async () => {
  const started = (await gqlOk(t, 'mutation($d: ID!) { startBatchPrediction(model: "films", datasetId: $d) { id } }', { d: ratingsId })).startBatchPrediction;
  const client = wsClient(t.wsUrl, t.token);
  const events = await collect<{ batchPredictionProgress: Record<string, any> }>(client, 'subscription($id: ID!) { batchPredictionProgress(id: $id) { status processedRows } }', {
    id: started.id,
  }).done;
  await client.dispose();
  expect(events[events.length - 1].data!.batchPredictionProgress).toEqual({ status: 'SUCCEEDED', processedRows: rows.length });
  const res = await fetch(`${t.url.replace('/graphql', '')}/batch-predictions/${started.id}.csv`, { headers: { authorization: `Bearer ${t.token}` } });
  const lines = (await res.text()).trim().split('\n');
  expect(lines[0]).toBe('"user","item","rating","predicted_value"');
  expect(lines).toHaveLength(rows.length + 1);
  const direct = (
    await gqlOk(t, 'query($rows: [JSONObject!]!) { predict(model: "films", rows: $rows) { predictions { value } } }', { rows: [{ user: rows[0][0], item: rows[0][1] }] })
  ).predict.predictions[0].value;
  expect(Number(lines[1].split(',')[3])).toBeCloseTo(direct, 5);
});

it('refuses with coded errors: k bounds, unknown items and users, non-recommenders, bad specs', async () => {
  expect(codeOf(await gql(t, RECOMMENDATIONS, { model: 'films', userId: 'u0', k: 0 }))).toBe('BAD_USER_INPUT');
  expect((await gql(t, RECOMMENDATIONS, { model: 'films', userId: 'u0', k: 101 })).errors?.[0].message).toBe('k must be an integer in [1, 100], got 101');
  expect(codeOf(await gql(t, RECOMMENDATIONS, { model: 'films', userId: '', k: 3 }))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(t, RECOMMENDATIONS, { model: 'no-such-model', userId: 'u0' }))).toBe('NOT_FOUND');
  const unknownItem = await gql(t, SIMILAR_ITEMS, { model: 'films', itemId: 'm999' });
  expect([codeOf(unknownItem), unknownItem.errors?.[0].message]).toEqual(['NOT_FOUND', "Item 'm999' is not known to this model version (it has no training ratings)"]);
  expect(codeOf(await gql(t, EXPLAIN_RECOMMENDATION, { model: 'films', userId: 'newcomer', itemId: 'm2' }))).toBe('NOT_FOUND');

  const shapley = await gql(t, 'query { explain(model: "films", rows: [{ user: "u0", item: "m2" }]) { modelVersionId } }');
  expect([codeOf(shapley), shapley.errors?.[0].message]).toEqual(['NOT_SUPPORTED', 'MATRIX_FACTORIZATION models do not support explanations']);

  await trainVersion(t, { datasetId: ratingsId, targetColumn: 'rating', modelName: 'tree', spec: { model: 'DECISION_TREE', task: 'REGRESSION' } });
  const notRecommender = await gql(t, RECOMMENDATIONS, { model: 'tree', userId: 'u0' });
  expect(codeOf(notRecommender)).toBe('NOT_SUPPORTED');
  expect(notRecommender.errors?.[0].message).toMatch(/^DECISION_TREE models do not support recommendations/);

  const bad = (spec: object) => startError(t, { datasetId: ratingsId, targetColumn: 'rating', modelName: 'bad', spec: { model: 'MATRIX_FACTORIZATION', ...spec } });
  expect(await bad({})).toMatchObject({ code: 'BAD_USER_INPUT', message: 'spec.matrixFactorization.userColumn is required: the column holding user ids' });
  expect(await bad({ matrixFactorization: { ...MF, userColumn: 'usr' } })).toMatchObject({
    code: 'BAD_USER_INPUT',
    message: expect.stringContaining("'usr' is not a column of the dataset (did you mean 'user'?)"),
  });
  expect(await bad({ matrixFactorization: { ...MF, factors: 0 } })).toMatchObject({
    code: 'BAD_USER_INPUT',
    message: 'spec.matrixFactorization.factors must be an integer in [1, 512], got 0',
  });
  expect(await bad({ matrixFactorization: { ...MF, itemMetadata: { datasetId: itemsId, idColumn: 'movie', titleColumn: 'nam' } } })).toMatchObject({
    code: 'BAD_USER_INPUT',
    message: expect.stringContaining("spec.matrixFactorization.itemMetadata.titleColumn 'nam' is not a column of dataset"),
  });
  expect(await bad({ matrixFactorization: { ...MF, userMetadata: { datasetId: usersId, idColumn: 'id' } } })).toMatchObject({
    code: 'BAD_USER_INPUT',
    message: expect.stringContaining("spec.matrixFactorization.userMetadata.idColumn 'id' is not a column of dataset 'users.csv'"),
  });
  expect(await bad({ matrixFactorization: MF, layers: [{ type: 'DENSE', units: 1 }] })).toMatchObject({ code: 'BAD_USER_INPUT' });
});

it('keeps tenants apart: another tenant can neither serve this model nor join this item metadata', async () => {
  const other = await createTenant(app, 'recommend-other');
  expect(codeOf(await gql(other, RECOMMENDATIONS, { model: 'films', userId: 'u0' }))).toBe('NOT_FOUND');
  const own = (await uploadOk(other, 'ratings.csv', RATINGS_CSV)).id;
  const spec = { model: 'MATRIX_FACTORIZATION', matrixFactorization: { ...MF, itemMetadata: { datasetId: itemsId, idColumn: 'movie' } } };
  expect(await startError(other, { datasetId: own, targetColumn: 'rating', modelName: 'films', spec })).toMatchObject({ code: 'NOT_FOUND' });
});

it('gives a PREDICT-only key titles and scores but no stored rows: no metadata rows, no training ratings', async () => {
  const reader = await predictOnly();
  const recs = (await gqlOk(reader, RECOMMENDATIONS, { model: 'films', userId: 'u0', k: 5 })).recommendations;
  expect(recs.userMetadata).toBeNull();
  expect(recs.items.length).toBe(5);
  for (const item of recs.items) {
    expect(item.title).toMatch(/^Film \d+$/);
    expect(item.metadata).toBeNull();
  }
  const why = (await gqlOk(reader, EXPLAIN_RECOMMENDATION, { model: 'films', userId: 'u0', itemId: recs.items[0].itemId, k: 3 })).explainRecommendation;
  expect(why.contributions.length).toBe(3);
  for (const c of why.contributions) {
    expect(c.rating).toBeNull();
    expect(c.contribution).toBeNull();
    expect(c.similarity).toEqual(expect.any(Number));
  }
  // The tenant's own key (every scope) still sees them.
  const full = (await gqlOk(t, EXPLAIN_RECOMMENDATION, { model: 'films', userId: 'u0', itemId: recs.items[0].itemId, k: 3 })).explainRecommendation;
  expect(full.contributions[0].rating).toEqual(expect.any(Number));
});

/** A key of tenant `t` with the PREDICT scope alone. */
async function predictOnly(): Promise<TenantBundle> {
  const key = (await gqlOk(t, 'mutation { createApiKey(input: { name: "predict-only", scopes: [PREDICT] }) { key } }')).createApiKey.key as string;
  return { ...t, token: key };
}

type Contribution = { itemId: string; title: string | null; metadata: unknown; rating: number | null; similarity: number; contribution: number | null };

// Review F1: ordered by similarity × (rating − mean) beside the similarity, a PREDICT key's
// explanation listed the user's liked items in an order that gave away their hidden ratings.
it('explains to a PREDICT-only key by similarity alone: every item the user rated, most similar first, nothing derived from the ratings', async () => {
  const reader = await predictOnly();
  for (const user of ['u0', 'u1']) {
    const rated = trainingRated(user);
    const explained = (await gqlOk(reader, RECOMMENDATIONS, { model: 'films', userId: user, k: 1 })).recommendations.items[0].itemId as string;
    const why = (await gqlOk(reader, EXPLAIN_RECOMMENDATION, { model: 'films', userId: user, itemId: explained, k: 100 })).explainRecommendation;
    const got = why.contributions as Contribution[];
    // Every item the user rated in training, liked or not, once; the explained item (unrated) is not among them.
    expect(got.map((c) => c.itemId).sort()).toEqual([...rated].sort());
    expect(got.some((c) => rows.some(([u, i, r]) => u === user && i === c.itemId && r <= 2))).toBe(true); // a disliked one too
    // Ordered by similarity alone (ties by item id), with no rating-derived field.
    const bySimilarity = [...got].sort((a, b) => b.similarity - a.similarity || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
    expect(got.map((c) => c.itemId)).toEqual(bySimilarity.map((c) => c.itemId));
    expect(got).toEqual(
      got.map((c) => ({ itemId: c.itemId, title: `Film ${c.itemId.slice(1)}`, metadata: null, rating: null, similarity: expect.any(Number), contribution: null })),
    );
    // k takes the most similar.
    const three = (await gqlOk(reader, EXPLAIN_RECOMMENDATION, { model: 'films', userId: user, itemId: explained, k: 3 })).explainRecommendation;
    expect(three.contributions).toEqual(got.slice(0, 3));
    expect(three.predictedRating).toBe(why.predictedRating);
    // The tenant's own key (datasets:read): the liked items by contribution, with the same similarities.
    const full = (await gqlOk(t, EXPLAIN_RECOMMENDATION, { model: 'films', userId: user, itemId: explained, k: 100 })).explainRecommendation.contributions as Contribution[];
    const similarity = new Map(got.map((c) => [c.itemId, c.similarity]));
    const ratingOf = new Map(rows.filter(([u]) => u === user).map(([, i, r]) => [i, r]));
    for (const c of full) {
      expect([c.itemId, c.similarity, c.rating]).toEqual([c.itemId, similarity.get(c.itemId), ratingOf.get(c.itemId)]);
      expect(c.rating).toBeGreaterThanOrEqual(4); // above u's mean: of the same parity
    }
    expect(full.map((c) => c.contribution)).toEqual(full.map((c) => c.contribution).sort((a, b) => b! - a!));
    // Of the user's rated items, the explained one is left out.
    const ratedOne = [...rated].sort()[0];
    const own = (await gqlOk(reader, EXPLAIN_RECOMMENDATION, { model: 'films', userId: user, itemId: ratedOne, k: 100 })).explainRecommendation.contributions as Contribution[];
    expect(own.map((c) => c.itemId).sort()).toEqual([...rated].filter((i) => i !== ratedOne).sort());
  }
});

// What README's Security model says a PREDICT key still learns from a recommender: which items a
// user rated in training (the model holds them to leave them out), not their ratings.
it('shows a PREDICT-only key which items a user rated: excludeRated true and false differ by exactly the training items', async () => {
  const reader = await predictOnly();
  for (const user of ['u0', 'u7']) {
    const every = (await gqlOk(reader, RECOMMENDATIONS, { model: 'films', userId: user, k: 30, excludeRated: false })).recommendations.items.map(
      (i: { itemId: string }) => i.itemId,
    );
    const unrated = (await gqlOk(reader, RECOMMENDATIONS, { model: 'films', userId: user, k: 30, excludeRated: true })).recommendations.items.map(
      (i: { itemId: string }) => i.itemId,
    );
    expect(every).toHaveLength(30);
    expect(every.filter((i: string) => !unrated.includes(i)).sort()).toEqual([...trainingRated(user)].sort());
  }
});
