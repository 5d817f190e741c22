import { SharedUpcoming, SingleFlight } from '../../src/lib/single-flight';

/** A call whose result the test decides. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

it('shares one call among concurrent callers of a key, and starts a new one once it settled', async () => {
  const flights = new SingleFlight<number>();
  const first = deferred<number>();
  let calls = 0;
  const fn = () => (calls++, first.promise);
  const [a, b] = [flights.run('k', fn), flights.run('k', fn)];
  const other = flights.run('other', () => (calls++, Promise.resolve(7)));
  first.resolve(42);
  expect(await Promise.all([a, b, other])).toEqual([42, 42, 7]);
  expect(calls).toBe(2);
  expect(await flights.run('k', () => (calls++, Promise.resolve(43)))).toBe(43);
  expect(calls).toBe(3);
});

it('shares a rejection with the callers in flight only', async () => {
  const flights = new SingleFlight<number>();
  const failing = deferred<number>();
  const [a, b] = [flights.run('k', () => failing.promise), flights.run('k', () => Promise.resolve(1))];
  failing.reject(new Error('down'));
  await expect(a).rejects.toThrow('down');
  await expect(b).rejects.toThrow('down');
  expect(await flights.run('k', () => Promise.resolve(2))).toBe(2);
});

it('forgets a call in flight: later callers start their own, earlier ones keep theirs', async () => {
  const flights = new SingleFlight<string>();
  const stale = deferred<string>();
  const fresh = deferred<string>();
  const before = flights.run('t1/m', () => stale.promise);
  flights.forget((key) => key.startsWith('t1/'));
  const after = flights.run('t1/m', () => fresh.promise);
  stale.resolve('stale');
  expect(await before).toBe('stale');
  // The forgotten call settling leaves the newer one in flight.
  expect(flights.run('t1/m', () => Promise.resolve('not called'))).toBe(after);
  fresh.resolve('fresh');
  expect(await after).toBe('fresh');
});

it('SharedUpcoming: callers join a call until it begins its work, later callers start their own', async () => {
  const reads = new SharedUpcoming<number>();
  const gate = deferred<void>();
  const started: number[] = [];
  let calls = 0;
  // Each call waits (as for a connection), then begins (just before its read) and answers its number.
  const read = () =>
    reads.run('model', async (begin) => {
      const n = ++calls;
      await gate.promise;
      begin();
      started.push(n);
      return n;
    });
  const early = [read(), read()];
  await new Promise((r) => setImmediate(r)); // the first call runs and waits at the gate
  const stillEarly = read(); // not begun yet: joins
  gate.resolve();
  expect(await Promise.all([...early, stillEarly])).toEqual([1, 1, 1]);
  expect(await read()).toBe(2); // the first had begun: a new call
  expect(started).toEqual([1, 2]);
  expect(await Promise.all([reads.run('a', async () => 5), reads.run('b', async () => 6)])).toEqual([5, 6]);
});
