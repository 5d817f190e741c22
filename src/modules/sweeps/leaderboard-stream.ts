/**
 * The sweepLeaderboard stream: the ranked trials now, then again after every change (a trial's
 * run reports an epoch or its FINAL event, or the sweep's driver changes the sweep), read again
 * from the database each time, so every board is complete and consistent. Boards identical to
 * the last one sent are skipped. Ends after the board that shows the sweep ended.
 */
import { Repeater } from '@graphql-yoga/subscription';
import type { Subscription } from '../../lib/pubsub';
import { isTerminal } from '../status';
import type { Leaderboard } from './leaderboard';

/** What changes between two boards worth sending. */
const fingerprint = (b: Leaderboard) =>
  JSON.stringify([b.sweep.status, b.sweep.bestTrialId, b.trials.map((t) => [t.id, t.rank, t.status, t.runStatus, t.epochsDone, t.objective])]);

/**
 * @param first the board read after `changes` was opened (so no change is missed in between).
 * @param changes the sweep's change events.
 * @param subscribeRun opens a trial run's progress events.
 * @param read reads the board again.
 */
export function leaderboardStream(
  first: Leaderboard,
  changes: Subscription<unknown>,
  subscribeRun: (runId: string) => Subscription<unknown>,
  read: () => Promise<Leaderboard>,
): Repeater<Leaderboard> {
  return new Repeater<Leaderboard>(async (push, stop) => {
    const runs = new Map<string, Subscription<unknown>>();
    let dirty = false;
    let wake: (() => void) | undefined;
    const signal = () => {
      dirty = true;
      wake?.();
    };
    const pump = async (sub: Subscription<unknown>) => {
      for await (const _ of sub) signal();
    };
    const follow = (board: Leaderboard) => {
      for (const t of board.trials) {
        if (!t.runId || runs.has(t.runId) || (t.runStatus && isTerminal(t.runStatus))) continue;
        const sub = subscribeRun(t.runId);
        runs.set(t.runId, sub);
        void pump(sub).catch(() => undefined);
      }
    };
    void pump(changes).catch(() => undefined);
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      wake?.();
    });
    try {
      let board = first;
      let sent = fingerprint(board);
      follow(board);
      await push(board);
      while (!stopped && !isTerminal(board.sweep.status)) {
        if (!dirty) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        dirty = false;
        if (stopped) break;
        board = await read();
        follow(board);
        const print = fingerprint(board);
        if (print === sent) continue;
        sent = print;
        await push(board);
      }
    } finally {
      stop();
      await changes.return();
      for (const sub of runs.values()) await sub.return();
    }
  });
}
