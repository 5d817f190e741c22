/**
 * Archived datasets (deleted with force while model versions used them), newest first, 50 at a time
 * (`archivedDatasetsConnection`): when each was archived and when its rows are purged, and Restore
 * (`restoreDataset`) while they are kept, which opens the dataset again. The server's refusal (e.g.
 * INVALID_STATE once purged) is shown beside the button.
 */
import { gql } from '../api';
import { ConsoleArchivedDatasetsDocument, ConsoleRestoreDatasetDocument } from '../generated/graphql';
import { go, href } from '../router';
import { PagedTable } from '../paged-table';
import { ErrorBox, Loaded } from '../ui';
import { useAction } from '../use-action';
import { usePages } from '../use-pages';

const when = (iso: string) => new Date(iso).toLocaleString();

function Restore({ id, name }: { id: string; name: string }) {
  const { busy, error, run } = useAction();
  return (
    <>
      <button type="button" disabled={busy} onClick={() => run(async () => go('datasets', (await gql(ConsoleRestoreDatasetDocument, { id })).restoreDataset.id))}>
        {busy ? 'Restoring…' : 'Restore'}
        <span class="visually-hidden"> {name}</span>
      </button>
      <ErrorBox error={error} />
    </>
  );
}

/** The archived-datasets page. */
export function ArchivedDatasets() {
  const q = usePages(ConsoleArchivedDatasetsDocument, (d) => d.archivedDatasetsConnection);
  return (
    <>
      <p>
        <a href={href('datasets')}>← Datasets</a>
      </p>
      <h1>Archived datasets</h1>
      <p>A dataset deleted while model versions used it is archived: hidden, kept for their lineage, and restorable until its rows are purged.</p>
      <Loaded {...q}>
        {() =>
          q.totalCount === 0 ? (
            <p>No archived datasets.</p>
          ) : (
            <PagedTable label="Archived datasets table" columns={['Name', 'Rows', 'Archived', 'Rows purged', '']} pages={q}>
              {q.nodes.map((a) => (
                <tr key={a.dataset.id}>
                  <td>{a.dataset.name}</td>
                  <td>{a.dataset.rowCount}</td>
                  <td>{when(a.archivedAt)}</td>
                  <td>{a.purgedAt ? `purged ${when(a.purgedAt)}` : `after ${when(a.purgeAfter)}`}</td>
                  <td>{a.restorable ? <Restore id={a.dataset.id} name={a.dataset.name} /> : <span class="muted">not restorable</span>}</td>
                </tr>
              ))}
            </PagedTable>
          )
        }
      </Loaded>
    </>
  );
}
