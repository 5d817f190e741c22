/** Pure parts of paging and charts: cursors, Relay arguments, Largest-Triangle-Three-Buckets. */
import { decodeCursor, encodeCursor } from '../../src/modules/common/cursor';
import { pageWindow, toPage } from '../../src/modules/common/keyset';
import { lttb } from '../../src/ml/lttb';

const id = '0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('cursors', () => {
  it('round-trip a (createdAt, id) position and refuse anything else, naming the argument', () => {
    const at = new Date('2026-12-06T03:00:00.123Z');
    expect(decodeCursor(encodeCursor({ createdAt: at, id }), 'after')).toEqual({ createdAt: at, id });
    for (const bad of ['', 'abc', '!!!', Buffer.from(`c1:x:${id}`).toString('base64url'), Buffer.from(`c2:1:${id}`).toString('base64url'), 'a'.repeat(201)]) {
      expect(() => decodeCursor(bad, 'before')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field: 'before' }) }));
    }
  });
});

describe('pageWindow', () => {
  it('reads first/after forwards and last/before backwards, one extra row to see the next page', () => {
    expect(pageWindow({ first: 5 }, 20, 100)).toMatchObject({ take: 6, size: 5, backwards: false, where: {} });
    expect(pageWindow({}, 20, 100)).toMatchObject({ take: 21, size: 20, backwards: false });
    const c = encodeCursor({ createdAt: new Date(1000), id });
    expect(pageWindow({ last: 2, before: c }, 20, 100)).toMatchObject({ take: 3, backwards: true, cursor: { id } });
  });
  it("keys the window and its cursor condition on the list's sort column (archivedAt for the archive list)", () => {
    const c = encodeCursor({ createdAt: new Date(1000), id });
    const w = pageWindow({ first: 2, after: c }, 20, 100, 'archivedAt');
    expect(w).toMatchObject({ key: 'archivedAt', orderBy: [{ archivedAt: 'desc' }, { id: 'desc' }] });
    expect(w.where).toEqual({ OR: [{ archivedAt: { lt: new Date(1000) } }, { archivedAt: new Date(1000), id: { lt: id } }] });
    const rows = [{ id, createdAt: new Date(5), archivedAt: new Date(1000) }];
    expect(toPage(rows, w, 1, true).edges[0].cursor).toBe(c);
    expect(() => toPage([{ id, archivedAt: null }], w, 1, false)).toThrow(`Row '${id}' has no archivedAt`);
  });
  it('refuses sizes out of range and mixed directions, naming the argument', () => {
    expect(() => pageWindow({ first: -1 }, 20, 100)).toThrow(expect.objectContaining({ details: { field: 'first', value: -1 } }));
    expect(() => pageWindow({ last: 101 }, 20, 100)).toThrow(expect.objectContaining({ details: { field: 'last', value: 101 } }));
    expect(() => pageWindow({ last: 1, after: 'x' }, 20, 100)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});

describe('lttb', () => {
  it('keeps short lines as they are and the largest triangle per bucket otherwise', () => {
    const short = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
    ];
    expect(lttb(short, 3)).toEqual(short);
    const spike = [0, 10, 0, 0, 0].map((y, x) => ({ x, y }));
    expect(lttb(spike, 3)).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 10 },
      { x: 4, y: 0 },
    ]);
  });
  it('returns `threshold` points in x order with both ends', () => {
    const line = Array.from({ length: 10_000 }, (_, x) => ({ x, y: Math.sin(x / 50) + (x === 7_777 ? 9 : 0) }));
    const out = lttb(line, 100);
    expect(out).toHaveLength(100);
    expect([out[0].x, out[99].x]).toEqual([0, 9_999]);
    expect(out.every((p, i) => i === 0 || p.x > out[i - 1].x)).toBe(true);
    expect(out).toContainEqual({ x: 7_777, y: line[7_777].y });
  });
});
