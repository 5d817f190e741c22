/** Hyperparameter sweeps, newest first, 50 at a time, with a link to start one. */
import { ConsoleSweepsDocument } from '../generated/graphql';
import { href } from '../router';
import { Loaded } from '../ui';
import { usePages } from '../use-pages';
import { PagedTable } from '../paged-table';

/** The sweeps page. */
export function Sweeps() {
  const q = usePages(ConsoleSweepsDocument, (d) => d.sweeps);
  return (
    <>
      <h1>Sweeps</h1>
      <p>
        <a href={href('sweeps', 'new')}>Start a sweep</a> ·{' '}
        <button type="button" class="secondary" onClick={q.reload}>
          Refresh
        </button>
      </p>
      <Loaded {...q}>
        {() =>
          q.totalCount === 0 ? (
            <p>No sweeps yet.</p>
          ) : (
            <PagedTable label="Sweeps table" columns={['Sweep', 'Model', 'Strategy', 'Objective', 'Trials', 'Status', 'Best version', 'Started']} pages={q}>
              {q.nodes.map((s) => (
                <tr key={s.id}>
                  <td>
                    <a href={href('sweeps', s.id)}>{s.id.slice(0, 8)}</a>
                  </td>
                  <td>{s.modelName}</td>
                  <td>{s.strategy}</td>
                  <td>{`${s.objective.direction.toLowerCase()} ${s.objective.metric.toLowerCase()}`}</td>
                  <td>{s.maxTrials}</td>
                  <td>
                    <span class={`status ${s.status.toLowerCase()}`}>{s.status}</span>
                  </td>
                  <td>{s.bestVersion ? <a href={href('versions', s.bestVersion.id)}>v{s.bestVersion.version}</a> : '–'}</td>
                  <td>{new Date(s.createdAt).toLocaleString()}</td>
                </tr>
              ))}
            </PagedTable>
          )
        }
      </Loaded>
    </>
  );
}
