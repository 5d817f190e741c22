/**
 * Upload options for files without a header or not in UTF-8: `columnNames`, `encoding` and
 * `quoting`, kept with the dataset so that correlations and training read the file the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../src/app';
import { gqlOk } from '../src/client/graphql-client';
import { sharedDataDir } from '../src/lib/paths';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { trainVersion } from './support/training';
import { uploadOk, uploadWith } from './support/uploads';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'headerless');
});
afterAll(() => app.stop());

/** SMS Spam Collection style: label<TAB>message, no header, quotes that are text. */
const SMS = 'ham\t"Happy valentines day" I know its early\nspam\tFree entry in 2 a wkly comp\nham\tOk lar... Joking wif u oni...\n';

it('names the columns of a headerless tab-separated file whose quotes are text', async () => {
  const ds = await uploadOk(t, 'sms.tsv', SMS, { columnNames: ['label', 'message'], quoting: false });
  expect(ds).toMatchObject({ rowCount: 3, hasHeader: false, delimiter: '\t', quoting: false, encoding: 'UTF_8' });
  expect(ds.columns.map((c) => c.name)).toEqual(['label', 'message']);
  expect(ds.columns[1].topValues.map((v: { value: string }) => v.value)).toContain('"Happy valentines day" I know its early');
  const read = await gqlOk(t, 'query($id: ID!) { dataset(id: $id) { hasHeader quoting encoding columns { name } } }', { id: ds.id });
  expect(read.dataset).toEqual({ hasHeader: false, quoting: false, encoding: 'UTF_8', columns: [{ name: 'label' }, { name: 'message' }] });
});

it('refuses quotes that are text while quoting is on, and says how to read them', async () => {
  const r = await uploadWith(t, 'sms.tsv', SMS, { columnNames: ['label', 'message'] });
  expect(r.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/line 1.*quoting: false/) });
});

it('reads a declared ISO-8859-1 file, keeps the encoding, and refuses Latin-1 bytes declared as UTF-8', async () => {
  // MovieLens u.item style: pipe-separated, headerless, Latin-1 accents.
  const bytes = Buffer.from('1|Toy Story (1995)|0\n2|Cité des enfants perdus, La (1995)|1\n', 'latin1');
  const ds = await uploadOk(t, 'u.item', bytes, { columnNames: ['movie_id', 'title', 'flag'], encoding: 'ISO_8859_1' });
  expect(ds).toMatchObject({ encoding: 'ISO_8859_1', delimiter: '|', hasHeader: false });
  expect(ds.columns[1].topValues.map((v: { value: string }) => v.value)).toContain('Cité des enfants perdus, La (1995)');
  const utf8 = await uploadWith(t, 'u.item', bytes, { encoding: 'UTF_8' });
  expect(utf8.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/not valid UTF-8 \(line 2, byte 26\)/) });
  const detected = await uploadOk(t, 'u.item', bytes);
  expect(detected).toMatchObject({ encoding: 'ISO_8859_1' });
  // Declared Latin-1 over UTF-8 bytes reads each byte as a character (the caller's declaration wins).
  const declared = await uploadOk(t, 'x.csv', Buffer.from('a,b\né,1\n', 'utf8'), { encoding: 'ISO_8859_1' });
  expect(declared.columns[0].topValues[0].value).toBe('Ã©');
});

it.each([
  ['too few names', { columnNames: ['a'] }, /columnNames has 1 names, but the file has 2 fields per row/],
  ['a duplicate name', { columnNames: ['a', 'a'] }, /columnNames names column 'a' twice/],
  ['an empty name', { columnNames: ['a', ''] }, /columnNames\[1\] must be 1-200 characters, got 0/],
  ['a name with outer whitespace', { columnNames: [' a', 'b'] }, /columnNames\[0\] ' a' starts or ends with whitespace/],
  ['an empty list', { columnNames: [] }, /columnNames is empty/],
])('refuses %s with BAD_USER_INPUT', async (_what, options, message) => {
  const r = await uploadWith(t, 'x.csv', '1,2\n3,4\n', options);
  expect(r.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(message) });
});

