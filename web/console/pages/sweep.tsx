/**
 * One sweep: its leaderboard, live from the `sweepLeaderboard` subscription (the board now, then
 * again whenever a trial reports an epoch or ends, until the sweep ends), its best version, and
 * cancel while it runs.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql, subscribe } from '../api';
import { ConsoleCancelSweepDocument, ConsoleSweepLeaderboardDocument, type ConsoleSweepLeaderboardSubscription } from '../generated/graphql';
import { href } from '../router';
import { ErrorBox, Head, num } from '../ui';
import { ScrollBox } from '../scroll-box';

type Board = ConsoleSweepLeaderboardSubscription['sweepLeaderboard'];

/** A trial's parameters as `path = value` text. */
const params = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? num(v) : JSON.stringify(v)}`)
    .join(', ');

function Leaderboard({ board }: { board: Board }) {
  return (
    <ScrollBox label="Trials table">
      <table class="leaderboard">
        <caption>Trials, best first{board.sweep.status === 'RUNNING' ? ' (updates live)' : ''}</caption>
        <Head columns={['Rank', 'Trial', 'Rung', 'Parameters', 'Status', 'Objective', 'Epochs', 'Run', 'Version']} />
        <tbody>
          {board.trials.map((t) => (
            <tr key={t.id}>
              <td>{t.rank}</td>
              <td>{t.index}</td>
              <td>{t.rung}</td>
              <td>{params(t.params)}</td>
              <td>
                <span class={`status ${t.status.toLowerCase()}`} title={t.failureMessage ?? undefined}>
                  {t.status}
                </span>
              </td>
              <td>{t.objective == null ? '–' : t.final ? num(t.objective) : `≈ ${num(t.objective)} (last epoch)`}</td>
              <td>{`${t.epochsDone} of ${t.epochs ?? '?'}`}</td>
              <td>{t.trainingRunId ? <a href={href('runs', t.trainingRunId)}>{t.trainingRunId.slice(0, 8)}</a> : '–'}</td>
              <td>{t.modelVersion ? <a href={href('versions', t.modelVersion.id)}>v{t.modelVersion.version}</a> : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

/** The sweep page. */
export function SweepPage({ id }: { id: string }) {
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => subscribe(ConsoleSweepLeaderboardDocument, { sweepId: id }, { next: (d) => setBoard(d.sweepLeaderboard), error: setError }), [id]);
  async function cancel() {
    try {
      const { cancelSweep } = await gql(ConsoleCancelSweepDocument, { id });
      setBoard((b) => (b ? { ...b, sweep: { ...b.sweep, status: cancelSweep.status } } : b));
    } catch (err) {
      setError(err as ApiError);
    }
  }
  if (!board) return error ? <ErrorBox error={error} /> : <p aria-busy="true">Loading…</p>;
  const s = board.sweep;
  return (
    <>
      <h1>Sweep of {s.modelName}</h1>
      <p aria-live="polite">
        Status: <span class={`status ${s.status.toLowerCase()}`}>{s.status}</span> · {s.strategy}, {s.maxTrials} trials, {s.maxConcurrent} at once ·{' '}
        {`${s.objective.direction.toLowerCase()} ${s.objective.metric.toLowerCase()}`}
      </p>
      {s.failureMessage ? <p class="error">{s.failureMessage}</p> : null}
      {s.bestVersion ? (
        <p>
          Best version: <a href={href('versions', s.bestVersion.id)}>{`${s.modelName} v${s.bestVersion.version}`}</a>
        </p>
      ) : null}
      {s.status === 'RUNNING' ? (
        <button type="button" class="danger" onClick={cancel}>
          Cancel sweep
        </button>
      ) : null}
      <ErrorBox error={error} />
      <Leaderboard board={board} />
    </>
  );
}
