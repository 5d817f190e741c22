/** FairTurns: one turn per event-loop iteration, round-robin across tenants; inTurns keeps the list and its order. */
import { FairTurns, inTurns } from '../../src/lib/fair-turns';

describe('FairTurns', () => {
  it('hands turns out round-robin across keys, FIFO within a key, never in the same iteration', async () => {
    const turns = new FairTurns();
    const order: string[] = [];
    const waits = [...['a1', 'a2', 'a3', 'a4'].map((n) => turns.turn('a').then(() => order.push(n))), ...['b1', 'b2'].map((n) => turns.turn('b').then(() => order.push(n)))];
    await Promise.resolve();
    expect([order, turns.size]).toEqual([[], 6]);
    await Promise.all(waits);
    expect([order, turns.size]).toEqual([['a1', 'b1', 'a2', 'b2', 'a3', 'a4'], 0]);
  });

  it('lets I/O callbacks run between two turns', async () => {
    const turns = new FairTurns();
    const seen: string[] = [];
    const first = turns.turn('a').then(() => seen.push('turn 1'));
    const second = turns.turn('a').then(() => seen.push('turn 2'));
    setImmediate(() => seen.push('other work'));
    await Promise.all([first, second]);
    expect(seen).toEqual(['turn 1', 'other work', 'turn 2']);
  });
});

describe('inTurns', () => {
  it('returns a short list as it is', () => {
    const items = [1, 2, 3];
    expect(inTurns(items, 't', 3, new FairTurns())).toBe(items);
  });

  it('gives the first slice as it is and the rest as promises of the same items, in order', async () => {
    const turns = new FairTurns();
    const items = Array.from({ length: 10 }, (_, i) => ({ i }));
    const out = inTurns(items, 't', 4, turns);
    expect(out.slice(0, 4)).toEqual(items.slice(0, 4));
    expect(out.slice(4).every((x) => x instanceof Promise)).toBe(true);
    expect(turns.size).toBe(2);
    expect(await Promise.all(out)).toEqual(items);
    expect((await Promise.all(out))[9]).toBe(items[9]);
  });
});
