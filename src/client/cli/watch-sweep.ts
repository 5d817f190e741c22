/**
 * Watching a sweep: the sweepLeaderboard subscription over graphql-ws, shown as a live table of the
 * ranked trials (redrawn in place when stdout is a terminal, else printed again on each change;
 * `--json`: one JSON object per board) until the sweep ends. Ctrl-C stops watching, not the sweep.
 */
import { CliSweepLeaderboardDocument, type CliSweepLeaderboardSubscription } from '../generated/graphql';
import type { Api } from './api';
import { CliError } from './errors';
import { cell, say, table } from './output';
import { EXIT_INTERRUPTED } from './watch-progress';

/** One board as the CLI asks for it (watch-sweep.graphql). */
export type SweepBoard = CliSweepLeaderboardSubscription['sweepLeaderboard'];

/** A trial's parameters as `path=value` pairs. */
const params = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${cell(v)}`)
    .join(' ');

/** The board as text: a status line, then one row per trial, best first. */
export function boardText(b: SweepBoard): string {
  const o = b.sweep.objective;
  const head = `Sweep ${b.sweep.id} ${b.sweep.status}  (${o.direction.toLowerCase()} ${o.metric.toLowerCase()})`;
  const rows = b.trials.map((t) => [
    t.rank,
    t.index,
    t.rung,
    t.status,
    t.final ? cell(t.objective) : t.objective === null ? '-' : `~${cell(t.objective)}`,
    `${t.epochsDone}/${t.epochs ?? '-'}`,
    params(t.params),
  ]);
  return `${head}\n${table(['RANK', 'TRIAL', 'RUNG', 'STATUS', 'OBJECTIVE', 'EPOCHS', 'PARAMS'], rows)}`;
}

/** Prints boards as they come: redrawn in place on a terminal, appended otherwise. */
function boardPrinter(json: boolean): (b: SweepBoard) => void {
  if (json) return (b) => say(JSON.stringify(b));
  if (!process.stdout.isTTY) return (b) => say(`${boardText(b)}\n`);
  let lines = 0;
  return (b) => {
    const text = boardText(b);
    // Up over the previous board and clear to the end of the screen (ANSI CSI n A, CSI J).
    if (lines) process.stdout.write(`\x1b[${lines}A\x1b[J`);
    process.stdout.write(`${text}\n`);
    lines = text.split('\n').length;
  };
}

const codeOfEntry = (e: unknown) => (e as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR';

/**
 * Watches a sweep until it ends. Resolves to the exit status: 0 when it SUCCEEDED, 130 after Ctrl-C.
 * @throws CliError with the server's code (NOT_FOUND, …), FAILED or CANCELLED when the sweep did not succeed.
 */
export async function watchSweep(api: Api, sweepId: string, json: boolean): Promise<number> {
  const client = api.subscriptions();
  const print = boardPrinter(json);
  let last: SweepBoard | undefined;
  let onInterrupt: () => void = () => undefined;
  const interrupted = new Promise<'interrupted'>((resolve) => {
    onInterrupt = () => resolve('interrupted');
    process.once('SIGINT', onInterrupt);
  });
  const finished = new Promise<'done'>((resolve, reject) => {
    client.subscribe<CliSweepLeaderboardSubscription>(
      { query: String(CliSweepLeaderboardDocument), variables: { sweepId } },
      {
        next: (value) => {
          if (value.errors?.length) return reject(new CliError(codeOfEntry(value.errors[0]), value.errors[0].message));
          last = value.data!.sweepLeaderboard;
          print(last);
        },
        error: (err) => {
          const first = Array.isArray(err) ? (err[0] as { message: string }) : undefined;
          reject(
            first
              ? new CliError(codeOfEntry(first), first.message)
              : new CliError('NETWORK_ERROR', `The leaderboard stream broke: ${err instanceof Error ? err.message : String(err)}`),
          );
        },
        complete: () => resolve('done'),
      },
    );
  });
  try {
    if ((await Promise.race([finished, interrupted])) === 'interrupted') {
      process.stderr.write(`Stopped watching; sweep ${sweepId} goes on ('maas sweep cancel ${sweepId}' cancels it)\n`);
      return EXIT_INTERRUPTED;
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    void client.dispose();
  }
  const sweep = last?.sweep;
  if (!sweep) throw new CliError('NETWORK_ERROR', `The leaderboard stream of sweep ${sweepId} ended without a board`);
  if (sweep.status === 'CANCELLED') throw new CliError('CANCELLED', `Sweep ${sweepId} was cancelled`);
  if (sweep.status !== 'SUCCEEDED') throw new CliError('FAILED', `Sweep ${sweepId} ${sweep.status}: ${sweep.failureMessage ?? 'no trial succeeded'}`);
  if (!json) say(`Sweep ${sweepId} SUCCEEDED: best version ${sweep.bestVersion?.version ?? '-'} (${sweep.bestVersion?.id ?? 'deleted'})`);
  return 0;
}
