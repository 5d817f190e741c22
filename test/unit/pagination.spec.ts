/** Pure parts of paging and charts: cursors, Relay arguments, Largest-Triangle-Three-Buckets. */
import { decodeCursor, encodeCursor, nestedList } from '../../src/modules/common/cursor';
import { newerThan, olderThan, pageWindow, toPage } from '../../src/modules/common/keyset';
import { lttb } from '../../src/ml/lttb';

const id = '0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('cursors', () => {
  it('round-trip a (createdAt, id) position of one list and refuse anything else, naming the argument', () => {
    const at = new Date('2026-12-06T03:00:00.123Z');
    const c = encodeCursor({ createdAt: at, id }, 'runs');
    expect(decodeCursor(c, 'after', 'runs')).toEqual({ createdAt: at, id });
    // Stable: the same row in the same list always has the same cursor; opaque: no id readable as sent.
    expect(encodeCursor({ createdAt: new Date(at.getTime()), id }, 'runs')).toBe(c);
    expect(c).not.toContain(id);
    const old = Buffer.from(`c1:1:${id}`).toString('base64url'); // the untagged format before lists were named
    for (const bad of ['', 'abc', '!!!', old, Buffer.from(`c2:runs:x:${id}`).toString('base64url'), Buffer.from(`c3:runs:1:${id}`).toString('base64url'), 'a'.repeat(301)]) {
      expect(() => decodeCursor(bad, 'before', 'runs')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field: 'before' }) }));
    }
  });
  it("refuses another list's cursor, naming the argument and both lists", () => {
    const runs = encodeCursor({ createdAt: new Date(1000), id }, 'runs');
    expect(() => decodeCursor(runs, 'after', 'datasets')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/^`after` is a cursor of the runs list, not of this datasets list: '/) }),
    );
    const modelA = nestedList('versions', id);
    const modelB = nestedList('versions', '1b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(() => decodeCursor(encodeCursor({ createdAt: new Date(1000), id }, modelA), 'before', modelB)).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ field: 'before', list: 'versions' }),
        message: expect.stringContaining('another versions list (of another object)'),
      }),
    );
    expect(() => encodeCursor({ createdAt: new Date(1000), id }, 'Runs!')).toThrow("Not a list tag: 'Runs!'");
  });
});

describe('pageWindow', () => {
  const c = (ms: number, list = 'runs') => encodeCursor({ createdAt: new Date(ms), id }, list);
  it('reads first/after forwards and last/before backwards, one extra row to see the next page', () => {
    expect(pageWindow({ first: 5 }, 20, 100, 'runs')).toMatchObject({ take: 6, size: 5, backwards: false, where: {} });
    expect(pageWindow({}, 20, 100, 'runs')).toMatchObject({ take: 21, size: 20, backwards: false });
    expect(pageWindow({ last: 2, before: c(1000) }, 20, 100, 'runs')).toMatchObject({ take: 3, backwards: true, before: { id } });
  });
  it('takes both cursors with first or last, bounding the rows between them (Relay ApplyCursorsToEdges)', () => {
    const both = { after: c(5000), before: c(1000) };
    const bounds = { AND: [olderThan({ createdAt: new Date(5000), id }), newerThan({ createdAt: new Date(1000), id })] };
    expect(pageWindow({ first: 2, ...both }, 20, 100, 'runs')).toMatchObject({ where: bounds, backwards: false, size: 2, after: { id }, before: { id } });
    expect(pageWindow({ last: 2, ...both }, 20, 100, 'runs')).toMatchObject({ where: bounds, backwards: true, size: 2 });
    expect(pageWindow(both, 20, 100, 'runs')).toMatchObject({ backwards: false, size: 20 });
    expect(pageWindow({ first: 3, before: c(1000) }, 20, 100, 'runs')).toMatchObject({ where: newerThan({ createdAt: new Date(1000), id }), backwards: false });
    expect(pageWindow({ last: 3, after: c(1000) }, 20, 100, 'runs')).toMatchObject({ where: olderThan({ createdAt: new Date(1000), id }), backwards: true });
  });
  it('says there is a next page when `first` left rows out or rows follow `before`, a previous one when `last` did or rows precede `after`', () => {
    const rows = [3, 2, 1].map((ms) => ({ id, createdAt: new Date(ms) }));
    const fwd = pageWindow({ first: 2 }, 20, 100, 'runs');
    expect(toPage(rows, fwd, 9, { pastAfter: false, pastBefore: false }).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(toPage(rows.slice(0, 2), fwd, 9, { pastAfter: true, pastBefore: true }).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const back = pageWindow({ last: 2 }, 20, 100, 'runs');
    expect(toPage(rows, back, 9, { pastAfter: false, pastBefore: false }).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(toPage(rows.slice(0, 2), back, 9, { pastAfter: false, pastBefore: true }).pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });
  it("keys the window and its cursor condition on the list's sort column (archivedAt for the archive list)", () => {
    const ac = c(1000, 'archived-datasets');
    const w = pageWindow({ first: 2, after: ac }, 20, 100, 'archived-datasets', 'archivedAt');
    expect(w).toMatchObject({ key: 'archivedAt', orderBy: [{ archivedAt: 'desc' }, { id: 'desc' }] });
    expect(w.where).toEqual({ OR: [{ archivedAt: { lt: new Date(1000) } }, { archivedAt: new Date(1000), id: { lt: id } }] });
    const rows = [{ id, createdAt: new Date(5), archivedAt: new Date(1000) }];
    expect(toPage(rows, w, 1, { pastAfter: true, pastBefore: false }).edges[0].cursor).toBe(ac);
    expect(() => toPage([{ id, archivedAt: null }], w, 1, { pastAfter: false, pastBefore: false })).toThrow(`Row '${id}' has no archivedAt`);
  });
  it('refuses sizes out of range, first with last, and a cursor of another list, naming the argument', () => {
    expect(() => pageWindow({ first: -1 }, 20, 100, 'runs')).toThrow(expect.objectContaining({ details: { field: 'first', value: -1 } }));
    expect(() => pageWindow({ last: 101 }, 20, 100, 'runs')).toThrow(expect.objectContaining({ details: { field: 'last', value: 101 } }));
    expect(() => pageWindow({ first: 1, last: 1 }, 20, 100, 'runs')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'last', value: 1 } }));
    expect(() => pageWindow({ first: 1, after: c(1, 'datasets') }, 20, 100, 'runs')).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ field: 'after', list: 'runs' }) }),
    );
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
