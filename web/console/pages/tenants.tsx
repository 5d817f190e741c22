/**
 * The operator's console (admin secret): every tenant, newest first, 50 at a time, and a form that
 * creates one (`createTenant`), showing its first API key once.
 */
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { ConsoleCreateTenantDocument, ConsoleTenantsDocument } from '../generated/graphql';
import { href } from '../router';
import { ErrorBox, Loaded } from '../ui';
import { useAction } from '../use-action';
import { usePages } from '../use-pages';
import { Field } from './train-fields';
import { PagedTable } from '../paged-table';

/** A secret the server returns once (a new API key), in a read-only field to copy. */
export function ShownOnce({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div class="once" role="status">
      <label for={id}>{label}</label>
      <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <p class="muted">Copy it now: the server keeps only its hash and will not show it again.</p>
    </div>
  );
}

/** The route of a tenant's page (its name rides along for the heading). */
export const tenantHref = (t: { id: string; name: string }) => href('tenants', t.id, t.name);

function CreateTenant({ created }: { created: () => void }) {
  const [name, setName] = useState('');
  const [result, setResult] = useState<{ name: string; apiKey: string } | null>(null);
  const [nameError, setNameError] = useState('');
  const { busy, error, run, clear } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    // Checked here rather than by `required`, which would keep the last refusal (a CONFLICT) on screen.
    setNameError(name.trim() ? '' : 'Enter a name for the tenant (spaces alone are not one).');
    if (!name.trim()) return clear();
    return run(async () => {
      const { createTenant } = await gql(ConsoleCreateTenantDocument, { name: name.trim() });
      setResult({ name: createTenant.tenant.name, apiKey: createTenant.apiKey });
      setName('');
      created();
    });
  };
  return (
    <form onSubmit={submit} aria-labelledby="create-tenant">
      <h2 id="create-tenant">Create a tenant</h2>
      <Field id="tenant-name" label="Tenant name" error={nameError}>
        {(a) => <input {...a} aria-required="true" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create tenant'}
      </button>
      <ErrorBox error={error} />
      {result ? <ShownOnce id="new-tenant-key" label={`First API key of ${result.name} (every scope)`} value={result.apiKey} /> : null}
    </form>
  );
}

/** The tenants page. */
export function Tenants() {
  const q = usePages(ConsoleTenantsDocument, (d) => d.tenants);
  return (
    <>
      <h1>Tenants</h1>
      <div class="columns">
        <section aria-labelledby="tenants-list">
          <h2 id="tenants-list">Every tenant</h2>
          <Loaded {...q}>
            {() =>
              q.totalCount === 0 ? (
                <p>No tenants yet: create one.</p>
              ) : (
                <PagedTable label="Tenants table" columns={['Name', 'Id', 'Created']} pages={q}>
                  {q.nodes.map((t) => (
                    <tr key={t.id}>
                      <td>
                        <a href={tenantHref(t)}>{t.name}</a>
                      </td>
                      <td>
                        <code>{t.id.slice(0, 8)}</code>
                      </td>
                      <td>{new Date(t.createdAt).toLocaleString()}</td>
                    </tr>
                  ))}
                </PagedTable>
              )
            }
          </Loaded>
        </section>
        <CreateTenant created={q.reload} />
      </div>
    </>
  );
}
