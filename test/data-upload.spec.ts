/**
 * Uploading and profiling through the API: encodings, delimiters, quotes, headerless files,
 * declared missing codes, malformed input (with its line), correlations (with a target, and the
 * matrix), and the memory a 4 MB upload takes to parse and profile.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { App } from '../src/app';
import { gql, gqlOk } from '../src/client/graphql-client';
import { parseCsv } from '../src/ml/data/csv';
import { profileTable } from '../src/ml/data/profile';
import { decodeText } from '../src/ml/data/decode';
import { rng } from '../src/ml/random';
import { startTestApp } from './support/app';
import { createTenant, type TenantBundle } from './support/factories';
import { uploadOk, uploadWith } from './support/uploads';

let app: App;
let t: TenantBundle;

beforeAll(async () => {
  app = await startTestApp();
  t = await createTenant(app, 'uploads');
});
afterAll(() => app.stop());

it('reads Latin-1 when the bytes are not UTF-8, and UTF-8 with a byte-order mark', async () => {
  const latin1 = Buffer.from('city;temp\nZürich;12.5\n"Málaga";20.1\n', 'latin1');
  const ds = await uploadOk(t, 'latin1.csv', latin1);
  expect(ds.columns[0].topValues.map((v: { value: string }) => v.value).sort()).toEqual(['Málaga', 'Zürich']);
  const bom = await uploadOk(t, 'bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('naïve,n\nà,1\n', 'utf8')]));
  expect(bom.columns.map((c: { name: string }) => c.name)).toEqual(['naïve', 'n']);
});

it('reads a headerless, tab-separated file with quoted fields when told there is no header', async () => {
  const ds = await uploadOk(t, 'x.tsv', 'a\t"b\tc"\t1\nd\t"e ""q"""\t2\n', { hasHeader: false });
  expect(ds).toMatchObject({ rowCount: 2, hasHeader: false, delimiter: '\t' });
  expect(ds.columns.map((c: { name: string }) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
  expect(ds.columns[1].topValues.map((v: { value: string }) => v.value).sort()).toEqual(['b\tc', 'e "q"']);
});

it.each([
  ['an unclosed quote', 'a,b\n1,2\n3,"x\n4,5\n', {}, /quoted field that is never closed, in the record starting at line 3/],
  ['a ragged line', 'a,b\n1,2\n3,4,5\n', {}, /line 3 has 3 fields/],
  ['missing codes for an unknown column', 'a,b\n1,2\n', { missingValues: [{ column: 'c', values: ['0'] }] }, /missingValues\[0\].column 'c' is not a column/],
  ['an empty list of missing codes', 'a,b\n1,2\n', { missingValues: [{ values: [] }] }, /missingValues\[0\].values is empty/],
])('refuses %s with BAD_USER_INPUT', async (_what, csv, options, message) => {
  const r = await uploadWith(t, 'bad.csv', csv, options);
  expect(r.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(message) });
});

it('answers correlations with a target, and refuses a target they cannot use', async () => {
  const ds = await uploadOk(t, 'c.csv', 'x,y,z,kind\n1,2,9,a\n2,4,7,b\n3,6,5,c\n4,8,1,a\n');
  const q = 'query($id: ID!, $target: String!) { dataset(id: $id) { correlations(target: $target) { column pearson rows } } }';
  const ok = await gqlOk(t, q, { id: ds.id, target: 'y' });
  expect(ok.dataset.correlations).toEqual([
    { column: 'x', pearson: expect.closeTo(1, 12), rows: 4 },
    { column: 'z', pearson: expect.closeTo(-0.9827076298239908, 12), rows: 4 }, // numpy.corrcoef
  ]);
  const bad = await gql(t, q, { id: ds.id, target: 'kind' });
  expect(bad.errors![0].message).toMatch(/target 'kind' has 3 categories; correlations need a numeric or two-class target/);
  const unknown = await gql(t, q, { id: ds.id, target: 'yy' });
  expect(unknown.errors![0].message).toMatch(/target 'yy' is not a column of the dataset \(did you mean 'y'\?\)/);
});

it('answers the correlation matrix of the numeric columns: symmetric, 1 on the diagonal, null for a constant column', async () => {
  const ds = await uploadOk(t, 'm.csv', 'x,kind,y,c,z\n1,a,2,5,9\n2,b,4,5,7\n3,c,6,5,5\n4,a,8,5,1\n');
  const q = 'query($id: ID!) { dataset(id: $id) { correlationMatrix { columns rows { column pearson } omitted } } }';
  const { correlationMatrix: m } = (await gqlOk(t, q, { id: ds.id })).dataset;
  const r = -0.9827076298239908; // numpy.corrcoef(y, z)
  expect(m).toEqual({
    columns: ['x', 'y', 'c', 'z'],
    rows: [
      { column: 'x', pearson: [1, expect.closeTo(1, 12), null, expect.closeTo(r, 12)] },
      { column: 'y', pearson: [expect.closeTo(1, 12), 1, null, expect.closeTo(r, 12)] },
      { column: 'c', pearson: [null, null, null, null] },
      { column: 'z', pearson: [expect.closeTo(r, 12), expect.closeTo(r, 12), null, 1] },
    ],
    omitted: 0,
  });
  const missing = await gql(t, q, { id: 'no-such-dataset' });
  expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
});

/** ~4 MB: 120,000 rows of numbers, categories and short text. */
function bigCsv(): string {
  const r = rng(1);
  const cities = ['Lisbon', 'Porto', 'Braga', 'Faro', 'Coimbra', 'Aveiro'];
  const lines = ['id,amount,ratio,city,flag,note'];
  for (let i = 0; i < 120_000; i++) {
    lines.push(`${i},${(r() * 10000).toFixed(2)},${r().toFixed(4)},${cities[Math.floor(r() * 6)]},${r() < 0.5 ? 'yes' : 'no'},${r() < 0.1 ? '' : 'ok'}`);
  }
  return lines.join('\n');
}

