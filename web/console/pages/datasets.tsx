/** Datasets: the list (newest first, 50 at a time) and an upload by file input or drag and drop (`uploadDataset`). */
import { useState } from 'preact/hooks';
import { gqlUpload } from '../api';
import { ConsoleDatasetsDocument, ConsoleUploadDocument } from '../generated/graphql';
import { go, href } from '../router';
import { ErrorBox, Loaded } from '../ui';
import { useAction } from '../use-action';
import { usePages } from '../use-pages';
import { PagedTable } from '../paged-table';

/** A dataset name from a file name: `pima-diabetes.csv` → `pima-diabetes`. */
const nameOf = (file: File) => file.name.replace(/\.[^.]+$/, '').slice(0, 100) || 'dataset';

function Upload() {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [over, setOver] = useState(false);
  const { busy, error, run } = useAction();
  const choose = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    setName(nameOf(f));
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (!file) return;
    return run(async () => go('datasets', (await gqlUpload(ConsoleUploadDocument, { name }, file)).uploadDataset.id));
  };
  return (
    <form
      class={over ? 'upload over' : 'upload'}
      onSubmit={submit}
      onDragOver={(e) => (e.preventDefault(), setOver(true))}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        choose(e.dataTransfer?.files[0]);
      }}
    >
      <h2>Upload a CSV</h2>
      <p class="muted">Drop a file here or choose one.</p>
      <label for="upload-file">CSV file</label>
      <input id="upload-file" type="file" accept=".csv,.tsv,.txt,text/csv" onChange={(e) => choose(e.currentTarget.files?.[0])} />
      <label for="upload-name">Dataset name</label>
      <input id="upload-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <button type="submit" disabled={!file || busy}>
        {busy ? 'Uploading…' : 'Upload'}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** The datasets page. */
export function Datasets() {
  const q = usePages(ConsoleDatasetsDocument, (d) => d.datasetsConnection);
  return (
    <>
      <h1>Datasets</h1>
      <p>
        <a href={href('archived')}>Archived datasets</a> (deleted while model versions used them: restorable for a while)
      </p>
      <div class="columns">
        <section aria-labelledby="datasets-list">
          <h2 id="datasets-list">Your datasets</h2>
          <Loaded {...q}>
            {() =>
              q.totalCount === 0 ? (
                <p>No datasets yet: upload one.</p>
              ) : (
                <PagedTable label="Datasets table" columns={['Name', 'Rows', 'Size', 'Uploaded']} pages={q}>
                  {q.nodes.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <a href={href('datasets', d.id)}>{d.name}</a>
                      </td>
                      <td>{d.rowCount}</td>
                      <td>{(d.sizeBytes / 1024).toFixed(1)} KiB</td>
                      <td>{new Date(d.createdAt).toLocaleString()}</td>
                    </tr>
                  ))}
                </PagedTable>
              )
            }
          </Loaded>
        </section>
        <Upload />
      </div>
    </>
  );
}
