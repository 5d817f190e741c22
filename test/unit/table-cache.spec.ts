/**
 * The worker's cache of parsed datasets (src/ml/data/table-cache.ts): a key names the tenant, the
 * dataset, its content checksum and the parse options, so nothing but the same tenant's same bytes
 * parsed the same way hits; the byte budget is kept; a removed dataset is dropped.
 */
import { parseCsv } from '../../src/ml/data/csv';
import { TableCache, tableBytes, type TableKey } from '../../src/ml/data/table-cache';

const table = (rows: number) => parseCsv(['a,b,c', ...Array.from({ length: rows }, (_, i) => `${i},${i * 2},x${i % 3}`)].join('\n'));
const key = (over: Partial<TableKey> = {}): TableKey => ({ tenantId: 't1', datasetId: 'd1', checksum: 'c1', options: { hasHeader: true, delimiter: ',' }, ...over });

it('hits only for the same tenant, dataset, checksum and options', () => {
  const cache = new TableCache(1 << 20);
  const t = table(10);
  cache.set(key(), t);
  expect(cache.get(key())).toBe(t);
  // Another tenant asking for the same dataset id (and checksum) never gets it.
  expect(cache.get(key({ tenantId: 't2' }))).toBeUndefined();
  expect(cache.get(key({ datasetId: 'd2' }))).toBeUndefined();
  expect(cache.get(key({ checksum: 'c2' }))).toBeUndefined();
  expect(cache.get(key({ options: { hasHeader: true, delimiter: ',', missing: { a: ['0'] } } }))).toBeUndefined();
  expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 4 });
});

it('keeps its byte budget, evicting the least recently used first, and never keeps a table larger than it', () => {
  const bytes = tableBytes(table(100));
  expect(bytes).toBeGreaterThan(100 * 8 * 2 + 100 * 4); // two Float64Array columns and one Int32Array of codes
  const cache = new TableCache(2 * bytes + bytes / 2); // room for two
  cache.set(key({ datasetId: 'a' }), table(100));
  cache.set(key({ datasetId: 'b' }), table(100));
  expect(cache.get(key({ datasetId: 'a' }))).toBeDefined(); // a is now the most recently used
  cache.set(key({ datasetId: 'c' }), table(100));
  expect(cache.stats()).toMatchObject({ entries: 2, bytes: 2 * bytes });
  expect(cache.get(key({ datasetId: 'b' }))).toBeUndefined();
  expect(cache.get(key({ datasetId: 'a' }))).toBeDefined();
  expect(cache.get(key({ datasetId: 'c' }))).toBeDefined();

  cache.set(key({ datasetId: 'huge' }), table(1000));
  expect(cache.get(key({ datasetId: 'huge' }))).toBeUndefined();
  expect(cache.stats().bytes).toBeLessThanOrEqual(cache.stats().maxBytes);
  expect(new TableCache(0).stats().entries).toBe(0);
});

it('drops every parse of a removed dataset, and only that tenant’s', () => {
  const cache = new TableCache(1 << 20);
  cache.set(key(), table(5));
  cache.set(key({ options: { hasHeader: true, delimiter: ',', missing: { a: ['0'] } } }), table(5));
  cache.set(key({ tenantId: 't2' }), table(5));
  expect(cache.dropDataset('t1', 'd1')).toBe(2);
  expect(cache.get(key())).toBeUndefined();
  expect(cache.get(key({ tenantId: 't2' }))).toBeDefined();
  expect(cache.stats()).toMatchObject({ entries: 1, bytes: tableBytes(table(5)) });
});
