/**
 * The per-process cache of built export archives (src/modules/registry/export-cache.ts): bounded
 * in bytes, least recently used first, one tenant's entries at most half the bound, a deleted
 * version's archives dropped.
 */
import type { ExportArchive } from '../../src/ml/export/bundle';
import { ExportCache, exportCacheKey } from '../../src/modules/registry/export-cache';

const archive = (bytes: number): ExportArchive => ({ filename: 'm-v1-json.zip', contentType: 'application/zip', bytes: new Uint8Array(bytes) });
const key = (tenant: string, version: string, format = 'json') => exportCacheKey(tenant, version, format, 'm');

it('keeps archives up to the bound, dropping the least recently used first', () => {
  const cache = new ExportCache(1000);
  cache.set(key('a', 'v1'), 'a', 'v1', archive(300));
  cache.set(key('b', 'v2'), 'b', 'v2', archive(300));
  cache.set(key('b', 'v3'), 'b', 'v3', archive(200));
  expect(cache.snapshot()).toEqual({ entries: 3, bytes: 800 });
  expect(cache.get(key('a', 'v1'))?.bytes.byteLength).toBe(300); // now the most recently used
  cache.set(key('c', 'v4'), 'c', 'v4', archive(400)); // 1,200 > 1,000: b's v2 goes (least recently used)
  expect(cache.get(key('b', 'v2'))).toBeUndefined();
  expect(cache.snapshot()).toEqual({ entries: 3, bytes: 900 });
  expect(cache.get(key('a', 'v1', 'onnx'))).toBeUndefined(); // another format is another entry
});

it("drops a tenant's own archives past half the bound, never another tenant's, and keeps nothing larger than that", () => {
  const cache = new ExportCache(1000);
  cache.set(key('b', 'v9'), 'b', 'v9', archive(100));
  cache.set(key('a', 'v1'), 'a', 'v1', archive(300));
  cache.set(key('a', 'v2'), 'a', 'v2', archive(300)); // a would hold 600 > 500: its v1 goes
  expect(cache.get(key('a', 'v1'))).toBeUndefined();
  expect(cache.get(key('b', 'v9'))?.bytes.byteLength).toBe(100);
  expect(cache.snapshot()).toEqual({ entries: 2, bytes: 400 });
  cache.set(key('a', 'v3'), 'a', 'v3', archive(501));
  expect(cache.get(key('a', 'v3'))).toBeUndefined();
  expect(cache.snapshot()).toEqual({ entries: 2, bytes: 400 });
  expect(new ExportCache(0).snapshot()).toEqual({ entries: 0, bytes: 0 });
});

it("evicts every archive of a deleted version, and replaces an entry's bytes when set again", () => {
  const cache = new ExportCache(1000);
  cache.set(key('a', 'v1'), 'a', 'v1', archive(100));
  cache.set(key('a', 'v1', 'onnx'), 'a', 'v1', archive(50));
  cache.set(key('a', 'v2'), 'a', 'v2', archive(70));
  cache.set(key('a', 'v2'), 'a', 'v2', archive(80));
  expect(cache.snapshot()).toEqual({ entries: 3, bytes: 230 });
  cache.evictVersion('v1');
  expect(cache.snapshot()).toEqual({ entries: 1, bytes: 80 });
  expect(cache.get(key('a', 'v2'))?.bytes.byteLength).toBe(80);
});
