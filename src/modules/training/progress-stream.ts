import { Repeater } from '@graphql-yoga/subscription';
import type { Subscription } from '../../lib/pubsub';
import type { ProgressEvent } from './progress';
import { isTerminal, RunStatus } from '../status';

/** Replayed epochs between two turns of the event loop (a few hundred µs of sending). */
export const REPLAY_SLICE = 32;

interface RunRow {
  id: string;
  status: RunStatus;
  spec: unknown;
  failureCode: string | null;
  failureMessage: string | null;
}

interface MetricRow {
  epoch: number;
  loss: number;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  elapsedMs: number;
  metrics?: unknown;
}

/**
 * Joins stored history and live events into one ordered stream without gaps or repeats:
 * the live subscription is opened first (by the caller), the stored epochs after `afterEpoch`
 * replayed (a client that read the earlier ones from metricHistory asks for the rest only; an
 * `afterEpoch` past the last stored epoch, from before the run started over, replays them all),
 * then live epochs after the last replayed one are passed on (from epoch 1 again after a REQUEUED
 * event), and the stream ends after a FINAL event.
 * @param pace awaited before every {@link REPLAY_SLICE} replayed epochs after the first ones (the
 *   tenant's turn of the event loop, src/lib/fair-turns.ts): one subscribe message replays up to
 *   every stored epoch, and 64 of them for a 1,000-epoch run held the loop seconds for every
 *   tenant (issue 10, review F10).
 */
export function progressStream(
  run: RunRow,
  stored: MetricRow[],
  versionId: string | null,
  live: Subscription<ProgressEvent>,
  afterEpoch = 0,
  pace?: () => Promise<void>,
): Repeater<ProgressEvent> {
  const epochs = (run.spec as { epochs?: number }).epochs;
  const from = afterEpoch > (stored.at(-1)?.epoch ?? 0) ? 0 : afterEpoch;
  return new Repeater<ProgressEvent>(async (push, stop) => {
    let last = from;
    let replayed = 0;
    for (const m of stored) {
      if (m.epoch <= from) continue;
      if (pace && ++replayed % REPLAY_SLICE === 0) await pace();
      await push({ runId: run.id, kind: 'EPOCH', status: RunStatus.RUNNING, epochs, ...m, metrics: (m.metrics ?? null) as Record<string, number> | null, replayed: true });
      last = m.epoch;
    }
    if (isTerminal(run.status)) {
      await push({
        runId: run.id,
        kind: 'FINAL',
        status: run.status,
        failureCode: run.failureCode,
        failureMessage: run.failureMessage,
        modelVersionId: versionId,
      });
      stop();
      await live.return();
      return;
    }
    const stopped = stop.then(() => ({ done: true as const, value: undefined }));
    for (;;) {
      const next = await Promise.race([live.next(), stopped]);
      if (next.done) break;
      const event = next.value;
      if (event.kind === 'EPOCH' && (event.epoch ?? 0) <= last) continue;
      if (event.kind === 'EPOCH') last = event.epoch ?? last;
      if (event.kind === 'REQUEUED') last = 0; // the run starts over from epoch 1
      await push(event);
      if (event.kind === 'FINAL') break;
    }
    stop();
    await live.return();
  });
}
