/**
 * Cross-process pub/sub (PostgreSQL LISTEN/NOTIFY): a subscription receives every event published
 * after `subscribe` returned, even those that arrive before it is first read — the progress
 * subscription reads stored epochs first and must not miss a FINAL event published meanwhile.
 */
import { createLogger } from '../src/lib/logger';
import { createPgPubSub, type PubSub } from '../src/lib/pubsub';
import { workerDatabaseUrl } from './support/database';

let a: PubSub;
let b: PubSub;

beforeAll(async () => {
  const log = createLogger('silent');
  [a, b] = await Promise.all([createPgPubSub(workerDatabaseUrl(), log), createPgPubSub(workerDatabaseUrl(), log)]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

it('keeps events published between subscribing and the first read, in order, across processes', async () => {
  const sub = b.subscribe<{ n: number }>('topic-1');
  const other = b.subscribe<{ n: number }>('topic-2');
  // A second subscriber in this process says when the third notification has reached it.
  const probe = b.subscribe<{ n: number }>('topic-1');
  let arrived = 0;
  let third!: () => void;
  const threeArrived = new Promise<void>((resolve) => (third = resolve));
  void (async () => {
    for await (const _ of probe) if (++arrived === 3) third();
  })();
  for (let n = 1; n <= 3; n++) await a.publish('topic-1', { n });
  await threeArrived; // delivered to this process before `sub` is read at all
  expect([(await sub.next()).value, (await sub.next()).value, (await sub.next()).value]).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

  // A pending read is answered by the next event, and return() ends the stream for pending readers.
  const pending = sub.next();
  await a.publish('topic-1', { n: 4 });
  expect((await pending).value).toEqual({ n: 4 });
  const waiting = other.next();
  await other.return();
  expect(await waiting).toEqual({ value: undefined, done: true });
  await Promise.all([sub.return(), probe.return()]);
  expect(await sub.next()).toEqual({ value: undefined, done: true });
});
