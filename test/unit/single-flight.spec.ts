import { SingleFlight } from '../../src/lib/single-flight';

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
