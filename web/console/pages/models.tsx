/** Models with their versions (stage, aliases, a headline test metric). */
import { href } from '../router';
import { Head, Loaded, num } from '../ui';
import { ConsoleModelsDocument } from '../generated/graphql';
import { useQuery } from '../use-query';

/** The models page. */
export function Models() {
  const q = useQuery(ConsoleModelsDocument);
  return (
    <>
      <h1>Models</h1>
      <Loaded {...q}>
        {() =>
          q.data!.modelsConnection.totalCount === 0 ? (
            <p>
              No models yet: <a href={href('train')}>train one</a>.
            </p>
          ) : (
            q.data!.modelsConnection.edges.map(({ node: m }) => (
              <section key={m.id} aria-labelledby={`model-${m.id}`}>
                <h2 id={`model-${m.id}`}>{m.name}</h2>
                <div class="scroll">
                  <table>
                    <Head columns={['Version', 'Stage', 'Aliases', 'Test metric', 'Created']} />
                    <tbody>
                      {m.versions.map((v) => (
                        <tr key={v.id}>
                          <td>
                            <a href={href('versions', v.id)}>{`${m.name} v${v.version}`}</a>
                          </td>
                          <td>{v.stage}</td>
                          <td>{v.aliases.join(', ') || '–'}</td>
                          <td>{v.metrics.accuracy != null ? `accuracy ${num(v.metrics.accuracy, 3)}` : v.metrics.rmse != null ? `RMSE ${num(v.metrics.rmse)}` : '–'}</td>
                          <td>{new Date(v.createdAt).toLocaleString()}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ))
          )
        }
      </Loaded>
    </>
  );
}
