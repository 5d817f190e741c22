/** Models with their versions (stage, aliases, a headline test metric), 50 at a time; delete a model. */
import { gql } from '../api';
import { DeleteButton } from '../delete-button';
import { href } from '../router';
import { Head, Loaded, More, num } from '../ui';
import { ConsoleDeleteModelDocument, ConsoleModelsDocument } from '../generated/graphql';
import { usePages } from '../use-pages';
import { ScrollBox } from '../scroll-box';

/** The models page. */
export function Models() {
  const q = usePages(ConsoleModelsDocument, (d) => d.modelsConnection);
  return (
    <>
      <h1>Models</h1>
      <Loaded {...q}>
        {() =>
          q.totalCount === 0 ? (
            <p>
              No models yet: <a href={href('train')}>train one</a>.
            </p>
          ) : (
            <>
              {q.nodes.map((m) => (
                <section key={m.id} aria-labelledby={`model-${m.id}`}>
                  <h2 id={`model-${m.id}`}>{m.name}</h2>
                  <ScrollBox label={`Versions of ${m.name}`}>
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
                  </ScrollBox>
                  <DeleteButton
                    id={`delete-model-${m.id}`}
                    what={`model ${m.name}`}
                    consequence={`Its ${m.versions.length} version${m.versions.length === 1 ? '' : 's'} and their artifacts are deleted (training runs stay).`}
                    remove={() => gql(ConsoleDeleteModelDocument, { name: m.name })}
                    done={q.reload}
                    force={{
                      codes: ['MODEL_IN_USE'],
                      label: `Delete model ${m.name} and its aliases`,
                      verb: 'Delete with aliases',
                      consequence: (refusal) => {
                        const aliases = (refusal.errors[0]?.extensions?.aliases as { alias: string; version: number }[] | undefined) ?? [];
                        return `The aliases ${aliases.map((a) => `${a.alias} → v${a.version}`).join(', ')} are deleted too: callers that predict through them get NOT_FOUND. Its versions and their artifacts go; training runs stay. This cannot be undone.`;
                      },
                      confirm: 'Yes, delete the model and the aliases pointing at it',
                      remove: () => gql(ConsoleDeleteModelDocument, { name: m.name, force: true }),
                    }}
                  />
                </section>
              ))}
              <More shown={q.nodes.length} {...q} />
            </>
          )
        }
      </Loaded>
    </>
  );
}
