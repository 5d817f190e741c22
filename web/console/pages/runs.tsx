/** Training runs, newest first, with their status, 50 at a time. */
import { href } from '../router';
import { Loaded } from '../ui';
import { ConsoleRunsDocument } from '../generated/graphql';
import { usePages } from '../use-pages';
import { PagedTable } from '../paged-table';

/** The runs page. */
export function Runs() {
  const q = usePages(ConsoleRunsDocument, (d) => d.trainingRunsConnection);
  return (
    <>
      <h1>Training runs</h1>
      <p>
        <a href={href('train')}>Start a run</a> ·{' '}
        <button type="button" class="secondary" onClick={q.reload}>
          Refresh
        </button>
      </p>
      <Loaded {...q}>
        {() => (
          <PagedTable label="Training runs table" columns={['Run', 'Model', 'Dataset', 'Status', 'Version', 'Queued']} pages={q}>
            {q.nodes.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={href('runs', r.id)}>{r.id.slice(0, 8)}</a>
                </td>
                <td>{r.modelName}</td>
                <td>{r.dataset?.name ?? '–'}</td>
                <td>
                  <span class={`status ${r.status.toLowerCase()}`}>{r.status}</span>
                </td>
                <td>{r.modelVersion ? <a href={href('versions', r.modelVersion.id)}>v{r.modelVersion.version}</a> : '–'}</td>
                <td>{new Date(r.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </PagedTable>
        )}
      </Loaded>
    </>
  );
}
