/**
 * The MovieLens 100k recommendation job in the API's terms, shared by the demo
 * (scripts/demo/recommend.ts) and test/real-data-movielens.spec.ts. The data is read from a path
 * (sharedDataDir(): MAAS_DATA_DIR or ../shared/data), never committed: its licence forbids
 * redistribution. `u.data` is tab-separated `user item rating timestamp` with no header; `u.item` is
 * pipe-separated, ISO-8859-1, no header (id, title, release date, video date, IMDb URL, 19 genre flags);
 * `u.user` is pipe-separated, no header (id, age, gender, occupation, zip code).
 */
import type { MatrixFactorizationInput, ModelSpecInput } from './generated/graphql';

/** The 19 genre flags of u.item, in file order (the data set's README). */
const GENRES = [
  'unknown',
  'action',
  'adventure',
  'animation',
  'childrens',
  'comedy',
  'crime',
  'documentary',
  'drama',
  'fantasy',
  'film_noir',
  'horror',
  'musical',
  'mystery',
  'romance',
  'sci_fi',
  'thriller',
  'war',
  'western',
];

/**
 * Column names of the three headerless files, passed as the upload's `columnNames` (the order of
 * the data set's README): u.data, u.item, u.user.
 */
export const MOVIELENS_COLUMN_NAMES = {
  ratings: ['user_id', 'item_id', 'rating', 'timestamp'],
  items: ['movie_id', 'title', 'release_date', 'video_release_date', 'imdb_url', ...GENRES.map((g) => `genre_${g}`)],
  users: ['user_id', 'age', 'gender', 'occupation', 'zip_code'],
};

/** The columns the run and the demo name, from {@link MOVIELENS_COLUMN_NAMES}. */
export const MOVIELENS_COLUMNS = {
  ratings: { user: 'user_id', item: 'item_id', rating: 'rating', timestamp: 'timestamp' },
  items: { id: 'movie_id', title: 'title' },
  users: { id: 'user_id', age: 'age', gender: 'gender', occupation: 'occupation' },
} as const;

/**
 * The run: a random 80/20 split (seeded), 10 % of the training part for validation (early
 * stopping and the ranking weight), K 50, γ 0.01, λ 0.08, at most 60 epochs.
 * References (Surprise's benchmark, 5-fold CV on MovieLens 100k): SVD RMSE 0.934, SVD++ 0.920.
 */
export const MOVIELENS_SPEC = {
  model: 'MATRIX_FACTORIZATION',
  testFraction: 0.2,
  validationSplit: 0.1,
  seed: 42,
  epochs: 60,
  earlyStopping: { monitor: 'VAL_LOSS', patience: 3 },
} satisfies ModelSpecInput;

/** The spec's matrixFactorization part, given the ids of the item (u.item) and user (u.user) metadata datasets. */
export const movielensOptions = (itemsDatasetId: string, usersDatasetId?: string): MatrixFactorizationInput => ({
  userColumn: MOVIELENS_COLUMNS.ratings.user,
  itemColumn: MOVIELENS_COLUMNS.ratings.item,
  factors: 50,
  learningRate: 0.01,
  regularization: 0.08,
  itemMetadata: { datasetId: itemsDatasetId, idColumn: MOVIELENS_COLUMNS.items.id, titleColumn: MOVIELENS_COLUMNS.items.title },
  ...(usersDatasetId ? { userMetadata: { datasetId: usersDatasetId, idColumn: MOVIELENS_COLUMNS.users.id } } : {}),
});

/** The quality bar: test RMSE at most this (issue 11; SVD++ scores 0.920 in 5-fold CV). */
export const MAX_MOVIELENS_RMSE = 0.92;