it('parses and profiles a 4 MB upload in a few times its size, and stores it through the API', async () => {
  const csv = bigCsv();
  const bytes = Buffer.from(csv);
  expect(bytes.length).toBeGreaterThan(3.5e6);
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const text = decodeText(bytes);
  gc();
  const before = process.memoryUsage().heapUsed;
  const table = parseCsv(text);
  const profile = profileTable(table);
  gc();
  // Live at the peak: the uploaded bytes (off-heap), the decoded text (one byte a character) and the
  // columnar table: its typed arrays (off-heap, counted by size: freed ones are swept lazily, so
  // process.memoryUsage().arrayBuffers is noisy) and its dictionaries and profile (heap).
  const arrays = table.data.reduce((s, d) => s + (d.kind === 'numeric' ? d.values.buffer.byteLength : d.codes.buffer.byteLength), 0);
  const tableBytes = process.memoryUsage().heapUsed - before + arrays;
  const peak = bytes.length + text.length + tableBytes;
  console.log(
    `4 MB upload (${(bytes.length / 1e6).toFixed(2)} MB): table + profile ${(tableBytes / 1e6).toFixed(1)} MB; bytes + text + table ${(peak / 1e6).toFixed(1)} MB = ${(peak / bytes.length).toFixed(1)}x the file`,
  );
  expect(table.rowCount).toBe(120_000);
  expect(profile.map((c) => c.type)).toEqual(['numeric', 'numeric', 'numeric', 'categorical', 'boolean', 'categorical']);
  expect(peak).toBeLessThan(4 * bytes.length);

  const started = performance.now();
  const ds = await uploadOk(t, 'big.csv', bytes);
  console.log(`4 MB upload through the API: ${Math.round(performance.now() - started)} ms`);
  expect(ds.rowCount).toBe(120_000);
  expect(ds.columns.find((c: { name: string }) => c.name === 'note')!.missing).toBeGreaterThan(10_000);
});
