/** The micro-batcher (src/modules/serving/batcher.ts): batches per turn, and batch-while-busy for asynchronous scorers. */
import { MicroBatcher } from '../../src/modules/serving/batcher';

/** One input and one output per row: the output is the input + 100. */
const plus100 = (x: Float32Array) => x.map((v) => v + 100);
const turn = () => new Promise((r) => setImmediate(r));

it('holds requests while an asynchronous call is in flight and sends them as one batch when it returns', async () => {
  const calls: number[] = [];
  const release: (() => void)[] = [];
  const batcher = new MicroBatcher(
    (x, rows) => {
      calls.push(rows);
      return new Promise<Float32Array>((resolve) => release.push(() => resolve(plus100(x))));
    },
    1,
    { maxRows: 64, maxWaitMs: 0 },
  );
  const first = batcher.submit(Float32Array.of(1), 1);
  await turn();
  expect(calls).toEqual([1]);
  const waiting = [batcher.submit(Float32Array.of(2), 1), batcher.submit(Float32Array.of(3, 4), 2)];
  await turn();
  await turn();
  expect(calls).toEqual([1]); // held: the first call has not returned
  release[0]!();
  expect(Array.from(await first)).toEqual([101]);
  await turn();
  expect(calls).toEqual([1, 3]); // the two waiting requests, one call
  release[1]!();
  expect((await Promise.all(waiting)).map((o) => Array.from(o))).toEqual([[102], [103, 104]]);
});

it('still flushes a full batch while a call is in flight, and fails only the requests of a failed call', async () => {
  const calls: number[] = [];
  const settle: ((ok: boolean) => void)[] = [];
  const batcher = new MicroBatcher(
    (x, rows) => {
      calls.push(rows);
      return new Promise<Float32Array>((resolve, reject) => settle.push((ok) => (ok ? resolve(plus100(x)) : reject(new Error('lost')))));
    },
    1,
    { maxRows: 4, maxWaitMs: 0 },
  );
  const first = batcher.submit(Float32Array.of(1), 1);
  await turn();
  const full = [1, 2, 3, 4].map((v) => batcher.submit(Float32Array.of(v), 1));
  expect(calls).toEqual([1, 4]);
  settle[0]!(false);
  await expect(first).rejects.toThrow('lost');
  settle[1]!(true);
  expect((await Promise.all(full)).map((o) => o[0])).toEqual([101, 102, 103, 104]);
});

it('sends one batch per event-loop turn to a synchronous (inline) scorer', async () => {
  const calls: number[] = [];
  const batcher = new MicroBatcher(
    (x, rows) => {
      calls.push(rows);
      return plus100(x);
    },
    1,
    { maxRows: 64, maxWaitMs: 0 },
  );
  const a = [batcher.submit(Float32Array.of(1), 1), batcher.submit(Float32Array.of(2), 1)];
  await Promise.all(a);
  const b = batcher.submit(Float32Array.of(3), 1);
  expect(Array.from(await b)).toEqual([103]);
  expect(calls).toEqual([2, 1]);
});

it("scores inline the first small request of an event-loop turn, then the turn's others as one batch: inline when small enough, else on the thread", async () => {
  const threadCalls: number[] = [];
  const inlineCalls: number[] = [];
  const batcher = new MicroBatcher(
    async (x, rows) => {
      threadCalls.push(rows);
      return plus100(x);
    },
    1,
    { maxRows: 64, maxWaitMs: 0 },
    { maxRows: 4, score: (x, rows) => (inlineCalls.push(rows), plus100(x)) },
  );
  // Three requests in one turn: the first inline alone, the other two one inline batch.
  const first = await Promise.all([1, 2, 3].map((v) => batcher.submit(Float32Array.of(v), 1)));
  expect(first.map((o) => o[0])).toEqual([101, 102, 103]);
  expect([inlineCalls, threadCalls]).toEqual([[1, 2], []]);
  // A request alone in a later turn: inline again.
  await turn();
  expect(Array.from(await batcher.submit(Float32Array.of(4), 1))).toEqual([104]);
  expect([inlineCalls, threadCalls]).toEqual([[1, 2, 1], []]);
  // Seven in one turn: the first inline, the other six (more than the inline scorer's 4 rows) one thread call.
  await turn();
  const many = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((v) => batcher.submit(Float32Array.of(v), 1)));
  expect(many.map((o) => o[0])).toEqual([101, 102, 103, 104, 105, 106, 107]);
  expect([inlineCalls, threadCalls]).toEqual([[1, 2, 1, 1], [6]]);
});
