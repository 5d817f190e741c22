/**
 * MovieLens 100k through the API: upload the ratings (u.data) and the films (u.item, Latin-1,
 * pipe-separated, headerless), train MATRIX_FACTORIZATION, check the version's metrics and serve
 * recommendations with titles. The data is read from its path (MAAS_DATA_DIR or ../shared/data),
 * never committed; without it the spec is skipped with a printed reason.
 *
 * References: Surprise's benchmark on MovieLens 100k (5-fold CV): SVD RMSE 0.934, SVD++ 0.920; the
 * bar here (issue 11) is test RMSE ≤ 0.92 on a random 80/20 split. Ranking: precision@10 and
 * NDCG@10 (src/ml/ranking.ts) next to the popularity baseline, computed the same way; measured here
 * (seed 42): RMSE 0.915; P@10 0.148 vs 0.133, NDCG@10 0.192 vs 0.169 (the popularity weight chosen
 * on the validation split only).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { MAX_MOVIELENS_RMSE, MOVIELENS_COLUMN_NAMES, MOVIELENS_COLUMNS, MOVIELENS_SPEC, movielensOptions } from '../src/client/movielens-job';
import { sharedDataDir } from '../src/lib/paths';
import { splitRows } from '../src/ml/random';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { EXPLAIN_RECOMMENDATION, RANKING_FIELDS, RECOMMENDATIONS, SIMILAR_ITEMS } from './support/recommend';
import { trainVersion } from './support/training';
import { uploadOk } from './support/uploads';

const dir = sharedDataDir();
const folder = dir && path.join(dir, 'movielens-100k');
const present = !!folder && ['u.data', 'u.item', 'u.user'].every((f) => fs.existsSync(path.join(folder, f)));
if (!present) console.log(`MovieLens 100k not found (${folder ?? 'no shared data folder'}): set MAAS_DATA_DIR to the folder holding movielens-100k/; skipping`);
const maybe = present ? describe : describe.skip;

maybe('MovieLens 100k', () => {
  let app: App;
  let t: TenantBundle;
  let version: Record<string, any>;

  beforeAll(async () => {
    app = await startTestApp();
    t = await createTenant(app, 'movielens');
  });
  afterAll(() => app.stop());

  it(`trains MATRIX_FACTORIZATION: test RMSE ≤ ${MAX_MOVIELENS_RMSE}, ranking reported next to the popularity baseline`, async () => {
    const ratings = await uploadOk(t, 'u.data', fs.readFileSync(path.join(folder!, 'u.data')), { columnNames: MOVIELENS_COLUMN_NAMES.ratings });
    expect(ratings).toMatchObject({ rowCount: 100_000, delimiter: '\t' });
    const items = await uploadOk(t, 'u.item', fs.readFileSync(path.join(folder!, 'u.item')), { columnNames: MOVIELENS_COLUMN_NAMES.items });
    expect(items).toMatchObject({ rowCount: 1682, delimiter: '|' });
    const users = await uploadOk(t, 'u.user', fs.readFileSync(path.join(folder!, 'u.user')), { columnNames: MOVIELENS_COLUMN_NAMES.users });
    expect(users).toMatchObject({ rowCount: 943, delimiter: '|' });
    const run = {
      datasetId: ratings.id,
      targetColumn: MOVIELENS_COLUMNS.ratings.rating,
      modelName: 'movielens',
      spec: { ...MOVIELENS_SPEC, matrixFactorization: movielensOptions(items.id, users.id) },
    };
    version = await trainVersion(t, run);
    const m = { ...version.metrics, ...(await gqlOk(t, `query($id: ID!) { modelVersion(id: $id) { metrics { ${RANKING_FIELDS} } } }`, { id: version.id })).modelVersion.metrics };
    const r = m.ranking;
    console.log(
      `MovieLens 100k: RMSE ${m.rmse.toFixed(4)}, MAE ${m.mae.toFixed(4)} (best epoch ${m.bestEpoch}); ${r.users} users: ` +
        `P@10 ${r.precision.toFixed(4)} vs popularity ${r.baseline.precision.toFixed(4)}, NDCG@10 ${r.ndcg.toFixed(4)} vs ${r.baseline.ndcg.toFixed(4)}`,
    );
    expect(m.rows).toEqual({ train: 72_000, validation: 8_000, test: 20_000 });
    expect(m.rmse).toBeLessThanOrEqual(MAX_MOVIELENS_RMSE);
    expect(m.mae).toBeLessThan(0.75); // Surprise's SVD: MAE 0.737 (5-fold CV)
    expect(m.stoppedEarly).toBe(true);
    expect(r).toMatchObject({ k: 10, relevantThreshold: 4, baseline: { name: 'popularity' } });
    expect(r.users).toBeGreaterThan(800);
    // Measured: the model beats the popularity baseline on both (weight chosen on validation data only).
    expect(r.precision).toBeGreaterThan(r.baseline.precision);
    expect(r.ndcg).toBeGreaterThan(r.baseline.ndcg);
  });

  it('serves recommendations with titles (Latin-1 decoded), similar films and explanations', async () => {
    const recs = (await gqlOk(t, RECOMMENDATIONS, { model: 'movielens', userId: '196', k: 10 })).recommendations;
    expect(recs.strategy).toBe('MODEL');
    const u = MOVIELENS_COLUMNS.users;
    expect(recs.userMetadata).toMatchObject({ [u.id]: 196, [u.age]: 49, [u.gender]: 'M', [u.occupation]: 'writer' }); // u.user line 196
    expect(recs.items).toHaveLength(10);
    expect(recs.items.every((i: { title: string | null }) => typeof i.title === 'string' && i.title.length > 0)).toBe(true);
    const toy = (await gqlOk(t, SIMILAR_ITEMS, { model: 'movielens', itemId: '1', k: 5 })).similarItems;
    expect(toy.title).toBe('Toy Story (1995)');
    expect(toy.items).toHaveLength(5);
    const accented = await gqlOk(t, SIMILAR_ITEMS, { model: 'movielens', itemId: '543', k: 1 }); // an ISO-8859-1 title in u.item
    expect(accented.similarItems.title).toBe('Misérables, Les (1995)');
    const why = (await gqlOk(t, EXPLAIN_RECOMMENDATION, { model: 'movielens', userId: '196', itemId: recs.items[0].itemId, k: 3 })).explainRecommendation;
    expect(why.contributions).toHaveLength(3);
    const fallback = (await gqlOk(t, RECOMMENDATIONS, { model: 'movielens', userId: 'someone-new', k: 3 })).recommendations;
    expect(fallback.strategy).toBe('POPULARITY');
    expect(fallback.items[0].title).toBe('Star Wars (1977)'); // the most-rated film (583 ratings in all)
  });

  // Review F1's case: to a PREDICT key, user 196's explanation for film 50 listed the films 196 rated
  // above their mean in the order of similarity × (rating − mean), beside the similarity (655, sim
  // 0.081, before 411, sim 0.113: rating(655) > rating(411)).
  it('explains to a PREDICT-only key by similarity alone: every film 196 rated in training, whatever its rating, and no rating', async () => {
    const key = (await gqlOk(t, 'mutation { createApiKey(input: { name: "predict-only", scopes: [PREDICT] }) { key } }')).createApiKey.key as string;
    const why = (await gqlOk({ ...t, token: key }, EXPLAIN_RECOMMENDATION, { model: 'movielens', userId: '196', itemId: '50', k: 100 })).explainRecommendation;
    const lines = fs.readFileSync(path.join(folder!, 'u.data'), 'utf8').trim().split('\n');
    const split = splitRows(lines.length, MOVIELENS_SPEC.testFraction, MOVIELENS_SPEC.validationSplit, MOVIELENS_SPEC.seed);
    const rated = [...split.train, ...split.validation].map((k) => lines[k].split('\t')).filter(([user, item]) => user === '196' && item !== '50');
    const got = why.contributions as { itemId: string; rating: number | null; similarity: number; contribution: number | null }[];
    expect(got.map((c) => c.itemId).sort()).toEqual(rated.map(([, item]) => item).sort());
    expect(got.map((c) => c.similarity)).toEqual(got.map((c) => c.similarity).sort((a, b) => b - a));
    expect(got.every((c) => c.rating === null && c.contribution === null)).toBe(true);
  });
});
