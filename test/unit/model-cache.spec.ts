/**
 * The model cache's per-tenant share (issue 10, one tenant degrading another): a tenant's loads past
 * its share of the budget (MODEL_CACHE_TENANT_SHARE) evict its own least recently used versions
 * first, so a tenant cycling through many versions does not evict another tenant's; within its
 * share, a load evicts anyone's least recently used version only when the whole cache is full.
 */
import { ModelCache, type Loaded } from '../../src/modules/serving/model-cache';

const model = (bytes: number): Loaded => ({ bytes, dispose: () => undefined });

/** A cache of `budget` bytes and `share`, counting the loads of each version id. */
function cache(budget: number, share?: number) {
  const c = new ModelCache(budget, {}, share);
  const loads: string[] = [];
  const get = (versionId: string, tenantId: string, bytes: number) =>
    c.get(versionId, tenantId, async () => {
      loads.push(versionId);
      return model(bytes);
    });
  /** Whether `versionId` is cached now (without counting a use). */
  const has = (versionId: string) => c.has(versionId);
  return { c, get, has, loads };
}

it("evicts a tenant's own versions first when its loads pass its share, keeping the other tenant's", async () => {
  const { c, get, has } = cache(100, 0.5);
  await get('b1', 'B', 30);
  for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) {
    await get(id, 'A', 20);
    expect(c.bytesOf('A')).toBeLessThanOrEqual(c.tenantBudget);
  }
  expect(c.tenantBudget).toBe(50);
  expect(c.bytesOf('A')).toBe(40); // a5, a6: each load past 50 evicted A's least recently used
  expect(has('b1')).toBe(true);
  expect([has('a5'), has('a6'), has('a1')]).toEqual([true, true, false]);
  expect(c.snapshot()).toMatchObject({ bytes: 70, entries: 3 });
});

it("keeps a tenant's recently used versions over its older ones", async () => {
  const { get, has } = cache(100, 0.5);
  await get('a1', 'A', 20);
  await get('a2', 'A', 20);
  await get('a1', 'A', 20); // used again: a2 is now the least recently used
  await get('a3', 'A', 20);
  expect([has('a1'), has('a2'), has('a3')]).toEqual([true, false, true]);
});

it("within its share, a tenant's load evicts the least recently used of anyone only when the cache is full", async () => {
  const { c, get, has } = cache(100, 0.5);
  await get('b1', 'B', 25);
  await get('b2', 'B', 25);
  await get('c1', 'C', 25);
  await get('a1', 'A', 25);
  expect(c.snapshot().bytes).toBe(100);
  await get('a2', 'A', 25); // A holds 50 (its share): the whole cache is over, so the oldest of all goes
  expect([has('b1'), has('b2'), has('c1'), has('a1')]).toEqual([false, true, true, true]);
});

it('bounds no tenant with share 1 (the whole budget, LRU across tenants)', async () => {
  const { get, has } = cache(100, 1);
  await get('b1', 'B', 30);
  for (const id of ['a1', 'a2', 'a3', 'a4']) await get(id, 'A', 20);
  expect(has('b1')).toBe(false);
});

it("keeps a version larger than the tenant's share (alone), and counts evictions and failed loads right", async () => {
  const { c, get } = cache(100, 0.25);
  await get('a1', 'A', 10);
  await get('big', 'A', 40);
  expect(c.bytesOf('A')).toBe(40); // a1 went; the one just loaded stays even past the share
  c.evict('big');
  expect(c.bytesOf('A')).toBe(0);
  await expect(c.get('x', 'A', () => Promise.reject(new Error('unreadable')))).rejects.toThrow('unreadable');
  expect(c.bytesOf('A')).toBe(0);
  expect(c.snapshot()).toMatchObject({ bytes: 0, entries: 0 });
  expect(() => new ModelCache(100, {}, 0)).toThrow(RangeError);
});
