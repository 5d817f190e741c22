/**
 * A late subscriber's replay of stored epochs waits for its tenant's turn of the event loop every
 * REPLAY_SLICE epochs (src/modules/training/progress-stream.ts; issue 10, review F10: one subscribe
 * replayed 1,001 messages in one go, and 64 of them held the loop seconds for every tenant). The
 * stream is unchanged: every stored epoch in order, then FINAL.
 */
import type { Subscription } from '../../src/lib/pubsub';
import { progressStream, REPLAY_SLICE } from '../../src/modules/training/progress-stream';
import type { ProgressEvent } from '../../src/modules/training/progress';
import { RunStatus } from '../../src/modules/status';

const live = (): Subscription<ProgressEvent> => {
  const it = {
    next: () => new Promise<IteratorResult<ProgressEvent>>(() => undefined),
    return: async () => ({ done: true as const, value: undefined }),
    [Symbol.asyncIterator]: () => it,
  };
  return it as unknown as Subscription<ProgressEvent>;
};

it('replays every stored epoch in order, waiting a turn before each slice after the first, then FINAL', async () => {
  const stored = Array.from({ length: 100 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), accuracy: null, valLoss: null, valAccuracy: null, elapsedMs: 1 }));
  const run = { id: 'r', status: RunStatus.SUCCEEDED, spec: { epochs: 100 }, failureCode: null, failureMessage: null };
  const seen: string[] = [];
  const stream = progressStream(run, stored, 'v', live(), 0, async () => void seen.push('turn'));
  for await (const e of stream) seen.push(e.kind === 'EPOCH' ? String(e.epoch) : e.kind);
  const expected: string[] = [];
  for (let epoch = 1; epoch <= 100; epoch++) {
    if (epoch % REPLAY_SLICE === 0) expected.push('turn');
    expected.push(String(epoch));
  }
  expect(seen).toEqual([...expected, 'FINAL']);
  expect(seen.filter((s) => s === 'turn')).toHaveLength(Math.floor(100 / REPLAY_SLICE));
});