it('replaces a header with columnNames when hasHeader is true', async () => {
  const ds = await uploadOk(t, 'h.csv', 'x,y\n1,2\n3,4\n', { columnNames: ['p', 'q'], hasHeader: true });
  expect(ds).toMatchObject({ rowCount: 2, hasHeader: true });
  expect(ds.columns.map((c) => c.name)).toEqual(['p', 'q']);
});

it('trains and correlates a headerless file by the names given at upload', async () => {
  const rows = Array.from({ length: 120 }, (_, i) => `${i % 10}\t${(i * 7) % 13}\t${i % 10 >= 5 ? 'yes' : 'no'}`);
  const ds = await uploadOk(t, 'h.tsv', rows.join('\n') + '\n', { columnNames: ['signal', 'noise', 'label'] });
  const corr = await gqlOk(t, 'query($id: ID!) { dataset(id: $id) { correlations(target: "label") { column rows } } }', { id: ds.id });
  expect(corr.dataset.correlations.map((c: { column: string }) => c.column).sort()).toEqual(['noise', 'signal']);
  const version = await trainVersion(t, { datasetId: ds.id, targetColumn: 'label', modelName: 'headerless', spec: { model: 'DECISION_TREE' } });
  expect(version.features.map((f: { name: string }) => f.name)).toEqual(['signal', 'noise']);
  expect(version.metrics.accuracy).toBe(1);
});

/** MovieLens 100k is read from the shared data folder (its licence forbids committing it); skipped without it. */
const movielens = sharedDataDir() && path.join(sharedDataDir()!, 'movielens-100k');
const withMovieLens = movielens && fs.existsSync(path.join(movielens, 'u.item')) ? it : it.skip;

withMovieLens('reads MovieLens u.item (ISO-8859-1, pipe-separated, headerless) and u.data (tab-separated, headerless)', async () => {
  const genres = [
    'unknown',
    'Action',
    'Adventure',
    'Animation',
    'Children',
    'Comedy',
    'Crime',
    'Documentary',
    'Drama',
    'Fantasy',
    'Film-Noir',
    'Horror',
    'Musical',
    'Mystery',
    'Romance',
    'Sci-Fi',
    'Thriller',
    'War',
    'Western',
  ];
  const names = ['movie_id', 'title', 'release_date', 'video_release_date', 'imdb_url', ...genres];
  const item = await uploadOk(t, 'u.item', fs.readFileSync(path.join(movielens!, 'u.item')), { columnNames: names, encoding: 'ISO_8859_1' });
  expect(item).toMatchObject({ rowCount: 1682, hasHeader: false, delimiter: '|', encoding: 'ISO_8859_1' });
  const titles = await gqlOk(t, 'query($id: ID!) { dataset(id: $id) { columns { name distinct topValues { value } } } }', { id: item.id });
  expect(titles.dataset.columns[0]).toMatchObject({ name: 'movie_id', distinct: 1682 });
  // The 9 lines with accented titles (the shared data's README), uploaded alone: every title read as written.
  const raw = fs.readFileSync(path.join(movielens!, 'u.item'));
  const accented = raw
    .toString('latin1')
    .split('\n')
    .filter((l) => /[\x80-\xff]/.test(l));
  expect(accented).toHaveLength(9);
  const few = await uploadOk(t, 'u.item', Buffer.from(accented.join('\n') + '\n', 'latin1'), { columnNames: names, encoding: 'ISO_8859_1' });
  expect(few.columns[1].topValues.map((v: { value: string }) => v.value)).toEqual(expect.arrayContaining(['Misérables, Les (1995)', 'Á köldum klaka (Cold Fever) (1994)']));
  const data = await uploadOk(t, 'u.data', fs.readFileSync(path.join(movielens!, 'u.data')), { columnNames: ['user_id', 'item_id', 'rating', 'timestamp'] });
  expect(data).toMatchObject({ rowCount: 100_000, hasHeader: false, delimiter: '\t' });
  expect(data.columns.map((c) => [c.name, c.type, c.distinct])).toEqual([
    ['user_id', 'numeric', 943],
    ['item_id', 'numeric', 1682],
    ['rating', 'numeric', 5],
    ['timestamp', 'numeric', expect.any(Number)],
  ]);
});
