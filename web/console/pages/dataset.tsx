/**
 * One dataset: its profile, a row per column (type, missing values, range, a small histogram), the
 * correlations between its numeric columns as a heat map, and its deletion.
 */
import { gql } from '../api';
import { CorrelationHeatmap } from '../charts/heatmap';
import { Histogram, type Bin } from '../charts/histogram';
import { DeleteButton } from '../delete-button';
import { go, href } from '../router';
import { Head, Loaded, num, plural } from '../ui';
import { ConsoleCorrelationsDocument, ConsoleDatasetDocument, ConsoleDeleteDatasetDocument, type ConsoleDatasetQuery } from '../generated/graphql';
import { useQuery } from '../use-query';
import { ScrollBox } from '../scroll-box';

type DatasetProfile = ConsoleDatasetQuery['dataset'];
type Column = DatasetProfile['columns'][number];

/** The bins of a column's chart: its histogram when numeric, else its most frequent values. */
export function binsOf(c: Column): Bin[] {
  if (c.histogram?.length) return c.histogram.map((b) => ({ label: `${num(b.lower, 3)} to ${num(b.upper, 3)}`, count: b.count }));
  return (c.topValues ?? []).map((v) => ({ label: v.value, count: v.count }));
}

/** The correlation heat map, loaded after the profile (the server reads the stored CSV again). */
function Correlations({ id }: { id: string }) {
  const q = useQuery(ConsoleCorrelationsDocument, { id });
  return (
    <section aria-labelledby="correlations">
      <h2 id="correlations">Correlations</h2>
      <Loaded {...q}>
        {() => {
          const m = q.data!.dataset.correlationMatrix;
          return m.columns.length < 2 ? <p>Fewer than two numeric columns: nothing to correlate.</p> : <CorrelationHeatmap {...m} />;
        }}
      </Loaded>
    </section>
  );
}

/** The dataset page. */
export function DatasetPage({ id }: { id: string }) {
  const q = useQuery(ConsoleDatasetDocument, { id });
  return (
    <Loaded {...q}>
      {() => {
        const d = q.data!.dataset;
        return (
          <>
            <h1>Dataset {d.name}</h1>
            <p>
              {d.rowCount} rows, {d.columns.length} columns{d.filename ? ` (from ${d.filename})` : ''}. <a href={href('train', d.id)}>Train a model on it</a>
            </p>
            <ScrollBox label="Profile table">
              <table class="profile">
                <caption>Profile by column</caption>
                <Head columns={['Column', 'Type', 'Missing', 'Distinct', 'Min', 'Mean', 'Max', 'Distribution']} />
                <tbody>
                  {d.columns.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{c.name}</th>
                      <td>{c.type}</td>
                      <td>
                        {c.missing}
                        {c.missing ? ` (${((100 * c.missing) / Math.max(1, d.rowCount)).toFixed(1)}%)` : ''}
                      </td>
                      <td>{c.distinct}</td>
                      <td>{num(c.min)}</td>
                      <td>{num(c.mean)}</td>
                      <td>{num(c.max)}</td>
                      <td>
                        <Histogram name={c.name} bins={binsOf(c)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
            <Correlations id={d.id} />
            <DeleteButton
              id="delete-dataset"
              what={`dataset ${d.name}`}
              consequence="Its rows and its training runs are deleted."
              remove={() => gql(ConsoleDeleteDatasetDocument, { id: d.id })}
              done={() => go('datasets')}
              force={{
                codes: ['DATASET_IN_USE'],
                label: `Archive dataset ${d.name}`,
                verb: 'Archive',
                consequence: (refusal) => {
                  const x = refusal.errors[0]?.extensions ?? {};
                  const versions = ((x.versions as { model: string; version: number }[] | undefined) ?? []).map((v) => `${v.model} v${v.version}`);
                  const total = Number(x.totalVersions ?? versions.length);
                  return `${plural(total, 'model version')} trained on it ${total === 1 ? 'stays' : 'stay'} (${versions.join(', ')}${total > versions.length ? ', …' : ''}) with their lineage and curves. The dataset is hidden from lists and can no longer train or score; its training runs stay (they hold the versions' lineage and curves) and its rows are purged when the archive's retention ends (Restore, on the archived datasets page, brings it back until then).`;
                },
                confirm: 'Yes, archive it although model versions use it',
                remove: () => gql(ConsoleDeleteDatasetDocument, { id: d.id, force: true }),
              }}
            />
          </>
        );
      }}
    </Loaded>
  );
}
