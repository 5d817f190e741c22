/**
 * The websocket message rate (src/graphql/ws-message-rate.ts) on stand-in sockets: a burst is read
 * at once, the rest in each socket's order at the rate, a tenant's waiting sockets take turns, the
 * socket is paused while it has messages waiting and resumed when they are read, another tenant's
 * bucket is its own, a socket past MAX_QUEUED waiting messages is closed with 4429, and a closed
 * socket's waiting messages are dropped.
 */
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { MAX_QUEUED, MAX_WAITING_BYTES, PAUSE_BYTES, WsMessageRate } from '../../src/graphql/ws-message-rate';

/** A socket as the rate limiter uses it: pause, resume, close, 'close' event; and what it read. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  paused = false;
  closedWith: [number, string] | undefined;
  read: string[] = [];
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  /** As ws: CLOSING at once, 'close' later (after the handshake). */
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
    this.readyState = 2;
    setImmediate(() => {
      this.readyState = 3;
      this.emit('close');
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(perSecond: number, burst: number) {
  let delayed = 0;
  const log: string[] = [];
  const rate = new WsMessageRate({ perSecond, burst }, () => delayed++);
  const open = (key: string, tenant?: string) => {
    const s = new FakeSocket();
    const ws = s as unknown as WebSocket;
    const read = (m: string) => (s.read.push(m), log.push(m));
    rate.admit(ws, key, (args) => read(args[0] as string));
    if (tenant) rate.assign(ws, tenant);
    const send = (m: string) => rate.offer(ws, [m]) && read(m);
    return { s, ws, send };
  };
  return { rate, open, log, delayed: () => delayed };
}

it("reads a burst at once and the rest at the rate, in each socket's order, the tenant's sockets taking turns", async () => {
  const { open, log, delayed } = setup(200, 3);
  const one = open('10.0.0.1', 'A');
  const two = open('10.0.0.2', 'A');
  const started = performance.now(); // before the burst: its tokens are gone from here on
  for (let i = 0; i < 5; i++) one.send(`1-${i}`);
  for (let i = 0; i < 3; i++) two.send(`2-${i}`);
  expect(one.s.read).toEqual(['1-0', '1-1', '1-2']);
  expect(two.s.read).toEqual([]);
  expect([one.s.paused, two.s.paused]).toEqual([false, false]); // little waits: they keep reading (their pongs too)
  expect(delayed()).toBe(5);
  while (log.length < 8) await sleep(5);
  // The waiting sockets took turns (whatever the timers' jitter), and no sooner than the rate allows.
  expect(log).toEqual(['1-0', '1-1', '1-2', '1-3', '2-0', '1-4', '2-1', '2-2']);
  expect(performance.now() - started).toBeGreaterThanOrEqual((5 / 200) * 1000 * 0.95); // 5 tokens at 200/s
  expect([one.s.paused, two.s.paused]).toEqual([false, false]);
});

it('gives another tenant (and an unauthenticated address) its own bucket', () => {
  const { open } = setup(1, 2);
  const a = open('10.0.0.1', 'A');
  const b = open('10.0.0.1', 'B');
  const anonymous = open('10.0.0.1');
  for (let i = 0; i < 4; i++) [a, b, anonymous].forEach((x) => x.send(`${i}`));
  expect([a.s.read, b.s.read, anonymous.s.read]).toEqual([
    ['0', '1'],
    ['0', '1'],
    ['0', '1'],
  ]);
});

it('closes a socket with more than MAX_QUEUED messages waiting (4429) and reads nothing more from it', async () => {
  const { open } = setup(1, 1);
  const a = open('10.0.0.1', 'A');
  for (let i = 0; i <= MAX_QUEUED + 5; i++) a.send(`${i}`);
  expect(a.s.closedWith?.[0]).toBe(4429);
  expect(a.s.closedWith?.[1]).toContain('WS_TENANT_MESSAGES_PER_SECOND');
  expect(a.s.read).toEqual(['0']);
  expect(a.s.paused).toBe(false); // reads again, so the close handshake completes
});

it('delivers nothing more to a socket the server closes while its messages wait (a revoked key), and resumes it', async () => {
  const { open } = setup(200, 1);
  const a = open('10.0.0.1', 'A');
  const other = open('10.0.0.2', 'A');
  a.send('a0');
  a.send('a1');
  a.send('a2');
  other.send('o0');
  a.s.close(4401, 'API key revoked');
  a.send('a3'); // read after the close frame was sent: dropped
  while (other.s.read.length < 1) await sleep(5);
  await sleep(20);
  expect(a.s.read).toEqual(['a0']);
  expect(a.s.paused).toBe(false);
  expect(other.s.read).toEqual(['o0']);
});

it('moves messages waiting at authentication to the tenant bucket, in order', async () => {
  const { open, rate } = setup(200, 2);
  const a = open('10.0.0.1');
  for (let i = 0; i < 5; i++) a.send(`${i}`);
  expect(a.s.read).toEqual(['0', '1']);
  rate.assign(a.ws, 'A');
  while (a.s.read.length < 5) await sleep(5);
  expect(a.s.read).toEqual(['0', '1', '2', '3', '4']);
  expect(a.s.paused).toBe(false);
});

it('gives no fresh burst to a tenant that closes its sockets and opens new ones', async () => {
  const { open } = setup(1, 3);
  const first = open('10.0.0.1', 'A');
  for (let i = 0; i < 3; i++) first.send(`${i}`);
  first.s.emit('close');
  const second = open('10.0.0.1', 'A');
  second.send('again');
  expect(second.s.read).toEqual([]);
  second.s.emit('close');
});

it("drops a closed socket's waiting messages and keeps serving the tenant's other sockets", async () => {
  const { open } = setup(100, 1);
  const one = open('10.0.0.1', 'A');
  const two = open('10.0.0.2', 'A');
  one.send('x0');
  one.send('x1');
  two.send('y0');
  one.s.emit('close');
  await sleep(40);
  expect(one.s.read).toEqual(['x0']);
  expect(two.s.read).toEqual(['y0']);
});

it('stops reading a socket with more than PAUSE_BYTES waiting, and reads again as they are read', async () => {
  const { rate } = setup(200, 1);
  const s = new FakeSocket();
  const ws = s as unknown as WebSocket;
  const read: number[] = [];
  rate.admit(ws, '10.0.0.1', (args) => read.push((args[0] as Buffer).length));
  rate.assign(ws, 'A');
  const big = () => Buffer.alloc(PAUSE_BYTES / 4 + 1);
  const sent = Array.from({ length: 6 }, big);
  const pausedAfter: boolean[] = [];
  for (const m of sent) {
    if (rate.offer(ws, [m])) read.push(m.length);
    pausedAfter.push(s.paused);
  }
  // The first is read at once; the 4th one waiting puts more than PAUSE_BYTES in the queue.
  expect(pausedAfter).toEqual([false, false, false, false, true, true]);
  while (read.length < 6) await sleep(2);
  expect(read).toEqual(sent.map((m) => m.length));
  expect(s.paused).toBe(false);
});

it('closes a socket whose message would pass MAX_WAITING_BYTES waiting on its bucket, over all its sockets (review 6: a 10 MiB frame queued behind tiny ones on each of 90 sockets held 1.5 GB)', async () => {
  const { open } = setup(1, 1);
  const big = 'x'.repeat(3 * 1024 * 1024); // 6 MiB as a JS string (2 bytes a character)
  const sockets = [1, 2, 3].map(() => open('10.0.0.9'));
  sockets[0]!.send('first'); // the one token
  sockets[0]!.send(big);
  sockets[1]!.send(big);
  expect(sockets.map((x) => x.s.closedWith)).toEqual([undefined, undefined, undefined]);
  sockets[2]!.send(big); // 18 MiB waiting on the address' bucket
  expect(sockets[2]!.s.closedWith?.[0]).toBe(4429);
  expect(sockets[2]!.s.closedWith?.[1]).toContain(`limit ${MAX_WAITING_BYTES}`);
  // Another address has its own bucket; and the bytes of a closed socket no longer count.
  const other = open('10.0.0.10');
  other.send('first');
  other.send(big);
  expect(other.s.closedWith).toBeUndefined();
  sockets[1]!.s.close(1000, 'bye');
  await sleep(5); // its 'close' event
  const again = open('10.0.0.9');
  again.send(big);
  expect(again.s.closedWith).toBeUndefined();
});
